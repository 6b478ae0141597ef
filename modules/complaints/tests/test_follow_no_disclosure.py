"""Asking to follow with a contact that already follows (the issue 20 trial): the page answered
"This contact already follows complaint ...", which told anyone whether a given phone or e-mail
follows a complaint. Now the answer, the next page and a wrong code's refusal are the same as for a
contact that does not follow; the contact gets a code, keeps following meanwhile, and typing the
code back changes nothing but says so."""
from .test_filer_journey import base, file
from .test_follow_pending_codes import (  # noqa: F401  (english, tenant: fixtures: an English page, two languages)
    PHONE_1, PHONE_2, SENT_TO, ask, code_for, confirm, english, followed, followers, tenant,
)


def _refusal(client, tenant, number) -> tuple[int, str]:
    """A wrong code's answer, without the masked contact it names."""
    page = confirm(client, tenant, number, "000000")
    text = page.get_data(as_text=True)
    return page.status_code, text.replace("…0001", "").replace("…0002", "")


def test_a_contact_that_follows_already_gets_the_same_answer_as_a_new_one(app, client, tenant):
    number, _ = file(app, tenant)
    ask(client, tenant, number, PHONE_1)
    assert followed(confirm(client, tenant, number, code_for(app, tenant, number, PHONE_1)), number)

    follower, stranger = app.test_client(), app.test_client()
    for other in (follower, stranger):
        other.set_cookie("pamong_locale", "en")
    ask(follower, tenant, number, PHONE_1)  # follows already: the same redirect as a new contact
    ask(stranger, tenant, number, PHONE_2)
    pages = [other.get(f"{base(tenant)}/track/{number}/follow/confirm") for other in (follower, stranger)]
    assert [p.status_code for p in pages] == [200, 200]
    assert "already" not in pages[0].get_data(as_text=True).lower()
    first, second = _refusal(follower, tenant, number), _refusal(stranger, tenant, number)
    assert first[0] == second[0] == 400 and "not right" in first[1] and "not right" in second[1]
    assert followers(app, tenant, number) == [SENT_TO[PHONE_1]]  # still following while it asks again

    assert followed(confirm(follower, tenant, number, code_for(app, tenant, number, PHONE_1)), number)
    assert followers(app, tenant, number) == [SENT_TO[PHONE_1]]  # once, not twice
    used = confirm(follower, tenant, number, code_for(app, tenant, number, PHONE_1))  # single-use still
    assert used.status_code in (302, 400) and not followed(used, number)
