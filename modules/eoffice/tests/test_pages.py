"""The officer's pages over HTTP: draft, paraf, sign, send, read, dispose, follow up; bad input
comes back on the page with its message; counters; search; another tenant sees nothing."""
import re

from core.kit import db, tenant_scope

from ..access import get_letter
from .helpers import next_31_january

def url(tenant, path=""):
    return f"/t/{tenant.slug}/eoffice/{path}"


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else ""


FORM = {"letter_type": "SB", "classification": "000.8.3.3", "security": "biasa", "unit": "DLH",
        "subject": "Rapat koordinasi kebersihan", "body": "<p>Dengan hormat,</p><script>alert(1)</script>",
        "to_units": ["PU"], "cc_external": "Wali Kota Makassar", "verifier_1": "SEK-DLH", "signer": "KADIS-DLH"}


def new_letter(client, tenant, **over) -> int:
    response = client.post(url(tenant, "new"), data={**FORM, **over})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_a_letter_from_draft_to_follow_up(app, client, office, login, outbox):
    tenant, people = office
    login(client, people.drafter, tenant)
    assert client.get(url(tenant)).status_code == 200
    assert client.get(url(tenant, "new")).status_code == 200
    letter_id = new_letter(client, tenant)
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    assert "<script>" not in page and "Dengan hormat" in page  # the body was sanitised where it entered
    assert client.post(url(tenant, f"letters/{letter_id}/submit")).status_code == 302

    for who, action, step in ((people.sekdis, "verify", 0), (people.kadis, "sign", 1)):
        other = app.test_client()
        login(other, who, tenant)
        assert 'id="to-' in other.get(url(tenant)).get_data(as_text=True)
        response = other.post(url(tenant, f"letters/{letter_id}/{action}"), data={"step": step})
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    assert "000.8.3.3/1/DLH" in page and 'id="letter-pdf"' in page
    pdf = client.get(url(tenant, f"letters/{letter_id}/pdf"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.post(url(tenant, f"letters/{letter_id}/send")).status_code == 302
    assert [m for m in outbox(tenant, "email") if "000.8.3.3/1/DLH" in m["subject"]]

    head = app.test_client()
    login(head, people.kadis_pu, tenant)
    home = head.get(url(tenant)).get_data(as_text=True)
    assert re.search(r'id="unread"><strong>1</strong>', home)
    page = head.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)  # opening marks it read
    assert re.search(r'id="unread"><strong>0</strong>', head.get(url(tenant)).get_data(as_text=True))
    staff_id = re.search(r'<option value="(\d+)">[^<]*</option>', page.split('name="to"')[1]).group(1)
    due = next_31_january(tenant)  # within the year a due date may be in
    response = head.post(url(tenant, f"letters/{letter_id}/dispose"),
                         data={"to": staff_id, "instruction": "Siapkan bahan rapat", "due_on": due.isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]

    given = head.get(url(tenant, "dispositions")).get_data(as_text=True).split('id="given"')[1].split("</ul>")[0]
    assert "Siapkan bahan rapat" in given  # the head watches what they disposed until it is followed up

    staff = app.test_client()
    login(staff, people.staff_pu, tenant)
    assert re.search(r'id="open-dispositions">\s*<strong>1</strong>', staff.get(url(tenant)).get_data(as_text=True))
    page = staff.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    disposition = re.search(r'dispositions/(\d+)/follow-up', page).group(1)
    assert 'name="to"' not in page  # holding no position, the staff member passes it to nobody (trial t14e)
    chains = page.split('id="dispositions"')[1].split("</ul>")[0]
    assert '<li class="eo-depth-0">' in chains
    assert f"31 Jan {due.year}" in chains and due.isoformat() not in chains  # the due date in the reader's language
    response = staff.post(url(tenant, f"dispositions/{disposition}/follow-up?letter={letter_id}"),
                          data={"follow_up": "Bahan rapat sudah disiapkan"})
    assert response.status_code == 302
    timeline = staff.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True).split('id="timeline"')[1]
    assert "Siapkan bahan rapat" in timeline and "Bahan rapat sudah disiapkan" in timeline
    assert re.search(r'id="open-dispositions">\s*<strong>0</strong>', staff.get(url(tenant)).get_data(as_text=True))
    assert 'id="given"' not in head.get(url(tenant, "dispositions")).get_data(as_text=True)  # followed up: off the list


def test_bad_input_comes_back_on_the_form(app, client, office, login):
    tenant, people = office
    login(client, people.drafter, tenant)
    for over, words in (({"classification": "999.9"}, None), ({"to_units": [], "cc_external": ""}, None),
                        ({"subject": ""}, None), ({"signer": ""}, None), ({"unit": "PU"}, None)):
        response = client.post(url(tenant, "new"), data={**FORM, **over})
        assert response.status_code == 400, over
        assert 'class="error"' in response.get_data(as_text=True), over
    # every problem at once, in the summary at the top: the form's own (subject) and the service's
    bad = {**FORM, "subject": "", "classification": "999.9", "unit": "PU", "signer": "", "to_units": [],
           "cc_external": "", "to_tenants": ["tidak-ada"]}
    page = client.post(url(tenant, "new"), data=bad).get_data(as_text=True)
    summary = page.split('id="error-summary"')[1].split("</ul>")[0]
    for name in ("subject", "classification", "unit", "signer", "to_tenants"):
        assert f'href="#{name}"' in summary, (name, summary)
    assert summary.count("<li>") >= 5
    with app.app_context(), tenant_scope(tenant):
        from ..models import Letter

        assert db.session.execute(db.select(Letter.id)).first() is None  # nothing half written


def test_signing_out_of_turn_over_http_is_refused_on_the_page(app, client, office, login):
    tenant, people = office
    login(client, people.drafter, tenant)
    letter_id = new_letter(client, tenant)
    client.post(url(tenant, f"letters/{letter_id}/submit"))
    head = app.test_client()
    login(head, people.kadis, tenant)
    response = head.post(url(tenant, f"letters/{letter_id}/sign"), data={"step": 1})
    assert response.status_code == 400 and 'role="alert"' in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert get_letter(tenant, letter_id).number is None


def test_lists_are_searchable_and_paginated(client, make_tenant, login):
    tenant, people = make_tenant({"page_size": 5})
    login(client, people.drafter, tenant)
    for n in range(7):
        new_letter(client, tenant, subject=f"Surat nomor {n}")
    first = client.get(url(tenant, "outgoing")).get_data(as_text=True)
    assert first.count("Surat nomor") == 5 and "page=2" in first
    assert client.get(url(tenant, "outgoing?page=2")).get_data(as_text=True).count("Surat nomor") == 2
    found = client.get(url(tenant, "outgoing?q=nomor+3")).get_data(as_text=True)
    assert found.count("Surat nomor") == 1 and "Surat nomor 3" in found


def test_another_tenant_sees_nothing(app, client, office, make_tenant, login):
    tenant, people = office
    login(client, people.drafter, tenant)
    letter_id = new_letter(client, tenant)
    other, others = make_tenant()
    stranger = app.test_client()
    login(stranger, others.drafter, other)
    assert stranger.get(url(other, f"letters/{letter_id}")).status_code == 404
    outsider = app.test_client()
    login(outsider, people.outsider, tenant)  # same tenant, not involved, ordinary officer
    assert outsider.get(url(tenant, f"letters/{letter_id}")).status_code == 404


def test_pages_need_the_permission(client, office, create_user, login):
    tenant, _people = office
    assert client.get(url(tenant)).status_code == 302
    login(client, create_user(tenant, "citizen"), tenant)
    assert client.get(url(tenant)).status_code == 403
    assert client.get(url(tenant, "new")).status_code == 403


def test_pages_speak_the_tenants_language(app, make_tenant, login):
    for locale, words in (("id", ["Perlu ditandatangani", "Naskah masuk belum dibaca", "Disposisi belum ditindaklanjuti"]),
                          ("en", ["To sign", "Unread incoming", "Dispositions not followed up"])):
        tenant, people = make_tenant(locales=[locale])
        client = app.test_client()
        login(client, people.drafter, tenant)
        home = client.get(url(tenant)).get_data(as_text=True)
        assert all(w in home for w in words), locale
        draft = client.get(url(tenant, "new")).get_data(as_text=True)
        assert ("Konsep naskah" if locale == "id" else "Draft a letter") in draft
