"""The track page of an open complaint names its resolution target once, in the deadlines section
(``_clock.html``, which also knows when the clock is stopped), not a second time as "Expected by"."""
import re

from .test_portal import post_form, url


def test_the_resolution_target_is_shown_once(client, tenant):
    response = post_form(client, tenant)
    assert response.status_code == 302
    number = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(url(tenant, f"track/{number}")).get_data(as_text=True)
    clock = re.search(r'<section class="clock" id="clock".*?</section>', page, re.S).group(0)
    targets = re.findall(r"<dd>([^<]+)</dd>", clock)
    assert len(targets) == 2  # response and resolution targets, both still running
    assert page.count(f"<dd>{targets[-1]}</dd>") == 1, targets[-1]


def _clock_targets(client, tenant, number) -> list[str]:
    page = client.get(url(tenant, f"track/{number}")).get_data(as_text=True)
    clock = re.search(r'<section class="clock" id="clock".*?</section>', page, re.S).group(0)
    return re.findall(r"<dt>([^<]+)</dt>", clock)


def test_a_follow_up_plan_due_after_the_fix_is_not_shown(app, client, tenant):
    """The trial of issue 20: rubbish is to be fixed in 3 days, a verified complaint's follow-up plan
    within 5 working days of verification; the page showed the plan due after the fix. The earlier
    deadline is the one shown; a category resolved in 14 days shows both."""
    from .queue_common import move

    numbers = {}
    for category in ("SAMPAH", "JALAN"):
        response = post_form(client, tenant, category=category, SIZE="S")
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        numbers[category] = response.headers["Location"].rsplit("/", 1)[1]
        move(app, tenant, numbers[category], "verified")
    client.set_cookie("pamong_locale", "en")
    rubbish, road = (_clock_targets(client, tenant, numbers[c]) for c in ("SAMPAH", "JALAN"))
    assert "To be finished by" in rubbish and "Follow-up plan due by" not in rubbish
    assert "To be finished by" in road and "Follow-up plan due by" in road
