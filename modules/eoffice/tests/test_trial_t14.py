"""Findings of the fresh trial t14: the review chain's refusals on the letter's page in the reader's
language (defect 1), a tokenless form post answered with the styled 400 page (2), the timeline
naming the paraf giver by name (3), counts written as singular or plural (4)."""
from __future__ import annotations

import logging

import pytest

from core.kit import User, db, tenant_scope

from .conftest import actor_of
from .helpers import signed, submitted
from ..review import verify


def url(tenant, path=""):
    return f"/t/{tenant.slug}/eoffice/{path}"


def _name(app, email, name):
    with app.app_context():
        db.session.execute(db.select(User).where(User.email == email)).scalar_one().name = name
        db.session.commit()


@pytest.mark.parametrize("who, step, said", [
    # out of turn: what the letter awaits (trial 6: e-office says whose paraf comes first)
    ("kabid", 1, "Naskah menunggu paraf Kepala Bidang Kebersihan terlebih dahulu."),
    ("sekdis", 0, "Anda tidak memegang jabatan “Kepala Bidang Kebersihan” pada "),
    ("kabid", 99, "Rangkaian persetujuan ini tidak mempunyai langkah tersebut: jumlah langkahnya 3."),
    ("kabid", "x", "Langkah ini tidak sedang menunggu tindakan."),
])
def test_a_refused_paraf_is_said_in_indonesian(app, client, office, login, who, step, said):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = submitted(tenant, people)
    login(client, getattr(people, who), tenant)
    response = client.post(url(tenant, f"letters/{letter_id}/verify"), data={"step": step})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and said in page
    assert "is not awaiting action" not in page and "you do not hold" not in page and "there is no step" not in page


def test_a_stale_tab_paraf_is_said_in_indonesian(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = submitted(tenant, people)
        verify(tenant, actor_of(tenant, people.kabid), letter_id, 0)
        db.session.commit()
    login(client, people.kabid, tenant)
    page = client.post(url(tenant, f"letters/{letter_id}/verify"), data={"step": 1}).get_data(as_text=True)
    assert "Anda sudah menyetujui langkah “Kepala Bidang Kebersihan” pada rangkaian ini" in page
    assert "one person acts once" not in page


def test_a_tokenless_post_gets_the_styled_400_page(app, error_app, office, caplog):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = signed(tenant, people).id
    with caplog.at_level(logging.ERROR):
        response = error_app.test_client().post(url(tenant, f"letters/{letter_id}/send"), data={"x": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "<h1>400</h1>" in page and 'rel="stylesheet"' in page
    assert "Formulir kedaluwarsa" in page
    assert not [r for r in caplog.records if "could not render" in r.getMessage()]


def test_the_timeline_names_the_paraf_giver(app, client, office, login):
    tenant, people = office
    _name(app, people.kabid, "Rudi Hartono")
    _name(app, people.sekdis, "")  # no name: the e-mail
    with app.app_context(), tenant_scope(tenant):
        letter_id = submitted(tenant, people)
        verify(tenant, actor_of(tenant, people.kabid), letter_id, 0)
        db.session.commit()
        verify(tenant, actor_of(tenant, people.sekdis), letter_id, 1)
        db.session.commit()
    login(client, people.drafter, tenant)
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    timeline = page.split('id="timeline"')[1].split("</ol>")[0]
    assert "— Rudi Hartono" in timeline and people.kabid not in timeline
    assert f"— {people.sekdis}" in timeline


@pytest.mark.parametrize("language, one", [("en", "1 letter"), ("id", "1 naskah")])
def test_one_letter_is_counted_in_the_singular(app, client, office, create_user, login, language, one):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        signed(tenant, people)
    login(client, create_user(tenant, "admin"), tenant)
    client.get(f"/t/{tenant.slug}/lang?locale={language}")
    archive = client.get(url(tenant, "archive")).get_data(as_text=True)
    assert f">{one} · " in archive.replace("\n", " ").replace("<div class=\"eo-meta\">", ">")
    assert "1 letters" not in archive and "1 dossiers" not in archive
    assert ("1 dossier<" if language == "en" else "1 berkas<") in archive
    login(client, people.drafter, tenant)
    client.get(f"/t/{tenant.slug}/lang?locale={language}")
    outgoing = client.get(url(tenant, "outgoing")).get_data(as_text=True)
    assert f">{one}</p>" in outgoing and "1 letters" not in outgoing
