"""Trial t14e (dispositions went up): as the Sekda, on a letter in the Setda, the "To" list offered
the Wali Kota and the Wakil (their positions sit in the Setda, so they counted as the Sekda's unit
colleagues) and disposing to them was accepted; the Wali Kota could dispose back to the Sekda (a
loop); a staff member without a position could dispose to his superior, the Sekretaris DLH. A
disposition goes only to positions below the disposer's (``hierarchy.subordinates``: the form's
choices and the service's check are one rule). Also: a due date had no upper bound
(``due_on=9999-12-31`` accepted): at most a year ahead."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from core.kit import ValidationError, assign_holder, db, find_position, local_date, tenant_scope, utcnow

from ..delivery import dispose, latest_due, targets
from ..demo import scan_pdf
from ..models import Disposition, Letter
from ..register import Incoming, register
from .conftest import SINCE, actor_of
from .test_pages import url

AGENCIES = [
    {"code": "DLH", "name": "Dinas Lingkungan Hidup", "positions": [
        {"code": "KADIS-DLH", "name": "Kepala Dinas Lingkungan Hidup", "head": True},
        {"code": "SEK-DLH", "name": "Sekretaris Dinas Lingkungan Hidup"}]},
    {"code": "PU", "name": "Dinas Pekerjaan Umum", "positions": [
        {"code": "KADIS-PU", "name": "Kepala Dinas Pekerjaan Umum", "head": True}]},
    {"code": "SETDA", "name": "Sekretariat Daerah", "positions": [
        {"code": "SEKDA", "name": "Sekretaris Daerah", "head": True},
        {"code": "WALIKOTA", "name": "Wali Kota Contoh"}, {"code": "WAWALI", "name": "Wakil Wali Kota Contoh"}]},
]
HOLDERS = {"KADIS-DLH": ("kadis", "DLH"), "SEK-DLH": ("sekdlh", "DLH"), "KADIS-PU": ("kadispu", "PU"),
           "SEKDA": ("sekda", "SETDA"), "WALIKOTA": ("walikota", "SETDA"), "WAWALI": ("wawali", "SETDA")}


@pytest.fixture
def city(app, create_tenant, create_user):
    """Makassar's shape: the Wali Kota's and the Wakil's positions declared in the Setda, whose head
    is the Sekda; the Setda receives letters from outside. ``people``: login -> e-mail."""
    tenant = create_tenant(agencies=AGENCIES, modules={"eoffice": {
        "kepala_daerah_position": "WALIKOTA", "wakil_kepala_daerah_position": "WAWALI",
        "sekretaris_daerah_position": "SEKDA", "incoming_unit": "SETDA"}})
    people = {login: create_user(tenant, "officer", agency=agency) for login, agency in HOLDERS.values()}
    people["staf"] = create_user(tenant, "officer", agency="DLH")  # no position
    people["agenda"] = create_user(tenant, "officer", agency="SETDA")  # the Setda's registrar, no position
    with app.app_context():
        for code, (login, _agency) in HOLDERS.items():
            assign_holder(tenant, find_position(tenant, code), people[login], "test", start=SINCE)
        db.session.commit()
    return tenant, people


def _received(tenant, people, unit, registrar) -> int:
    letter = register(tenant, actor_of(tenant, people[registrar]), Incoming(
        unit=unit, sender="PT Sinar Makassar", sender_number="012/SM/XI/2026", subject="Permohonan kerja sama",
        letter_date=date(2026, 11, 27), letter_type="SB", classification="000.8.3.3", security="biasa",
        scan=("surat.pdf", scan_pdf(["PT Sinar Makassar"]))))
    db.session.commit()
    return letter.id


def _id(tenant, people, login) -> int:
    return actor_of(tenant, people[login]).user.id


def _refused(tenant, people, by, letter_id, to, code, due=None):
    with pytest.raises(ValidationError) as error:
        dispose(tenant, actor_of(tenant, people[by]), letter_id, _id(tenant, people, to), "Tangani", due)
    assert (error.value.where, error.value.code) == ("due_on" if due else "to", code)
    db.session.rollback()
    return error.value


def test_a_disposition_goes_only_down_never_up_to_the_wali_kota_nor_back(app_ctx, city):
    tenant, people = city
    with tenant_scope(tenant):
        letter_id = _received(tenant, people, "SETDA", "agenda")
        letter = db.session.execute(db.select(Letter).where(Letter.id == letter_id)).scalar_one()

        def offered(login):
            return {u.email for u in targets(tenant, actor_of(tenant, people[login]), letter)}

        # the Sekda: the heads of the agencies and the Setda's staff, never the Wali Kota, the Wakil or himself
        assert offered("sekda") == {people["kadis"], people["kadispu"], people["agenda"]}
        for up in ("walikota", "wawali", "sekda"):
            error = _refused(tenant, people, "sekda", letter_id, up, "not_down")
        assert "is not below your position" in error.message
        # the Wali Kota is above everyone of the Setda and the heads of every agency; the Wakil below him only
        assert offered("walikota") == {people[p] for p in ("sekda", "wawali", "kadis", "kadispu", "agenda")}
        assert people["walikota"] not in offered("wawali") and people["sekda"] in offered("wawali")
        _refused(tenant, people, "wawali", letter_id, "walikota", "not_down")
        first = dispose(tenant, actor_of(tenant, people["walikota"]), letter_id, _id(tenant, people, "sekda"),
                        "Tangani")
        db.session.commit()
        _refused(tenant, people, "sekda", letter_id, "walikota", "not_down")  # back up: the loop
        second = dispose(tenant, actor_of(tenant, people["sekda"]), letter_id, _id(tenant, people, "kadis"),
                         "Tindak lanjuti")
        db.session.commit()
        assert second.parent_id == first.id
        # the Kepala Dinas reaches his agency only: his secretary and his staff, not another agency's head
        assert offered("kadis") == {people["sekdlh"], people["staf"]}
        _refused(tenant, people, "kadis", letter_id, "kadispu", "not_down")
        # the Setda's registrar holds no position: the letter reached him as the Setda's, he disposes nothing
        _refused(tenant, people, "agenda", letter_id, "sekda", "no_position")
        assert offered("agenda") == set()


def test_staff_without_a_position_do_not_dispose_to_their_superior(app_ctx, city):
    tenant, people = city
    with tenant_scope(tenant):
        letter_id = _received(tenant, people, "DLH", "staf")  # addressed to DLH: staf@ is a receiver
        error = _refused(tenant, people, "staf", letter_id, "sekdlh", "no_position")
        assert "you hold no position" in error.message
        _refused(tenant, people, "sekdlh", letter_id, "kadis", "not_down")  # the secretary up to the head
        row = dispose(tenant, actor_of(tenant, people["sekdlh"]), letter_id, _id(tenant, people, "staf"), "Siapkan")
        db.session.commit()
        assert row.to_id == _id(tenant, people, "staf")


def test_a_due_date_is_at_most_a_year_ahead(app_ctx, city):
    tenant, people = city
    with tenant_scope(tenant):
        letter_id = _received(tenant, people, "DLH", "staf")
        today = local_date(tenant, utcnow())
        for due in (date(9999, 12, 31), latest_due(today) + timedelta(days=1)):
            error = _refused(tenant, people, "kadis", letter_id, "sekdlh", "too_late", due)
            assert "at most one year ahead" in error.message
        assert db.session.execute(db.select(Disposition.id)).all() == []
        row = dispose(tenant, actor_of(tenant, people["kadis"]), letter_id, _id(tenant, people, "sekdlh"), "Tangani",
                      latest_due(today))
        db.session.commit()
        assert row.due_on == latest_due(today)
    assert latest_due(date(2028, 2, 29)) == date(2029, 2, 28) and latest_due(date(2026, 12, 4)) == date(2027, 12, 4)


def _choices(page: str) -> set[str]:
    select = page.split('name="to"')[1].split("</select>")[0]
    return set(re.findall(r'<option value="(\d+)"', select))


def test_the_form_offers_only_those_below_and_refuses_the_rest(app, client, city, login):
    tenant, people = city
    with app.app_context(), tenant_scope(tenant):
        setda_letter = _received(tenant, people, "SETDA", "agenda")
        dlh_letter = _received(tenant, people, "DLH", "sekdlh")
        ids = {login: _id(tenant, people, login) for login in people}
    login(client, people["sekda"], tenant)
    client.get(f"/t/{tenant.slug}/lang?locale=en")
    page = client.get(url(tenant, f"letters/{setda_letter}")).get_data(as_text=True)
    assert _choices(page) == {str(ids[p]) for p in ("kadis", "kadispu", "agenda")}
    for to, due, said in ((ids["walikota"], "", "is not below your position"),
                          (ids["kadis"], "9999-12-31", "at most one year ahead")):
        response = client.post(url(tenant, f"letters/{setda_letter}/dispose"),
                               data={"to": to, "instruction": "Tangani", "due_on": due})
        assert response.status_code == 400 and said in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Disposition.id)).all() == []  # nothing written
    staff = app.test_client()
    login(staff, people["staf"], tenant)
    staff.get(f"/t/{tenant.slug}/lang?locale=en")
    page = staff.get(url(tenant, f"letters/{dlh_letter}")).get_data(as_text=True)
    assert 'id="dispose"' not in page and 'name="to"' not in page  # no position: no disposition form
    response = staff.post(url(tenant, f"letters/{dlh_letter}/dispose"),
                          data={"to": ids["sekdlh"], "instruction": "Tangani"})
    assert response.status_code == 400 and "you hold no position" in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Disposition.id)).all() == []
