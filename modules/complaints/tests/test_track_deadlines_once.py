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
