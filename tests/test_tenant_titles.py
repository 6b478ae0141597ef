"""Gelar (academic titles) from the tenant file (issue 14, Permendagri 1/2023 Pasal 44):
``[[accounts.people]]`` takes ``title_front`` / ``title_back``, checked (length, no markup),
applied by ``tenant apply`` (audited), exported back; left out they stay as stored, empty clears
them. The admin's page refuses markup in a gelar as the file does."""
import tomllib

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.audit.models import AuditEntry
from core.auth.models import User
from core.errors import ValidationError
from core.extensions import db
from core.kit import official_identity
from core.tenancy.schema import parse_tenant
from core.tenancy.scope import tenant_scope
from core.testing import unique


def _doc(people: list[dict]):
    return parse_tenant({"slug": "kota-x", "name": "Kota X", "kind": "city", "timezone": "Asia/Makassar",
                         "accounts": {"people": people}}, "x.toml")


def test_the_schema_takes_gelar_normalised_and_tells_left_out_from_empty():
    person = _doc([{"email": "a@example.test", "title_front": "  Dr.  Ir. ", "title_back": "S.T.,  M.Si.,"}]).accounts.people[0]
    assert (person.title_front, person.title_back) == ("Dr. Ir.", "S.T., M.Si.")
    assert person.titles(("Prof.", "M.A.")) == ("Dr. Ir.", "S.T., M.Si.")
    only_back = _doc([{"email": "a@example.test", "title_back": ""}]).accounts.people[0]
    assert only_back.title_front is None and only_back.titles(("Prof.", "M.A.")) == ("Prof.", None)
    assert _doc([{"email": "a@example.test"}]).accounts.people[0].titles(("Prof.", None)) == ("Prof.", None)
    for fine in ("Dr. (H.C.)", "Sp.PD-KGH", "H.", "S.Kom./S.E."):
        assert _doc([{"email": "a@example.test", "title_back": fine}]).accounts.people[0].title_back == fine


@pytest.mark.parametrize("field,value,message", [
    ("title_front", "x" * 41, "title_front is longer than 40 characters"),
    ("title_back", "x" * 61, "title_back is longer than 60 characters"),
    ("title_front", "<b>Dr.</b>", "title_front may not hold '<'"),
    ("title_back", 'S.T." onmouseover="x', "title_back may not hold '\"'"),
    ("title_back", "S.T.;M.Si.", "title_back may not hold ';'"),
    ("title_front", 3, "Input should be a valid string"),
])
def test_a_bad_gelar_is_one_error_naming_its_key(field, value, message):
    with pytest.raises(ValidationError) as caught:
        _doc([{"email": "a@example.test"}, {"email": "b@example.test", field: value}])
    assert caught.value.where == f"x.toml: accounts.people[1].{field}"
    assert message in caught.value.message


def _run(app, *args):
    return CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))


def _file(tmp_path, slug, people: str):
    path = tmp_path / f"{slug}-{unique('f')}.toml"
    path.write_text(f'slug = "{slug}"\nname = "Kota {slug}"\nkind = "city"\ntimezone = "Asia/Makassar"\n'
                    f'domains = ["{slug}.example.test"]\n[accounts]\n{people}')
    return path


def _identity(app, email):
    with app.app_context():
        return official_identity(db.session.execute(db.select(User).where(User.email == email)).scalar_one())


def test_tenant_apply_sets_gelar_audited_exported_kept_when_left_out_cleared_when_empty(
        app, create_tenant, create_user, tmp_path):
    tenant = create_tenant()
    kadis = create_user(tenant, "admin")
    person = f'[[accounts.people]]\nemail = "{kadis}"\nrank = "Pembina (IV/a)"\n'
    titled = person + 'title_front = "Dr."\ntitle_back = "S.T., M.Si."\n'
    result = _run(app, "tenant", "apply", str(_file(tmp_path, tenant.slug, titled)))
    assert result.exit_code == 0, result.output
    identity = _identity(app, kadis)
    assert (identity["title_front"], identity["title_back"], identity["rank"]) == ("Dr.", "S.T., M.Si.", "Pembina (IV/a)")
    assert identity["titled_name"] == f"Dr. {identity['name']}, S.T., M.Si."
    with app.app_context(), tenant_scope(tenant):
        entry = db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "user.official_identity")
                                   .order_by(AuditEntry.id.desc()).limit(1)).scalar_one()
        assert entry.summary["after"]["title_front"] == "Dr." and entry.summary["before"]["title_back"] is None
    exported = _run(app, "tenant", "export", tenant.slug)
    assert exported.exit_code == 0, exported.output
    assert tomllib.loads(exported.output)["accounts"]["people"] == [
        {"email": kadis, "rank": "Pembina (IV/a)", "title_front": "Dr.", "title_back": "S.T., M.Si."}]

    assert _run(app, "tenant", "apply", str(_file(tmp_path, tenant.slug, person))).exit_code == 0  # left out: kept
    assert _identity(app, kadis)["titled_name"] == f"Dr. {identity['name']}, S.T., M.Si."
    cleared = person + 'title_front = ""\n'
    assert _run(app, "tenant", "apply", str(_file(tmp_path, tenant.slug, cleared))).exit_code == 0  # empty: none
    identity = _identity(app, kadis)
    assert (identity["title_front"], identity["title_back"]) == (None, "S.T., M.Si.")


def test_markup_in_a_gelar_refuses_the_file_in_one_line_and_writes_nothing(app, create_tenant, create_user, tmp_path):
    tenant = create_tenant()
    kadis = create_user(tenant, "admin")
    path = _file(tmp_path, tenant.slug, f'[[accounts.people]]\nemail = "{kadis}"\nrank = "Pembina (IV/a)"\n'
                                        'title_back = "<script>alert(1)</script>"\n')
    result = _run(app, "tenant", "apply", str(path))
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert f"{path}: accounts.people[0].title_back" in lines[0] and "may not hold '<'" in lines[0]
    identity = _identity(app, kadis)
    assert (identity["rank"], identity["title_back"]) == (None, None)


def test_the_admin_page_refuses_markup_in_a_gelar_without_echoing_it(app, client, create_tenant, create_user, login):
    tenant = create_tenant(locales=["id", "en"])
    admin, officer = create_user(tenant, "admin"), create_user(tenant, "officer", agency="DLH")
    login(client, admin, tenant)
    with app.app_context():
        user_id = db.session.execute(db.select(User.id).where(User.email == officer)).scalar_one()
    url = f"/t/{tenant.slug}/admin/users/{user_id}/official"
    for locale, message in (("en", "Only letters, digits, spaces and . , &#39; ( ) - / &amp; are allowed."),
                            ("id", "Hanya huruf, angka, spasi, dan . , &#39; ( ) - / &amp; yang diizinkan.")):
        client.get(f"/t/{tenant.slug}/lang?locale={locale}")
        refused = client.post(url, data={"nip": "", "rank": "", "title_front": "<i>Dr.</i>", "title_back": ""})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 400 and message in html and "<i>Dr.</i>" not in html
    assert _identity(app, officer)["title_front"] is None
