"""The admin's page for a person's NIP and rank (issue 14): set, changed and cleared through the
same service as the tenant file (audited, the NIP masked); a bad or taken NIP shows the form again
with the message and changes nothing; only this tenant's admin, only this tenant's people; the
Users page shows a "Rank and NIP" column; Indonesian and English."""
import re
import uuid

from core.audit import AuditEntry
from core.auth.models import User
from core.extensions import db
from core.tenancy.scope import tenant_scope


def _nip() -> str:
    """A well-formed NIP of its own (the users table is shared by the test session)."""
    v = uuid.uuid4().int
    year, month, day, serial = 1960 + v % 40, 1 + (v >> 8) % 12, 1 + (v >> 16) % 28, 1 + (v >> 24) % 999
    return f"{year:04d}{month:02d}{day:02d}{year + 25:04d}03{1 + (v >> 40) % 2}{serial:03d}"


def _person(app, email):
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == email)).scalar_one()
        return user.id, user.nip, user.rank


def _entries(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return [(e.object_id, e.summary) for e in db.session.execute(
            db.select(AuditEntry).where(AuditEntry.action == "user.official_identity").order_by(AuditEntry.id)).scalars()]


def _setup(client, create_tenant, create_user, login, locale="en"):
    tenant = create_tenant(locales=["id", "en"])
    admin, officer = create_user(tenant, "admin"), create_user(tenant, "officer", agency="DLH")
    login(client, admin, tenant)
    client.get(f"/t/{tenant.slug}/lang?locale={locale}")
    return tenant, officer


def test_set_change_and_clear_audited_with_the_nip_masked(app, client, create_tenant, create_user, login):
    tenant, officer = _setup(client, create_tenant, create_user, login)
    user_id, _, _ = _person(app, officer)
    url, nip = f"/t/{tenant.slug}/admin/users/{user_id}/official", _nip()
    users = client.get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    assert "Rank and NIP" in users and f'href="{url}"' in users  # the column, and the way in

    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert officer in html and 'name="nip"' in html and 'name="rank"' in html and "Pembina Tk. I (IV/b)" in html

    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"  # as it is printed on a card
    saved = client.post(url, data={"nip": spaced, "rank": "  Penata   (III/c) "})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/t/{tenant.slug}/admin/users")
    assert _person(app, officer)[1:] == (nip, "Penata (III/c)")
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*" + re.escape(officer) + r"(?:(?!</tr>).)*</tr>",
                    client.get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True), re.S).group(0)
    assert "Penata (III/c)" in row and f"NIP. {nip}" in row

    assert client.post(url, data={"nip": nip, "rank": "Penata Tk. I (III/d)"}).status_code == 302  # changed
    assert _person(app, officer)[1:] == (nip, "Penata Tk. I (III/d)")
    assert client.post(url, data={"nip": "", "rank": ""}).status_code == 302  # cleared
    assert _person(app, officer)[1:] == (None, None)
    assert client.post(url, data={"nip": "", "rank": ""}).status_code == 302  # nothing changed: no entry

    masked = nip[:4] + "*" * 12 + nip[-2:]
    assert _entries(app, tenant) == [
        (officer, {"before": {"nip": None, "rank": None}, "after": {"nip": masked, "rank": "Penata (III/c)"}}),
        (officer, {"before": {"nip": masked, "rank": "Penata (III/c)"}, "after": {"nip": masked, "rank": "Penata Tk. I (III/d)"}}),
        (officer, {"before": {"nip": masked, "rank": "Penata Tk. I (III/d)"}, "after": {"nip": None, "rank": None}}),
    ]
    audit = client.get(f"/t/{tenant.slug}/admin/audit").get_data(as_text=True)
    assert nip not in audit  # nowhere in the audit trail in full


