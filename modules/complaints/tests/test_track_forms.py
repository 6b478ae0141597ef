"""Forms on a phone (issue 20.4) on the complaint's own page: every form of the track page (follow
by contact, the follow code, the rating, reopening, adding information, the officers' forms) that
comes back with errors is summed up at the top of the page, each message linking to its field by
the id the page gives it; the limits are named before they are met; no label gets a second
punctuation mark ("Tentang apa?:"); the bulk assignment's refusal names the complaint, never the
service's English field name ("assignee")."""
import re

import pytest

from core.kit import tenant_scope
from modules.complaints import services

from .conftest import SETTINGS
from .test_filer_journey import base, file, move  # the same filing and steps as the journey

EN, ID = "en", "id"


def summary_of(page: str) -> str:
    found = re.search(r'<div class="error-summary" id="error-summary".*?</div>', page, re.S)
    assert found, "no error summary"
    return found.group(0)


def links(summary: str) -> list[str]:
    return re.findall(r'<a href="#([^"]+)">', summary)


def at_top(page: str) -> None:
    """The summary comes right after the page's heading, before the complaint's details."""
    assert page.index("</h1>") < page.index('id="error-summary"') < page.index('class="details"')


@pytest.fixture
def tenant(make_tenant):
    return make_tenant(locales=["id", "en"])


@pytest.fixture
def english(client):
    client.set_cookie("pamong_locale", EN)
    return client


def test_a_wrong_follow_code_is_summed_up_at_the_top_linking_to_the_field(app, english, tenant):
    number, _ = file(app, tenant)
    asked = english.post(f"{base(tenant)}/track/{number}/follow/contact", data={"followc-contact": "0812-9999-0001"})
    assert asked.status_code == 302
    page = english.get(asked.headers["Location"]).get_data(as_text=True)
    assert 'id="error-summary"' not in page and "The 6 digits of the message we sent." in page
    refused = english.post(f"{base(tenant)}/track/{number}/follow/confirm", data={"code": "12"})
    page = refused.get_data(as_text=True)
    summary = summary_of(page)
    assert refused.status_code == 400 and links(summary) == ["code"] and 'id="code"' in page
    assert "This code is not right for this complaint" in summary
    assert page.index('id="error-summary"') < page.index('id="follow-code-form"')
    assert "/complaints/forms.js" in page


