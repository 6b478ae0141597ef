"""Trial t14h: a province's ``/eoffice/letters`` typed by hand showed an empty list without saying
why (it writes no letter of its own: its cities' letters are theirs), and an admin of no agency saw
empty inbox and outgoing lists; the figures still counted a revoked letter as a letter in, and in
the average time to sign."""
from __future__ import annotations

import re
from datetime import timedelta

from core.kit import db, tenant_scope

from ..delivery import send
from ..figures import per_agency
from ..models import Letter
from .conftest import actor_of
from .helpers import signed
from .test_pages import url
from .test_revoked import revoke


def _row(tenant, code):
    return next(row for row in per_agency(tenant) if row["code"] == code)


def test_a_revoked_letter_is_not_a_letter_in(app_ctx, office):
    tenant, people = office
    with tenant_scope(tenant):
        first = signed(tenant, people)  # DLH to PU
        second = signed(tenant, people, subject="Laporan kebersihan pasar")
        for letter in (first, second):
            send(tenant, actor_of(tenant, people.drafter), letter.id)
        db.session.commit()
        assert _row(tenant, "PU")["in"] == 2
        revoke(tenant, first)
        assert _row(tenant, "PU")["in"] == 1
        revoke(tenant, second, "Diganti surat baru")
        assert _row(tenant, "PU")["in"] == 0


def test_the_average_time_to_sign_leaves_out_revoked_letters(app_ctx, office):
    tenant, people = office
    with tenant_scope(tenant):
        slow, quick = signed(tenant, people), signed(tenant, people, subject="Laporan kebersihan pasar")
        for letter, hours in ((slow, 10), (quick, 2)):
            row = db.session.get(Letter, letter.id)
            row.submitted_at = row.signed_at - timedelta(hours=hours)
        db.session.commit()
        assert _row(tenant, "DLH")["avg_hours_to_sign"] == 6.0
        revoke(tenant, slow)
        assert _row(tenant, "DLH")["avg_hours_to_sign"] == 2.0
        revoke(tenant, quick, "Diganti surat baru")
        assert _row(tenant, "DLH")["avg_hours_to_sign"] == 0.0


def _empty_note(text: str) -> str:
    found = re.search(r'<p id="empty-note"[^>]*>(.*?)</p>', text, re.S)
    assert found, text
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_a_province_without_letters_says_why_its_list_is_empty(app, client, make_tenant, create_user, login):
    province, people = make_tenant(kind="province", name="Provinsi Banten Uji")
    login(client, people.auditor, province)
    page = client.get(url(province, "letters"))
    assert page.status_code == 200 and 'class="eo-letters"' not in page.get_data(as_text=True)
    said = _empty_note(page.get_data(as_text=True))
    assert "Provinsi Banten Uji belum menandatangani atau menerima naskah dinas biasa" in said
    assert "kabupaten/kota" in said
    assert f'href="/t/{province.slug}/eoffice/figures/cities"' in page.get_data(as_text=True)
    client.get(f"/t/{province.slug}/lang?locale=en")
    english = _empty_note(client.get(url(province, "letters")).get_data(as_text=True))
    assert "Provinsi Banten Uji has signed or received no ordinary letter" in english and "cities" in english
    # a search that finds nothing says so, not the province's reason
    client.get(f"/t/{province.slug}/lang?locale=id")
    searched = _empty_note(client.get(url(province, "letters") + "?q=pasar").get_data(as_text=True))
    assert searched == "Tidak ada naskah yang cocok dengan “pasar”."
    # once it has a letter of its own, the list shows it
    with app.app_context(), tenant_scope(province):
        signed(province, people)
    listed = client.get(url(province, "letters")).get_data(as_text=True)
    assert 'id="empty-note"' not in listed
    assert re.search(r'<ul class="eo-letters">(.*?)</ul>', listed, re.S).group(1).count("<li") == 1


def test_a_city_without_letters_says_what_the_list_leaves_out(client, office, login):
    tenant, people = office
    login(client, people.auditor, tenant)
    said = _empty_note(client.get(url(tenant, "letters")).get_data(as_text=True))
    assert "terbatas" in said and "rahasia" in said and "kabupaten/kota" not in said


def test_an_admin_of_no_agency_is_told_why_inbox_and_outgoing_are_empty(client, office, create_user, login):
    tenant, people = office
    admin = create_user(tenant, "admin")
    login(client, admin, tenant)
    for path in ("inbox", "outgoing"):
        said = _empty_note(client.get(url(tenant, path)).get_data(as_text=True))
        assert "Anda tidak tercatat di perangkat daerah mana pun dan tidak memegang jabatan" in said, path
    # an officer of an agency with an empty inbox reads only "no letters"
    client.get(f"/t/{tenant.slug}/logout")
    login(client, people.staff_pu, tenant)
    said = _empty_note(client.get(url(tenant, "inbox")).get_data(as_text=True))
    assert said == "Tidak ada naskah."
