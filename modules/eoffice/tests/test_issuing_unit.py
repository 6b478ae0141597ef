"""A letter is issued by the signing position's office (issue 14, Permendagri 83/2022's
``<classification>/<serial>/<unit code>``): the Wali Kota's and the Sekda's letters are the
Setda's, whichever agency drafted them. Decided at signing: the number's unit code, the counter
(per tenant, issuing unit, classification, year), the kop, the register, the figures and the API
follow the issuing unit; the drafting agency's officers still see the letter."""
import pytest

from core.kit import User, assign_holder, db, find_position, tenant_scope

from ..drafting import Draft, save_draft, submit
from ..figures import per_agency
from ..models import Dossier, Filing
from ..review import sign
from .conftest import SINCE, actor_of
from .test_signer_identity import _text

AGENCIES = [
    {"code": "DLH", "name": "Dinas Lingkungan Hidup", "positions": [
        {"code": "KADIS-DLH", "name": "Kepala Dinas Lingkungan Hidup", "head": True}]},
    {"code": "PU", "name": "Dinas Pekerjaan Umum", "positions": [
        {"code": "KADIS-PU", "name": "Kepala Dinas Pekerjaan Umum", "head": True}]},
    {"code": "SETDA", "name": "Sekretariat Daerah", "positions": [
        {"code": "SEKDA", "name": "Sekretaris Daerah Kota Contoh", "head": True},
        {"code": "WALIKOTA", "name": "Wali Kota Contoh"}]},
]


@pytest.fixture
def city(app, create_tenant, create_user):
    from core.documents.certs import ensure_tenant_cert

    tenant = create_tenant(modules={"eoffice": {"kepala_daerah_position": "WALIKOTA",
                                                "sekretaris_daerah_position": "SEKDA"}}, agencies=AGENCIES)
    ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
    people = {"dlh": create_user(tenant, "officer", agency="DLH"), "dlh2": create_user(tenant, "officer", agency="DLH"),
              "pu": create_user(tenant, "officer", agency="PU"), "kadis": create_user(tenant, "officer", agency="DLH"),
              "walikota": create_user(tenant, "officer", agency="SETDA"),
              "sekda": create_user(tenant, "officer", agency="SETDA")}
    with app.app_context():
        for code, key in (("KADIS-DLH", "kadis"), ("WALIKOTA", "walikota"), ("SEKDA", "sekda")):
            assign_holder(tenant, find_position(tenant, code), people[key], "test", start=SINCE)
        db.session.commit()
    return tenant, people


def _signed(tenant, people, drafter, unit, signer, signer_code, **over):
    values = dict(letter_type="SB", classification="000.8.3.3", subject=f"Surat dari {unit}",
                  body="<p>Dengan hormat.</p>", unit=unit, to_units=["PU" if unit != "PU" else "DLH"], signer=signer_code)
    values.update(over)
    letter = save_draft(tenant, actor_of(tenant, people[drafter]), Draft(**values))
    db.session.commit()
    submit(tenant, actor_of(tenant, people[drafter]), letter.id)
    db.session.commit()
    return sign(tenant, actor_of(tenant, people[signer]), letter.id, 0)


def test_letters_drafted_in_two_agencies_and_signed_by_the_wali_kota_share_the_setdas_counter(app, city):
    tenant, people = city
    with app.app_context(), tenant_scope(tenant):
        first = _signed(tenant, people, "dlh", "DLH", "walikota", "WALIKOTA")
        second = _signed(tenant, people, "pu", "PU", "walikota", "WALIKOTA")
        own = _signed(tenant, people, "dlh", "DLH", "kadis", "KADIS-DLH")  # the agency's own counter is apart
        assert (first.number, second.number, own.number) == ("000.8.3.3/1/SETDA", "000.8.3.3/2/SETDA",
                                                             "000.8.3.3/1/DLH")
        assert [(x.unit_code, x.drafting_unit_code) for x in (first, second, own)] == [
            ("SETDA", "DLH"), ("SETDA", "PU"), ("DLH", "DLH")]
        assert first.unit_name == "Sekretariat Daerah"
        # filed with the issuing unit's records; counted as the Setda's letters out
        assert db.session.execute(db.select(Dossier.unit_code).join(Filing, Filing.dossier_id == Dossier.id)
                                  .where(Filing.letter_id == first.id)).scalar_one() == "SETDA"
        rows = {r["code"]: r["out"] for r in per_agency(tenant)}
        assert (rows["SETDA"], rows["DLH"], rows["PU"]) == (2, 1, 0)
        text = " ".join(_text(tenant, first).split())
    assert text.upper().startswith("WALI KOTA CONTOH") and "000.8.3.3/1/SETDA" in text


def test_the_sekdas_letter_drafted_in_an_agency_has_the_setdas_kop_and_code(app, city):
    tenant, people = city
    with app.app_context(), tenant_scope(tenant):
        letter = _signed(tenant, people, "dlh", "DLH", "sekda", "SEKDA")
        assert letter.number == "000.8.3.3/1/SETDA"
        text = " ".join(_text(tenant, letter).split()).upper()
    assert "SEKRETARIAT DAERAH" in text and "DINAS LINGKUNGAN HIDUP" not in text.split("NOMOR")[0]


def test_the_register_api_and_pages_name_the_issuing_unit_and_the_drafters_colleagues_still_see_it(
        app, client, city, create_token, login):
    tenant, people = city
    with app.app_context(), tenant_scope(tenant):
        letter = _signed(tenant, people, "dlh", "DLH", "walikota", "WALIKOTA")
        letter_id = letter.id
    token = create_token(tenant, "eoffice:read")
    answer = client.get(f"/t/{tenant.slug}/api/v1/eoffice/letters", headers={"Authorization": f"Bearer {token}"})
    (entry,) = answer.get_json()["letters"]
    assert (entry["number"], entry["unit"]) == ("000.8.3.3/1/SETDA", "SETDA")
    figures = client.get(f"/t/{tenant.slug}/api/v1/eoffice/figures", headers={"Authorization": f"Bearer {token}"})
    assert {r["code"]: r["out"] for r in figures.get_json()["agencies"]}["SETDA"] == 1
    # a colleague of the drafter in DLH (not in the chain) sees it in the outgoing list and opens it
    login(client, people["dlh2"], tenant)
    listing = client.get(f"/t/{tenant.slug}/eoffice/outgoing").get_data(as_text=True)
    assert "000.8.3.3/1/SETDA" in listing
    page = client.get(f"/t/{tenant.slug}/eoffice/letters/{letter_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sekretariat Daerah" in html and "Dinas Lingkungan Hidup" in html
    with app.app_context():
        drafter = db.session.execute(db.select(User).where(User.email == people["dlh"])).scalar_one()
        assert (drafter.name or drafter.email) in html
