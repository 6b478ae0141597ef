"""Every problem of a filing at once (the issue 20 trial): the citizen's form showed WTForms' errors
first and the service's only once those passed, and the service stopped at its first problem, so a
citizen on a phone fixed one group, sent, and met the next. Now ``services.validate`` collects every
problem (``core.kit.raise_all``), the form runs it beside WTForms' own, and the summary at the top
links to each; the API keeps the first problem's code, Open311 lists each problem."""
import json
import re
from xml.etree import ElementTree as ET

import pytest

from core.kit import Problems, ValidationError, tenant_scope
from modules.complaints import services
from modules.complaints.settings import settings_of

from .conftest import image_bytes
from .location_common import EN, ID, PARIS, count, post_form, speak, url


@pytest.fixture
def tenant(make_tenant):
    """Indonesian first, English on the visitor's choice."""
    return make_tenant(locales=["id", "en"])


@pytest.fixture(autouse=True)
def english(client):
    speak(client, EN)


def summary_links(page: str) -> list[str]:
    found = re.search(r'<div class="error-summary" id="error-summary" role="alert".*?</div>', page, re.S)
    assert found, "no error summary"
    return re.findall(r'<a href="#([^"]+)">', found.group(0))


def test_a_form_problem_and_the_services_problems_are_shown_in_one_answer(app, client, tenant):
    """No description (WTForms), a phone and an e-mail that are not ones, a place in Paris, three
    photos where two are allowed (the service): all five in the summary, each beside its field."""
    three = [(image_bytes(), f"p{i}.jpg") for i in range(3)]
    answer = post_form(client, tenant, photos=three, description="", phone="12", email="not-an-address",
                       latitude=PARIS[0], longitude=PARIS[1])
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert summary_links(page) == ["description", "latitude", "photos", "phone", "email"]
    for said in ("This field is required.", "This place is outside Indonesia", "At most 2 photos.",
                 "This is not a valid phone number.", "This is not an e-mail address."):
        assert page.count(said) == 2, said  # in the summary and at the field
    assert count(app, tenant) == 0


def test_in_indonesian_too(app, client, tenant):
    page = post_form(client, tenant, lang=ID, description="", phone="12").get_data(as_text=True)
    assert summary_links(page) == ["description", "phone"]
    assert "Kolom ini wajib diisi." in page and "Nomor telepon ini tidak sah." in page
    assert count(app, tenant) == 0


def test_the_services_problems_alone_come_all_at_once(app, client, tenant):
    """WTForms finds nothing; the service finds three (it no longer stops at its first)."""
    answer = post_form(client, tenant, phone="12", email="not-an-address", latitude=PARIS[0], longitude=PARIS[1])
    assert answer.status_code == 400
    assert summary_links(answer.get_data(as_text=True)) == ["latitude", "phone", "email"]
    assert count(app, tenant) == 0


def test_a_field_wtforms_refused_is_not_told_twice(app, client, tenant):
    """"abc" is too short for WTForms and for the service: one message at the description."""
    page = post_form(client, tenant, description="abc", phone="12").get_data(as_text=True)
    assert summary_links(page) == ["description", "phone"]


def test_the_hotline_form_shows_every_problem_too(app, client, tenant, create_user, login):
    login(client, create_user(tenant, "officer", agency="DLH"), tenant)
    answer = client.post(url(tenant, "hotline"), data={
        "category": "SAMPAH", "description": "", "phone": "12", "notify_by": "none"})
    assert answer.status_code == 400
    assert summary_links(answer.get_data(as_text=True)) == ["description", "phone"]
    assert count(app, tenant) == 0


def test_validate_raises_every_problem_in_the_order_of_the_form(app_ctx, tenant):
    filing = services.Filing(category="NOPE", description="", phone="12", latitude="95", longitude="")
    with tenant_scope(tenant), pytest.raises(Problems) as raised:
        services.validate(tenant, filing, "portal", settings_of(tenant))
    assert [(p.where, p.code) for p in raised.value.problems] == [
        ("category", "unknown_category"), ("description", "required"), ("latitude", "invalid_coordinate"),
        ("phone", "invalid_phone")]
    assert raised.value.code == "unknown_category" and raised.value.where == "category"  # the first, for one-error callers
    # a coordinate refused is not also "give both"; one problem alone is itself, not Problems
    with tenant_scope(tenant), pytest.raises(ValidationError) as one:
        services.validate(tenant, services.Filing(category="SAMPAH", description="Sampah di pasar",
                                                  latitude="-5.1", longitude="999"), "portal", settings_of(tenant))
    assert type(one.value) is ValidationError and one.value.code == "invalid_coordinate"
    assert services.problems_of(tenant, services.Filing(category="SAMPAH", description="Sampah di pasar"), "portal") == []


def test_the_api_keeps_the_first_problems_code_and_names_them_all(client, tenant, token_for_tenant):
    token = token_for_tenant(tenant, "complaints:write")
    answer = client.post(f"/t/{tenant.slug}/api/v1/complaints/", headers={"Authorization": f"Bearer {token}"},
                         json={"category": "NOPE", "description": "Sampah di selokan", "phone": "12"})
    error = answer.get_json()["error"]
    assert answer.status_code == 400 and set(error) == {"code", "message"}
    assert error["code"] == "unknown_category" and "category" in error["message"] and "phone" in error["message"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_lists_each_problem(client, tenant, token_for_tenant, fmt):
    key = token_for_tenant(tenant, "complaints:write")
    answer = client.post(f"/t/{tenant.slug}/open311/v2/requests.{fmt}", data={
        "api_key": key, "service_code": "SAMPAH", "lat": "1", "long": "1", "description": "<b>x</b> sampah"})
    assert answer.status_code == 400
    if fmt == "json":
        errors = [(e["code"], e["description"]) for e in json.loads(answer.get_data(as_text=True))]
    else:
        errors = [(int(e.find("code").text), e.find("description").text) for e in ET.fromstring(answer.get_data())]
    assert [code for code, _ in errors] == [400, 400]
    assert errors[0][1].startswith("description:") and errors[1][1].startswith("latitude:")
