"""Trial t14f: in a government without a Setda (Bandung's and Tangerang's files: letters from other
governments arrive at DLH) the DLH head disposed letters to the other agencies' heads, his peers;
the demo's staf@ and officer@ were the same people in every city; English pages said "Biasa";
an unknown classification code was refused without naming it; a revoked letter still counted as
a letter out in the figures."""
from __future__ import annotations

import re

import pytest

from core.commands.server import DEMO_NAMES, DEMO_ROLES, demo_name
from core.kit import ValidationError, db, tenant_scope

from ..delivery import dispose
from ..figures import per_agency
from ..hierarchy import subordinates
from ..models import Disposition, Letter
from ..register import register
from ..settings import require_classification
from .conftest import actor_of
from .helpers import signed
from .test_pages import FORM, csrf, url
from .test_register import incoming
from .test_revoked import revoke


@pytest.fixture
def bandung(make_tenant):
    """Bandung's shape: letters from outside arrive at DLH (``incoming_unit``), no Sekda named."""
    return make_tenant({"incoming_unit": "DLH"})


def test_a_receiving_agencys_head_is_no_setda_he_disposes_in_his_agency_only(app, client, bandung, login):
    tenant, people = bandung
    with app.app_context(), tenant_scope(tenant):
        letter_id = register(tenant, actor_of(tenant, people.drafter), incoming()).id
        db.session.commit()
        kadis = actor_of(tenant, people.kadis)
        ids = {email: actor_of(tenant, email).user.id for email in (people.kadis_pu, people.sekdis, people.kabid)}
        below = {u.email for u in subordinates(tenant, kadis)}
        assert people.kadis_pu not in below and {people.sekdis, people.kabid} <= below
        with pytest.raises(ValidationError) as error:
            dispose(tenant, kadis, letter_id, ids[people.kadis_pu], "Tangani")
        assert (error.value.where, error.value.code) == ("to", "not_down")
        db.session.rollback()
    login(client, people.kadis, tenant)
    client.get(f"/t/{tenant.slug}/lang?locale=en")
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    offered = set(re.findall(r'<option value="(\d+)"', page.split('name="to"')[1].split("</select>")[0]))
    assert str(ids[people.kadis_pu]) not in offered and str(ids[people.sekdis]) in offered
    response = client.post(url(tenant, f"letters/{letter_id}/dispose"),
                           data={"csrf_token": csrf(page), "to": ids[people.kadis_pu], "instruction": "Tangani"})
    assert response.status_code == 400 and "is not below your position" in response.get_data(as_text=True)
    response = client.post(url(tenant, f"letters/{letter_id}/dispose"),
                           data={"csrf_token": csrf(page), "to": ids[people.sekdis], "instruction": "Telaah"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Disposition.to_id)).scalars().all() == [ids[people.sekdis]]


def test_the_demo_accounts_are_people_of_their_own_in_each_city():
    slugs = ("makassar", "bandung", "tangerang", "banten")
    for key in ("staff", "officer"):
        names = {demo_name(key, slug) for slug in slugs}
        assert len(names) == len(slugs), names
    for slug in slugs:
        names = [demo_name(key, slug) for key in DEMO_ROLES]
        assert names == [demo_name(key, slug) for key in DEMO_ROLES]  # the same on every run
        assert len({n.split()[0] for n in names}) == len(names)  # no two of one city share a given name
        for name in names:
            given, family = name.split(" ")
            assert given in DEMO_NAMES["given"] and family in DEMO_NAMES["family"]


def test_the_security_classification_in_the_readers_language(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = signed(tenant, people, security="terbatas").id
    login(client, people.kadis, tenant)
    for locale, said, other in (("en", "Restricted", "Terbatas"), ("id", "Terbatas", "Restricted")):
        client.get(f"/t/{tenant.slug}/lang?locale={locale}")
        page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
        shown = page.split('id="timeline"')[0]
        assert f"<dd>{said}</dd>" in shown and other not in shown, locale
        row = client.get(url(tenant, "outgoing")).get_data(as_text=True)
        assert f'eo-terbatas">{said}<' in row, locale
        form = client.get(url(tenant, "new")).get_data(as_text=True)
        assert f'<option value="biasa">{"Ordinary" if locale == "en" else "Biasa"}</option>' in form \
            or f'<option selected value="biasa">{"Ordinary" if locale == "en" else "Biasa"}</option>' in form


def test_an_unknown_classification_code_is_named(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        with pytest.raises(ValidationError) as error:
            require_classification(tenant, " 999.9.9 ")
        assert (error.value.where, error.value.code) == ("classification", "unknown_classification")
        assert "'999.9.9'" in str(error.value)  # the CLI's and the API's line
    login(client, people.drafter, tenant)
    for locale, said in (("en", "There is no classification code 999.9.9."),
                         ("id", "Tidak ada kode klasifikasi 999.9.9.")):
        client.get(f"/t/{tenant.slug}/lang?locale={locale}")
        page = client.get(url(tenant, "new")).get_data(as_text=True)
        response = client.post(url(tenant, "new"), data={**FORM, "csrf_token": csrf(page), "classification": "999.9.9"})
        assert response.status_code == 400 and said in response.get_data(as_text=True), locale
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Letter.id)).all() == []


def test_a_revoked_letter_is_not_a_letter_out(app_ctx, office):
    tenant, people = office
    with tenant_scope(tenant):
        first, second = signed(tenant, people), signed(tenant, people, subject="Laporan kebersihan pasar")

        def out() -> int:
            return next(row["out"] for row in per_agency(tenant) if row["code"] == "DLH")

        assert out() == 2
        revoke(tenant, first)
        assert out() == 1
        revoke(tenant, second, "Diganti surat baru")
        assert out() == 0