def test_a_bad_contact_to_follow_is_summed_up_at_the_top_of_the_track_page(app, english, tenant):
    number, _ = file(app, tenant)
    refused = english.post(f"{base(tenant)}/track/{number}/follow/contact", data={"followc-contact": "bukan nomor"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    summary = summary_of(page)
    at_top(page)
    assert links(summary) == ["followc-contact"] and 'id="followc-contact"' in page
    assert "0812 3456 7890" in summary
    too_long = english.post(f"{base(tenant)}/track/{number}/follow/contact",
                            data={"followc-contact": "a" * 300 + "@example.test"})
    assert "254" in summary_of(too_long.get_data(as_text=True))  # the limit, named


def test_the_filers_forms_are_summed_up_with_links_to_their_fields(app, english, tenant):
    number, key = file(app, tenant)
    move(app, tenant, number, "verified", "assigned", "in_progress", "resolved")
    # reopening without a reason, and with a wrong access code
    refused = english.post(f"{base(tenant)}/track/{number}/reopen", data={"reason": "", "access_key": "NOPE"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    at_top(page)
    assert "reason" in links(summary_of(page)) and 'id="reason"' in page
    refused = english.post(f"{base(tenant)}/track/{number}/reopen", data={"reason": "Masih ada", "access_key": "NOPE"})
    page = refused.get_data(as_text=True)
    assert links(summary_of(page)) == ["access_key"] and 'id="access_key"' in page
    assert "This access code does not match the complaint." in summary_of(page)
    # the rating: its radio buttons are linked by the first one
    move(app, tenant, number, "closed")
    refused = english.post(f"{base(tenant)}/track/{number}/rate", data={"rate-score": "", "rate-access_key": key})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    at_top(page)
    assert links(summary_of(page)) == ["rate-score-0"] and 'id="rate-score-0"' in page
    # the label ends in "?": no colon after it
    assert "How well was your complaint handled? " in summary_of(page)
    assert "handled?:" not in page


def test_adding_information_names_the_photo_limits_before_and_after(app, english, make_tenant):
    from io import BytesIO

    from .conftest import image_bytes

    tenant = make_tenant({**SETTINGS, "max_photos": 2, "max_photo_kb": 300}, locales=["id", "en"])
    number, key = file(app, tenant)
    page = english.get(f"{base(tenant)}/track/{number}").get_data(as_text=True)
    assert "JPEG, PNG or WebP; at most 2 photos of 300 KB each." in page
    photos = [(BytesIO(image_bytes()), f"p{i}.jpg") for i in range(3)]
    refused = english.post(f"{base(tenant)}/track/{number}/info", content_type="multipart/form-data",
                           data={"info-text": "Tambahan", "info-access_key": key, "info-photos": photos})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    at_top(page)
    assert "At most 2 photos." in summary_of(page)


def test_an_officers_form_is_summed_up_too(app, english, tenant, people, login):
    number, _ = file(app, tenant)
    move(app, tenant, number, "verified")
    login(english, people["dlh"], tenant)
    refused = english.post(f"{base(tenant)}/manage/{number}/reroute", data={"agency": "", "reason": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    at_top(page)
    assert sorted(links(summary_of(page))) == ["agency", "reason"]
    # a redaction's fields are written by hand: the summary links to their ids
    refused = english.post(f"{base(tenant)}/manage/{number}/redact", data={"target": "description", "text": "x",
                                                                         "reason": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert links(summary_of(page)) == ["redact-reason-description"] and 'id="redact-reason-description"' in page


def test_no_summary_when_nothing_went_wrong(app, english, tenant):
    number, _ = file(app, tenant)
    page = english.get(f"{base(tenant)}/track/{number}").get_data(as_text=True)
    assert 'id="error-summary"' not in page and "forms.js" not in page


def test_the_summary_in_indonesian_has_no_double_punctuation(app, client, tenant):
    client.set_cookie("pamong_locale", ID)
    answer = client.post(f"{base(tenant)}/new", data={"category": "", "description": "", "notify_by": "none"})
    summary = summary_of(answer.get_data(as_text=True))
    assert "?:" not in summary and ":</a>" not in summary
    assert "Kolom ini wajib diisi." in summary


def test_a_bulk_assignment_refused_names_the_complaint_not_the_field(app, client, tenant, people, login):
    numbers = [file(app, tenant)[0] for _ in range(2)]
    move(app, tenant, numbers[0], "verified")  # the second is not verified: it cannot be assigned
    for lang, expected in ((EN, f"Nothing was changed: {numbers[1]} cannot be assigned"),
                           (ID, f"Tidak ada yang diubah: {numbers[1]}")):
        client.set_cookie("pamong_locale", lang)
        login(client, people["dlh"], tenant)
        refused = client.post(f"{base(tenant)}/queue/bulk", data={"numbers": numbers, "bulk-action": "assign:me"})
        page = refused.get_data(as_text=True)
        problem = re.search(r'id="queue-problem">(.*?)</p>', page, re.S).group(1)
        assert refused.status_code == 400 and expected in problem and "assignee" not in problem
    with app.app_context(), tenant_scope(tenant):
        assert [services.get_by_number(tenant, n).assignee_id for n in numbers] == [None, None]


def test_assigning_the_same_officer_again_names_the_complaint(app, client, tenant, people, login):
    number, _ = file(app, tenant)
    move(app, tenant, number, "verified")
    client.set_cookie("pamong_locale", EN)
    login(client, people["dlh"], tenant)
    assert client.post(f"{base(tenant)}/manage/{number}/assign", data={"assign-assignee": "me"}).status_code == 302
    again = client.post(f"{base(tenant)}/manage/{number}/assign", data={"assign-assignee": "me"})
    page = again.get_data(as_text=True)
    assert again.status_code == 400
    assert f"Nothing was changed: {number} already has this assignee." in summary_of(page)
    assert links(summary_of(page)) == ["assign-assignee"]


def test_assigning_a_complaint_of_another_agency_is_refused_without_a_field_name(app, client, tenant, people,
                                                                                 login):
    number, _ = file(app, tenant)
    move(app, tenant, number, "verified")
    client.set_cookie("pamong_locale", EN)
    login(client, people["pu"], tenant)  # SAMPAH goes to DLH
    refused = client.post(f"{base(tenant)}/manage/{number}/assign", data={"assign-assignee": "me"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "agency." not in page and "you do not handle agency" not in page
    with app.app_context(), tenant_scope(tenant):
        assert services.get_by_number(tenant, number).assignee_id is None
