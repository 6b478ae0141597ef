"""An auditor (eoffice.oversee, not eoffice.work) is shown only the e-office links they may open
(the trial found links that answered 403): every e-office link on their pages opens."""
import re

from .test_pages import url


def test_every_eoffice_link_an_auditor_is_shown_opens(client, office, login):
    tenant, people = office
    login(client, people.auditor, tenant)
    prefix = f"/t/{tenant.slug}/eoffice/"
    seen, todo = set(), [url(tenant, "figures"), f"/t/{tenant.slug}/"]
    while todo:
        page = todo.pop()
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        seen.add(page)
        for href in re.findall(r'href="([^"#?]+)', response.get_data(as_text=True)):
            if href.startswith(prefix) and not href.endswith(".css") and href not in seen and href not in todo:
                todo.append(href)
    assert url(tenant, "figures") in seen and url(tenant, "inbox") not in seen
    assert client.get(url(tenant, "inbox")).status_code == 403  # the page exists; the link is not shown
