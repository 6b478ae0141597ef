"""Following without an account from one browser, two at once (the issue 20 trial): a second code
request in the same session (another complaint, or another contact) made the first pending code
useless. Each pending request now stays valid until used or expired; a code is still single-use and
refused for another complaint (issue 20, bad input); the session keeps at most a few requests, the
oldest dropped, and never a code."""
import re

import pytest

from core.kit import tenant_scope
from modules.complaints import follow as following, services
from modules.complaints.views import follow as follow_views

from .conftest import outbox
from .test_filer_journey import CODE, base, file

PHONE_1, PHONE_2, MAIL = "0812-9999-0001", "0812-9999-0002", "warga@example.test"
SENT_TO = {PHONE_1: "+6281299990001", PHONE_2: "+6281299990002", MAIL: MAIL}


@pytest.fixture
def tenant(make_tenant):
    return make_tenant(locales=["id", "en"])


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("pamong_locale", "en")


def ask(client, tenant, number, contact):
    asked = client.post(f"{base(tenant)}/track/{number}/follow/contact", data={"followc-contact": contact})
    assert asked.status_code == 302 and asked.headers["Location"].endswith(f"/track/{number}/follow/confirm")


def code_for(app, tenant, number, contact) -> str:
    """The last code sent to ``contact`` for complaint ``number``."""
    with app.app_context():
        sent = [body for _channel, to, body in outbox(tenant, "complaints:follow")
                if to == SENT_TO[contact] and number in body]
    return re.search(CODE, sent[-1]).group(1)


def confirm(client, tenant, number, code):
    return client.post(f"{base(tenant)}/track/{number}/follow/confirm", data={"code": code})


def followers(app, tenant, number) -> list[str]:
    with app.app_context(), tenant_scope(tenant):
        return sorted(r.contact for r in following.contact_followers_of(tenant, services.get_by_number(tenant, number)))


def followed(response, number) -> bool:
    return response.status_code == 302 and response.headers["Location"].endswith(f"/track/{number}")


def test_two_complaints_followed_at_once_both_confirm(app, client, tenant):
    first, _ = file(app, tenant)
    second, _ = file(app, tenant)
    ask(client, tenant, first, PHONE_1)
    ask(client, tenant, second, PHONE_1)  # the second request no longer makes the first code useless
    code_1, code_2 = code_for(app, tenant, first, PHONE_1), code_for(app, tenant, second, PHONE_1)
    page = client.get(f"{base(tenant)}/track/{first}/follow/confirm").get_data(as_text=True)
    assert 'id="code-sent"' in page and "…0001" in page
    assert followed(confirm(client, tenant, first, code_1), first)
    assert followed(confirm(client, tenant, second, code_2), second)
    assert followers(app, tenant, first) == followers(app, tenant, second) == [SENT_TO[PHONE_1]]


def test_one_complaint_on_two_contacts_both_confirm(app, client, tenant):
    number, _ = file(app, tenant)
    ask(client, tenant, number, PHONE_2)
    ask(client, tenant, number, MAIL)
    page = client.get(f"{base(tenant)}/track/{number}/follow/confirm").get_data(as_text=True)
    assert "…0002" in page and "w…@example.test" in page
    assert followed(confirm(client, tenant, number, code_for(app, tenant, number, MAIL)), number)
    assert followed(confirm(client, tenant, number, code_for(app, tenant, number, PHONE_2)), number)
    assert followers(app, tenant, number) == sorted([SENT_TO[PHONE_2], MAIL])


def test_a_code_used_twice_is_refused(app, client, tenant):
    first, _ = file(app, tenant)
    second, _ = file(app, tenant)
    ask(client, tenant, first, PHONE_1)
    ask(client, tenant, first, MAIL)
    ask(client, tenant, second, PHONE_2)
    used = code_for(app, tenant, first, PHONE_1)
    assert followed(confirm(client, tenant, first, used), first)
    again = confirm(client, tenant, first, used)  # another request of the same complaint still pending
    assert again.status_code == 400 and "This code is not right" in again.get_data(as_text=True)
    assert followers(app, tenant, first) == [SENT_TO[PHONE_1]]  # the e-mail does not follow by it
    assert followed(confirm(client, tenant, first, code_for(app, tenant, first, MAIL)), first)
    assert confirm(client, tenant, first, used).status_code == 400  # second's request still pending
    assert followed(confirm(client, tenant, second, code_for(app, tenant, second, PHONE_2)), second)
    last = confirm(client, tenant, first, used)  # nothing pending at all now
    assert last.status_code == 302 and last.headers["Location"].endswith("#follow-contact")
    with app.app_context(), tenant_scope(tenant):  # and by the row itself: spent
        complaint = services.get_by_number(tenant, first)
        row = next(r for r in following.contact_followers_of(tenant, complaint) if r.contact == SENT_TO[PHONE_1])
        try:
            following.confirm_follow(tenant, complaint, [row.id], used)
        except following.ValidationError as exc:
            assert exc.code == "code_used"
        else:
            raise AssertionError("a code was used twice")


def test_a_code_for_another_complaint_is_refused(app, client, tenant):
    first, _ = file(app, tenant)
    second, _ = file(app, tenant)
    ask(client, tenant, first, PHONE_1)
    ask(client, tenant, second, PHONE_2)
    code_2 = code_for(app, tenant, second, PHONE_2)
    refused = confirm(client, tenant, first, code_2)
    assert refused.status_code == 400 and "This code is not right" in refused.get_data(as_text=True)
    assert followers(app, tenant, first) == [] and followers(app, tenant, second) == []
    # nor a complaint this browser asked nothing for
    third, _ = file(app, tenant)
    assert confirm(client, tenant, third, code_2).status_code == 400 and followers(app, tenant, third) == []
    # both still confirm with their own codes
    assert followed(confirm(client, tenant, first, code_for(app, tenant, first, PHONE_1)), first)
    assert followed(confirm(client, tenant, second, code_2), second)


def test_the_session_keeps_a_few_requests_and_no_code(app, client, tenant, monkeypatch):
    monkeypatch.setattr(follow_views, "MAX_PENDING", 2)
    numbers = [file(app, tenant)[0] for _ in range(3)]
    for number in numbers:
        ask(client, tenant, number, PHONE_1)
    with client.session_transaction() as session:
        kept = session[follow_views._PENDING]
    assert [e["number"] for e in kept] == numbers[1:]  # the oldest dropped
    assert all(set(e) == {"t", "number", "row", "to", "until"} for e in kept)  # no code, no contact in clear
    oldest = confirm(client, tenant, numbers[0], code_for(app, tenant, numbers[0], PHONE_1))
    assert oldest.status_code == 400 and followers(app, tenant, numbers[0]) == []
    for number in numbers[1:]:
        assert followed(confirm(client, tenant, number, code_for(app, tenant, number, PHONE_1)), number)
