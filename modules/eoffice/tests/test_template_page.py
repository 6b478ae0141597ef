"""The letter types' own page (issue 14.1): the tenant admin lists the types, creates one, edits
its body template and previews it (unsaved, or as stored); a template with script is refused on the
page naming what it holds (``unsafe_template``), nothing saved; every save audited; an officer may
not open it; a save from a stale page does not overwrite someone else's change."""
import pytest

from core.kit import db, tenant_scope

from ..settings import letter_types
from .test_pages import url

GOOD = "<p>Dengan hormat,</p><p>Bersama ini kami sampaikan <strong>undangan</strong>.</p>"


@pytest.fixture
def admin(app, client, office, create_user, login):
    tenant, people = office
    email = create_user(tenant, "admin")
    login(client, email, tenant)
    client.get(f"/t/{tenant.slug}/lang?locale=en")  # the messages below are checked in English
    return tenant, people, email


def stored(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return letter_types(tenant)


def test_list_create_edit_and_preview(app, client, admin, audit_entries):
    tenant, _, email = admin
    page = client.get(url(tenant, "templates")).get_data(as_text=True)
    assert 'id="letter-types"' in page and "Internal memo" in page and "Decree" in page  # names in English

    new = {"code": "sp", "name_id": "Surat Pengantar", "name_en": "Cover letter", "layout": "surat",
           "template": GOOD}
    preview = client.post(url(tenant, "templates/new"), data={**new, "do": "preview"})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'id="preview"' in text and "<strong>undangan</strong>" in text
    assert "SP" not in stored(app, tenant)  # a preview saves nothing
    saved = client.post(url(tenant, "templates/new"), data={**new, "do": "save"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/eoffice/templates")
    assert stored(app, tenant)["SP"] == {"code": "SP", "name_id": "Surat Pengantar", "name_en": "Cover letter",
                                         "layout": "surat", "template": GOOD}
    again = client.post(url(tenant, "templates/new"), data={**new, "do": "save"})
    assert again.status_code == 400 and "already a letter type" in again.get_data(as_text=True)

    edit = client.get(url(tenant, "templates/SP")).get_data(as_text=True)
    assert 'id="preview"' in edit and "<strong>undangan</strong>" in edit  # the stored one, rendered
    version = edit.split('id="version" name="version" type="hidden" value="')[1].split('"')[0]
    changed = client.post(url(tenant, "templates/SP"), data={**new, "template": "<p>Baru</p>", "version": version,
                                                            "do": "save"})
    assert changed.status_code == 302 and stored(app, tenant)["SP"]["template"] == "<p>Baru</p>"
    stale = client.post(url(tenant, "templates/SP"), data={**new, "template": "<p>Lama</p>", "version": version,
                                                          "do": "save"})
    assert stale.status_code == 400 and "someone else" in stale.get_data(as_text=True)
    assert stored(app, tenant)["SP"]["template"] == "<p>Baru</p>"

    made, updated = audit_entries(tenant, "eoffice.template.create"), audit_entries(tenant, "eoffice.template.update")
    assert [(e["object_id"], e["actor"]) for e in made] == [("SP", email)]
    assert updated[0]["summary"]["before"]["template"] == GOOD
    assert updated[0]["summary"]["after"]["template"] == "<p>Baru</p>"
    assert len(audit_entries(tenant, "tenant.module.settings")) == 2  # the core's own, of the whole document


@pytest.mark.parametrize("template, named", [
    ("<p>Halo</p><script>alert(1)</script>", "&lt;script&gt;"),
    ('<p onclick="steal()">Halo</p>', "onclick="),
    ('<img src="x" onerror="alert(1)">', "&lt;img&gt;"),
])
@pytest.mark.parametrize("do", ["preview", "save"])
def test_a_template_with_script_is_refused_on_the_page(app, client, admin, template, named, do):
    tenant, _, _ = admin
    before = stored(app, tenant)["SB"]
    answer = client.post(url(tenant, "templates/SB"), data={
        "name_id": "Surat Biasa", "name_en": "Letter", "layout": "surat", "template": template, "do": do})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and named in page and 'id="preview"' not in page
    assert "<script>alert" not in page.split("</textarea>")[-1]  # never rendered outside the text area
    assert stored(app, tenant)["SB"] == before


@pytest.mark.parametrize("field, value, message", [
    ("code", "1X", "capitals and digits"), ("name_id", "", "Enter the name"), ("layout", "poster", "Choose a layout"),
])
def test_bad_fields_come_back_on_the_form(app, client, admin, field, value, message):
    tenant, _, _ = admin
    data = {"code": "SP", "name_id": "Surat Pengantar", "name_en": "Cover letter", "layout": "surat", "do": "save"}
    answer = client.post(url(tenant, "templates/new"), data={**data, field: value})
    assert answer.status_code == 400 and message in answer.get_data(as_text=True)
    assert "SP" not in stored(app, tenant)


def test_an_officer_may_not_open_it_and_both_languages_work(app, client, office, admin, login):
    tenant, people, _ = admin
    page = client.get(url(tenant, "templates")).get_data(as_text=True)
    assert "Letter types and templates" in page and "Internal memo" in page
    assert "Layout" in client.get(url(tenant, "templates/SB")).get_data(as_text=True)
    assert client.get(url(tenant, "templates/NOPE")).status_code == 404
    client.get(f"/t/{tenant.slug}/lang?locale=id")
    refused = client.post(url(tenant, "templates/new"), data={"code": "1X", "name_id": "A", "name_en": "A",
                                                             "layout": "surat", "do": "save"})
    assert "Kode terdiri atas huruf kapital" in refused.get_data(as_text=True)
    assert "Jenis dan templat naskah" in client.get(url(tenant, "templates")).get_data(as_text=True)
    officer = app.test_client()
    login(officer, people.drafter, tenant)
    assert officer.get(url(tenant, "templates")).status_code == 403
    assert officer.post(url(tenant, "templates/new"), data={"code": "X"}).status_code == 403
    with app.app_context(), tenant_scope(tenant):
        db.session.rollback()


def test_markup_typed_into_a_refused_value_is_escaped_in_the_message(client, office, login):
    """Flask-Babel's lazy strings tell Jinja they are safe HTML: a message naming what someone typed
    (a unit code, a template's tags) is escaped (``core.i18n``: a lazy message is text, never markup)."""
    from .test_pages import FORM

    tenant, people = office
    login(client, people.drafter, tenant)
    answer = client.post(url(tenant, "new"), data={**FORM, "to_units": ['<img src=x onerror="alert(1)">']})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "&lt;img src=x onerror=" in page and "<img src=x" not in page


def test_every_bad_field_comes_back_at_once(app, client, admin):
    """Trial finding 9: a bad code and empty names and a bad layout are all named on one answer."""
    tenant, _, _ = admin
    data = {"code": "1X", "name_id": "", "name_en": "", "layout": "poster", "do": "save"}
    page = client.post(url(tenant, "templates/new"), data=data).get_data(as_text=True)
    assert 'id="code-err"' in page and 'id="name_id-err"' in page and 'id="name_en-err"' in page
    assert 'id="layout-err"' in page and "capitals and digits" in page
    assert page.count("Enter the name") == 4  # beside both name fields, and again in the summary at the top
    summary = page.split('id="error-summary"')[1].split("</ul>")[0]
    assert all(f'href="#{name}"' in summary for name in ("code", "name_id", "name_en", "layout"))
    assert "1X" not in stored(app, tenant)


def test_the_list_excerpt_keeps_words_apart(app, client, admin):
    """Trial polish: paragraphs, line breaks and list items of a template end a word in the list's
    excerpt ("menugaskan: Nama", not "menugaskan:Nama"); an entity reads as its character once."""
    tenant, _, _ = admin
    template = "<p>menugaskan:</p><p>Nama<br>Jabatan</p><ol><li>Melaksanakan tugas</li></ol><p>A &amp; B</p><p>Demikian</p>"
    new = {"code": "SP", "name_id": "Surat Pengantar", "name_en": "Cover letter", "layout": "surat",
           "template": template, "do": "save"}
    assert client.post(url(tenant, "templates/new"), data=new).status_code == 302
    page = client.get(url(tenant, "templates")).get_data(as_text=True)
    assert "menugaskan: Nama Jabatan Melaksanakan tugas A &amp; B Demikian" in page
