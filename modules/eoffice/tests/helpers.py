"""Drafting and moving letters in tests (no fixtures: plain functions of the service)."""
from __future__ import annotations

from pathlib import Path

from core.kit import db

from ..drafting import Draft, save_draft, submit
from ..review import sign, verify
from .conftest import actor_of


def draft(**over) -> Draft:
    values = dict(letter_type="SB", classification="000.8.3.3", subject="Undangan rapat koordinasi kebersihan",
                  body="<p>Dengan hormat, kami mengundang Bapak/Ibu.</p>", unit="DLH", to_units=["PU"],
                  cc_external=["Wali Kota Makassar"], verifiers=["KABID-DLH", "SEK-DLH"], signer="KADIS-DLH")
    values.update(over)
    return Draft(**values)


def drafted(tenant, people, **over):
    letter = save_draft(tenant, actor_of(tenant, people.drafter), draft(**over))
    db.session.commit()
    return letter.id


def submitted(tenant, people, **over):
    letter_id = drafted(tenant, people, **over)
    submit(tenant, actor_of(tenant, people.drafter), letter_id)
    db.session.commit()
    return letter_id


def verified(tenant, people, **over):
    letter_id = submitted(tenant, people, **over)
    verify(tenant, actor_of(tenant, people.kabid), letter_id, 0)
    db.session.commit()
    verify(tenant, actor_of(tenant, people.sekdis), letter_id, 1)
    db.session.commit()
    return letter_id


def signed(tenant, people, **over):
    letter_id = verified(tenant, people, **over)
    letter = sign(tenant, actor_of(tenant, people.kadis), letter_id, 2)
    db.session.commit()
    return letter


def next_31_january(tenant):
    """The next 31 January in ``tenant``'s calendar (today's if not passed): a due date a test can
    write out ("31 Jan 2027") that is within the year a disposition may be due in (``too_late``)."""
    from datetime import date

    from core.kit import local_date

    today = local_date(tenant)
    day = date(today.year, 1, 31)
    return day if day >= today else date(today.year + 1, 1, 31)


def ca_pem(app) -> bytes:
    return (Path(app.config["INSTANCE_DIR"]) / "signing" / "ca.pem").read_bytes()
