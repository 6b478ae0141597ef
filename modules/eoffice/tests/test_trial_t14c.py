"""Findings of the trial t14c (3 Dec 2026): (1) an auditor got 403 on ordinary (biasa) letters the
README says they read: an Inspektorat's auditor reads them read-only, every read audited, never
acts, and a letter above biasa stays unseen; their navigation links the figures; (3) a
disposition's due date stood as ISO text in the timeline: kept as data, written in the reader's
language (entries stored before still readable); (2, 4) the demo: people draft every letter, the
banner names officer@'s position, letters go between two governments and are seen on both sides."""
from __future__ import annotations

import re

import pytest

from core.kit import db, tenant_scope

from ..delivery import dispose
from ..models import Event, Letter
from .conftest import actor_of
from .helpers import next_31_january, signed
from .test_delivery import sent, user_id


def url(tenant, path=""):
    return f"/t/{tenant.slug}/eoffice/{path}"


def _sent(app, tenant, people, **over) -> int:
    with app.app_context(), tenant_scope(tenant):
        return sent(tenant, people, **over).id


def _actions(page: str) -> list[str]:
    """The forms of the page that post to the letter (the language switch aside)."""
    return re.findall(r'<form method="post" action="([^"]*/letters/[^"]*)"', page)


def test_an_auditor_reads_an_ordinary_letter_read_only_and_each_read_is_audited(app, client, office, login,
                                                                                 audit_entries):
    tenant, people = office
    letter_id = _sent(app, tenant, people)
    login(client, people.auditor, tenant)
    response = client.get(url(tenant, f"letters/{letter_id}"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    assert "Undangan rapat koordinasi kebersihan" in page and 'id="read-only"' in page
    assert _actions(page) == [] and 'id="dispose"' not in page and 'id="send"' not in page
    assert client.get(url(tenant, f"letters/{letter_id}/pdf")).data.startswith(b"%PDF")
    assert client.get(url(tenant, f"letters/{letter_id}/disposition-sheet")).status_code == 200
    assert client.get(url(tenant, f"letters/{letter_id}")).status_code == 200  # read again: audited again
    reads = audit_entries(tenant, "eoffice.letter.read_by_overseer")
    assert [(e["actor"], e["object_id"]) for e in reads] == [(people.auditor, str(letter_id))] * 4
    assert [e["summary"]["after"]["what"] for e in reads] == ["page", "pdf", "sheet", "page"]
    with app.app_context(), tenant_scope(tenant):  # reading marked nothing read for the addressee
        from ..models import Recipient

        assert set(db.session.execute(db.select(Recipient.read_at).where(Recipient.letter_id == letter_id)).scalars()) \
            == {None}
    # the involved read as before: no overseer's entry for the drafter's read of their own letter
    other = app.test_client()
    login(other, people.drafter, tenant)
    page = other.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    assert 'id="read-only"' not in page
    assert len(audit_entries(tenant, "eoffice.letter.read_by_overseer")) == 4


@pytest.mark.parametrize("security", ["rahasia", "terbatas"])
def test_an_auditor_does_not_read_a_letter_above_biasa(app, client, office, login, audit_entries, security):
    """The classification rules (README "Rules"): terbatas is for those involved, rahasia for fewer;
    a letter one may not read is not shown to exist (404, as for an officer not involved)."""
    tenant, people = office
    letter_id = _sent(app, tenant, people, security=security)
    login(client, people.auditor, tenant)
    for path in ("", "/pdf", "/disposition-sheet"):
        assert client.get(url(tenant, f"letters/{letter_id}{path}")).status_code == 404, path
    assert f"letters/{letter_id}" not in client.get(url(tenant, "letters")).get_data(as_text=True)
    assert audit_entries(tenant, "eoffice.letter.read_by_overseer") == []


def test_an_auditor_cannot_act_on_a_letter(app, client, office, login):
    tenant, people = office
    letter_id = _sent(app, tenant, people)
    with app.app_context(), tenant_scope(tenant):
        draft_id = signed(tenant, people, subject="Belum dikirim").id
        staff = user_id(tenant, people.staff_pu)
    login(client, people.auditor, tenant)
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # the language form's: a valid token
    for path, data in ((f"letters/{letter_id}/dispose", {"to": staff, "instruction": "Periksa", "due_on": "2099-01-31"}),
                       (f"letters/{draft_id}/send", {}), (f"letters/{letter_id}/edit", {"subject": "Diubah"}),
                       ("new", {"subject": "Surat auditor"}), (f"letters/{draft_id}/withdraw", {"reason": "x"})):
        response = client.post(url(tenant, path), data={**data, "csrf_token": token})
        assert response.status_code == 403, (path, response.status_code)
    with app.app_context(), tenant_scope(tenant):
        from ..models import Disposition

        assert db.session.execute(db.select(Disposition.id)).first() is None
        assert db.session.execute(db.select(Letter.status).where(Letter.id == draft_id)).scalar_one() == "signed"
        assert db.session.execute(db.select(Letter.id).where(Letter.subject == "Surat auditor")).first() is None


def test_the_auditor_finds_the_ordinary_letters_and_the_figures_from_the_navigation(app, client, office, login):
    tenant, people = office
    ordinary = _sent(app, tenant, people, subject="Surat biasa untuk pengawasan")
    _sent(app, tenant, people, subject="Surat rahasia", security="rahasia")
    login(client, people.auditor, tenant)
    home = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    nav = home.split('aria-label="Utama"')[1].split("</nav>")[0]
    assert f'href="{url(tenant, "figures")}"' in nav and "Statistik naskah dinas" in nav
    listing = client.get(url(tenant, "letters")).get_data(as_text=True)
    assert f'href="{url(tenant, f"letters/{ordinary}")}"' in listing and "Surat rahasia" not in listing
    assert f'href="{url(tenant, "letters")}"' in client.get(url(tenant, "figures")).get_data(as_text=True)
    assert "Surat biasa" in client.get(url(tenant, "letters?q=pengawasan")).get_data(as_text=True)
    assert "Surat biasa" not in client.get(url(tenant, "letters?q=tidak-ada")).get_data(as_text=True)
    # an officer has the e-office itself in the navigation, not a second link to its figures
    officer = app.test_client()
    login(officer, people.drafter, tenant)
    nav = officer.get(f"/t/{tenant.slug}/").get_data(as_text=True).split('aria-label="Utama"')[1].split("</nav>")[0]
    assert f'href="{url(tenant)}"' in nav and url(tenant, "figures") not in nav
    assert officer.get(url(tenant, "letters")).status_code == 403


@pytest.mark.parametrize("locale, due", [("id", "batas"), ("en", "due")])
def test_the_due_date_on_the_timeline_is_in_the_readers_language(app, client, make_tenant, login, outbox, locale,
                                                                 due):
    tenant, people = make_tenant(locales=[locale])
    letter_id = _sent(app, tenant, people)
    with app.app_context(), tenant_scope(tenant):
        day = next_31_january(tenant)  # within the year a due date may be in
        dispose(tenant, actor_of(tenant, people.kadis_pu), letter_id, user_id(tenant, people.staff_pu),
                "Siapkan bahan rapat", day)
        db.session.add(Event(letter_id=letter_id, action="disposed", actor="Lama",  # as written before 0008
                             note="Staf Lama: Arsipkan (2099-02-01)"))
        db.session.commit()
        stored = db.session.execute(db.select(Event.data).where(Event.actor != "Lama", Event.action == "disposed")
                                    ).scalar_one()
    assert stored["due_on"] == day.isoformat() and stored["instruction"] == "Siapkan bahan rapat"  # data, not text
    login(client, people.kadis_pu, tenant)
    timeline = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True).split('id="timeline"')[1]
    assert f"Siapkan bahan rapat ({due} 31 Jan {day.year})" in timeline and day.isoformat() not in timeline
    assert f"Staf Lama: Arsipkan ({due} 1 Feb 2099)" in timeline and "2099-02-01" not in timeline  # stored before
    # the e-mail to the person disposed to, written in Indonesian, dates as Indonesian writes them
    (mail,) = [m for m in outbox(tenant, "email") if m["subject"].startswith("Disposisi:")]
    assert mail["body"].endswith(f"Siapkan bahan rapat (batas waktu 31 Januari {day.year})")
    assert day.isoformat() not in mail["body"]
