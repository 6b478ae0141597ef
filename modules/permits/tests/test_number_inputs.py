"""Every number input of the permits forms and API takes plain digits only (issue 15 p15): a form's
number field (an area: digits with at most two decimals after a comma or point), the cashier's
amount (whole rupiah), the fee formula's amounts and bounds, the provider callback's amount (a JSON
integer) and the office form's stage. ``1e9``, ``1e3``, ``0x10``, ``١٢`` (Arabic-Indic digits),
``1_000``, a sign, a thousands separator are refused with a message on the field (the form again)
or a stable code (the API); surrounding whitespace is trimmed (the form stores the value trimmed)."""
from __future__ import annotations

import io
import re

import pytest

from core.kit import Actor, User, ValidationError, db, tenant_scope

from .. import fees, services
from ..models import Application
from .conftest import jpeg, pdf
from .test_api import invoiced, post
from .test_pages import form

EN = {"Accept-Language": "en"}
REFUSED = ["1e9", "1e3", "0x10", "١٢", "1_000", "+5", "-5", "12,555", "1.500.000", "1 000", "inf", "NaN", "12e", ""]
TAKEN = {"12": 12, " 12 ": 12, "12.0": 12, "120,5": 120.5, "0,25": 0.25, "1000000000": 10**9}


@pytest.mark.parametrize("text", REFUSED)
def test_a_number_field_refuses_what_is_not_plain_digits(text):
    with pytest.raises(ValidationError) as refused:
        fees._number(text, "luas_m2")
    assert refused.value.code == "not_a_number" and refused.value.where == "luas_m2"


@pytest.mark.parametrize("text,number", TAKEN.items())
def test_a_number_field_takes_digits_with_two_decimals(text, number):
    assert fees._number(text, "luas_m2") == number


def test_a_number_above_the_bound_is_refused_with_the_bound():
    with pytest.raises(ValidationError, match="1,000,000,000"):
        fees._number("1000000000,01", "luas_m2")


@pytest.mark.parametrize("formula", ["fixed 1e3", "fixed ١٢", "fixed 0x10", "fixed +5", "fixed 1_000",
                                     "per_unit ١٢ * luas_m2", "per_unit 1e3 * luas_m2",
                                     "table luas_m2 1e3:100 *:500", "table luas_m2 ١٢:100 *:500",
                                     "table luas_m2 0x10:100 *:500", "table luas_m2 1_0:100 *:500",
                                     "table luas_m2 100:١٢ *:500", "table luas_m2 +5:100 *:500"])
def test_a_fee_formula_takes_plain_digits_only(formula):
    with pytest.raises(ValidationError) as refused:
        fees.parse(formula)
    assert refused.value.code == "fee_formula"


def test_the_application_form_shows_each_bad_number_on_its_field(app, client, tenant, people, login):
    base = f"/t/{tenant.slug}/permits"
    login(client, people["citizen"], tenant)
    for text in ["1e9", "1e3", "0x10", "١٢", "1_000", "12,555"]:
        sent = client.post(f"{base}/apply/PBG", data=form(luas_m2=text, save="1"), headers=EN,
                           content_type="multipart/form-data")
        html = sent.get_data(as_text=True)
        assert sent.status_code == 400, text
        assert 'href="#luas_m2"' in html and "Write only digits" in html, text
    page = client.get(f"{base}/apply/PBG", headers=EN).get_data(as_text=True)
    assert 'inputmode="decimal"' in page and "decimals after a comma" in page   # the form says how
    saved = client.post(f"{base}/apply/PBG", data=form(luas_m2=" 12 ", save="1"), content_type="multipart/form-data")
    assert saved.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        rows = db.session.execute(db.select(Application.fields)).scalars().all()
    assert rows == [{"luas_m2": "12", "alamat": ""}]   # the only one saved, trimmed


def _cashier_page(app, client, tenant, people, login):
    code, fee, reference = invoiced(app, tenant, people)
    with app.app_context(), tenant_scope(tenant):
        aid = db.session.execute(db.select(Application.id).where(Application.reference == reference)).scalar_one()
    login(client, people["intake"], tenant)
    return aid, fee


@pytest.mark.parametrize("text", ["1e9", "0x10", "12.0", "١٢", "1_000", "+5", "-1", "0", "1.500.000", "",
                                  "99999999999999", "abc"])