def test_a_bad_or_taken_nip_shows_the_form_again_and_changes_nothing(app, client, create_tenant, create_user, login):
    tenant, officer = _setup(client, create_tenant, create_user, login)
    holder = create_user(create_tenant(), "admin")  # a person of another tenant holds this NIP
    taken = _nip()
    with app.app_context():
        db.session.execute(db.select(User).where(User.email == holder)).scalar_one().nip = taken
        db.session.commit()
    user_id, _, _ = _person(app, officer)
    url = f"/t/{tenant.slug}/admin/users/{user_id}/official"
    cases = [
        ({"nip": "19751312200003100", "rank": "Penata (III/c)"}, "NIP must have 18 digits, not 17"),
        ({"nip": "1975031220000310x2"}, "NIP may contain only digits"),
        ({"nip": "197513122000031002"}, "NIP holds a date of birth that does not exist"),
        ({"nip": taken, "rank": "Penata (III/c)"}, "This NIP is already recorded for another person."),
        ({"nip": "", "rank": "P" * 61}, "At most 60 characters."),
    ]
    for data, message in cases:
        response = client.post(url, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert message in html.replace("&#39;", "'"), (data, html[html.find("error-summary"):][:500])
        assert 'id="error-summary"' in html and 'aria-invalid="true"' in html
        assert holder not in html  # whose NIP it is stays theirs
        assert _person(app, officer)[1:] == (None, None)
    assert _entries(app, tenant) == []


def test_only_this_tenants_people_and_only_its_admin(app, client, create_tenant, create_user, login):
    tenant, officer = _setup(client, create_tenant, create_user, login)
    elsewhere = create_tenant()
    stranger = create_user(elsewhere, "officer", agency="DLH")
    nobody = create_user(None)  # an account with no role anywhere
    for email in (stranger, nobody):
        user_id = _person(app, email)[0]
        url = f"/t/{tenant.slug}/admin/users/{user_id}/official"
        assert client.get(url).status_code == 404
        assert client.post(url, data={"nip": _nip(), "rank": "Penata (III/c)"}).status_code == 404
        assert _person(app, email)[1:] == (None, None)
    assert client.get(f"/t/{tenant.slug}/admin/users/99999999/official").status_code == 404
    # the other tenant's admin page for this tenant's officer: not theirs either
    other = app.test_client()
    login(other, create_user(elsewhere, "admin"), elsewhere)
    assert other.get(f"/t/{elsewhere.slug}/admin/users/{_person(app, officer)[0]}/official").status_code == 404
    # an officer of the tenant is no admin
    own = app.test_client()
    login(own, officer, tenant)
    assert own.get(f"/t/{tenant.slug}/admin/users/{_person(app, officer)[0]}/official").status_code == 403
    assert own.post(f"/t/{tenant.slug}/admin/users/{_person(app, officer)[0]}/official",
                    data={"nip": _nip()}).status_code == 403
    assert _person(app, officer)[1:] == (None, None)


def test_the_page_and_its_messages_in_indonesian(app, client, create_tenant, create_user, login):
    tenant, officer = _setup(client, create_tenant, create_user, login, locale="id")
    user_id = _person(app, officer)[0]
    url = f"/t/{tenant.slug}/admin/users/{user_id}/official"
    users = client.get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    assert "Pangkat dan NIP" in users and "Rank and NIP" not in users
    html = client.get(url).get_data(as_text=True)
    assert "Pangkat/golongan" in html and "18 angka" in html and "Simpan" in html
    bad = client.post(url, data={"nip": "19751312200003100"}).get_data(as_text=True)
    assert "NIP harus terdiri atas 18 angka, bukan 17" in bad
    holder = create_user(tenant, "officer", agency="DLH")
    taken = _nip()
    assert client.post(f"/t/{tenant.slug}/admin/users/{_person(app, holder)[0]}/official",
                       data={"nip": taken}).status_code == 302
    assert "NIP ini sudah tercatat untuk orang lain." in client.post(url, data={"nip": taken}).get_data(as_text=True)
    saved = client.post(url, data={"nip": "", "rank": "Penata (III/c)"}, follow_redirects=True).get_data(as_text=True)
    assert "Pangkat dan NIP disimpan." in saved and "Penata (III/c)" in saved


def test_the_english_page_says_it_in_english(app, client, create_tenant, create_user, login):
    tenant, officer = _setup(client, create_tenant, create_user, login, locale="en")
    html = client.get(f"/t/{tenant.slug}/admin/users/{_person(app, officer)[0]}/official").get_data(as_text=True)
    assert "Rank (pangkat/golongan)" in html and "18 digits" in html and "Rank and NIP of" in html
    saved = client.post(f"/t/{tenant.slug}/admin/users/{_person(app, officer)[0]}/official",
                        data={"rank": "Penata (III/c)"}, follow_redirects=True).get_data(as_text=True)
    assert "Rank and NIP saved." in saved


def test_gelar_saved_apart_from_the_name_audited_and_too_long_refused(app, client, create_tenant, create_user, login):
    """Permendagri 1/2023 Pasal 44: a letter prints the name with or without gelar, so the gelar
    before and after the name are recorded apart (official_identity's ``titled_name``)."""
    from core.auth.official import official_identity

    tenant, officer = _setup(client, create_tenant, create_user, login)
    user_id, _, _ = _person(app, officer)
    url = f"/t/{tenant.slug}/admin/users/{user_id}/official"
    html = client.get(url).get_data(as_text=True)
    assert 'name="title_front"' in html and 'name="title_back"' in html
    saved = client.post(url, data={"nip": "", "rank": "", "title_front": " Dr. ", "title_back": "S.T.,  M.Si."})
    assert saved.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        identity = official_identity(user)
        assert (user.title_front, user.title_back) == ("Dr.", "S.T., M.Si.")
        assert identity["name"] == (user.name or user.email)  # the shape the other modules read is kept
        assert identity["titled_name"] == f"Dr. {user.name or user.email}, S.T., M.Si."
    assert any((s or {}).get("after", {}).get("title_back") == "S.T., M.Si." for _, s in _entries(app, tenant))
    refused = client.post(url, data={"nip": "", "rank": "", "title_front": "x" * 41, "title_back": ""})
    assert refused.status_code == 400 and "At most 40 characters." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).title_front == "Dr."