def test_the_cashier_amount_takes_whole_rupiah_in_digits_only(app, client, tenant, people, login, audit_entries,
                                                              text):
    aid, fee = _cashier_page(app, client, tenant, people, login)
    sent = client.post(f"/t/{tenant.slug}/permits/applications/{aid}/pay", data={"amount": text, "reference": "K-1"},
                       headers=EN)
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400, text
    assert 'id="amount-err"' in html and 'href="#amount"' in html
    assert re.search(r"Write (only digits 0-9|the amount|a whole number from 1 to)", html), text
    # one message (issue 15: "abc" had "Not a valid integer value." and "Number must be at least 1." too)
    said = re.search(r'id="amount-err"[^>]*>(.*?)</', html, flags=re.S)[1]
    assert said.count("Write ") == 1 and said.strip().startswith("Write "), said
    assert "Not a valid" not in html and "must be at least" not in html, text
    assert audit_entries(tenant, "permits.paid") == []
    page = client.get(f"/t/{tenant.slug}/permits/applications/{aid}", headers=EN).get_data(as_text=True)
    assert 'inputmode="numeric"' in page and "Digits only" in page


def test_the_cashier_amount_with_spaces_around_is_the_number(app, client, tenant, people, login, audit_entries):
    aid, fee = _cashier_page(app, client, tenant, people, login)
    sent = client.post(f"/t/{tenant.slug}/permits/applications/{aid}/pay", data={"amount": f" {fee} "})
    assert sent.status_code == 302 and len(audit_entries(tenant, "permits.paid")) == 1


def test_the_callback_amount_is_a_json_integer_with_a_stable_code(app, client, tenant, people, audit_entries):
    """The provider's amount: a JSON integer above zero; anything else is 400 ``bad_request`` (the
    one code providers have always been given for the body's shape) naming ``amount``."""
    code, fee, _ = invoiced(app, tenant, people)
    for n, amount in enumerate([1e9, 1e3, float(fee), "12", str(fee), "0x10", "١٢", True, None, [fee], -5, 0]):
        sent = post(client, tenant, {"payment_code": code, "amount": amount, "reference": "BANK-1"}, key=f"k-{n}")
        error = sent.get_json()["error"]
        assert (sent.status_code, error["code"]) == (400, "bad_request") and error["message"].startswith("amount:"), \
            (amount, error)
    assert audit_entries(tenant, "permits.paid") == []


def test_the_office_form_stage_is_ascii_digits(app, client, tenant, people, login):
    code, fee, reference = invoiced(app, tenant, people)
    with app.app_context(), tenant_scope(tenant):
        aid = db.session.execute(db.select(Application.id).where(Application.reference == reference)).scalar_one()
    login(client, people["intake"], tenant)
    for step in ("²", "١", "1e0", "-0", " 0"):
        sent = client.post(f"/t/{tenant.slug}/permits/applications/{aid}/act", data={"step": step, "decision": "approve"})
        assert sent.status_code == 400, step   # a forged form (the page sends the digits it was given)


def test_a_jpeg_named_pdf_is_refused_for_a_user_too(app, client, tenant, people, login):
    base = f"/t/{tenant.slug}/permits"
    login(client, people["citizen"], tenant)
    sent = client.post(f"{base}/apply/PBG", content_type="multipart/form-data", headers=EN, data={
        **form(luas_m2="150", alamat="Jl. A", save="1"), "ktp": (io.BytesIO(jpeg()), "ktp.pdf"),
        "gambar": (io.BytesIO(pdf()), "gambar.pdf")})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400 and 'href="#ktp"' in html and "its content is JPG" in html
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == people["citizen"])).scalar_one()
        who = Actor.for_user(user, tenant)
        application = services.save_draft(tenant, who, "PBG", {"name": "Andi"}, {"luas_m2": "150"})
        with pytest.raises(ValidationError) as refused:
            services.attach(tenant, who, application, "ktp", jpeg(), "ktp.pdf")
        assert refused.value.code == "file_name_mismatch"
        assert services.attach(tenant, who, application, "ktp", jpeg(), "KTP.JPEG").content_type == "image/jpeg"
        assert services.attach(tenant, who, application, "ktp", jpeg(), "scan").content_type == "image/jpeg"
        db.session.rollback()
