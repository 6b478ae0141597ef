"""A person's NIP and pangkat/golongan (issue 14, Permendagri 1/2023 signature block): set by the
tenant file's [[accounts.people]] (checked, audited, exported back), read by
core.kit.official_identity; the users columns go up, down and up again."""
import tomllib

from alembic import command
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import inspect

from cli import cli
from core import create_app, migrate
from core.audit.models import AuditEntry
from core.auth.models import User
from core.extensions import db
from core.kit import official_identity
from core.tenancy.scope import tenant_scope
from core.testing import unique
from tests.test_tenant_keys_upgrade import scratch_url  # noqa: F401 - a fixture

NIP = "197108251995031003"  # not the Makassar demo signer's: tests apply that file too
OTHER = "198001012005012001"  # each test its own: the users table is shared by the session


def _file(tmp_path, slug, people: str):
    path = tmp_path / f"{slug}-{unique('f')}.toml"
    path.write_text(f'slug = "{slug}"\nname = "Kota {slug}"\nkind = "city"\ntimezone = "Asia/Makassar"\n'
                    f'domains = ["{slug}.example.test"]\n[accounts]\n{people}')
    return path


def _run(app, *args):
    return CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))


def _user(app, email):
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == email)).scalar_one()
        return official_identity(user)


def test_the_file_sets_nip_and_rank_audited_and_exports_them(app, create_tenant, create_user, tmp_path):
    tenant = create_tenant()
    kadis, staff = create_user(tenant, "admin"), create_user(tenant, "officer", agency="DLH")
    people = (f'[[accounts.people]]\nemail = "{kadis}"\nnip = "19710825 199503 1 003"\nrank = "Pembina Tk. I (IV/b)"\n'
              f'[[accounts.people]]\nemail = "{staff}"\nrank = "Penata (III/c)"\n')
    result = _run(app, "tenant", "apply", str(_file(tmp_path, tenant.slug, people)))
    assert result.exit_code == 0, result.output
    assert _user(app, kadis)["nip"] == NIP and _user(app, kadis)["rank"] == "Pembina Tk. I (IV/b)"
    assert (_user(app, staff)["nip"], _user(app, staff)["rank"]) == (None, "Penata (III/c)")
    with app.app_context(), tenant_scope(tenant):
        entries = db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "user.official_identity")
                                     .order_by(AuditEntry.id)).scalars().all()
        assert [(e.object_id, e.summary["before"], e.summary["after"]) for e in entries] == [
            (kadis, {"nip": None, "rank": None}, {"nip": "1971************03", "rank": "Pembina Tk. I (IV/b)"}),
            (staff, {"nip": None, "rank": None}, {"nip": None, "rank": "Penata (III/c)"})]
        assert NIP not in str([e.summary for e in entries])  # the audit trail keeps the NIP masked
    exported = _run(app, "tenant", "export", tenant.slug)
    assert exported.exit_code == 0, exported.output
    assert tomllib.loads(exported.output)["accounts"]["people"] == [
        {"email": kadis, "nip": NIP, "rank": "Pembina Tk. I (IV/b)"}, {"email": staff, "rank": "Penata (III/c)"}]
    assert _run(app, "tenant", "apply", str(_file(tmp_path, tenant.slug, people))).exit_code == 0  # no change: no entry
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.action == "user.official_identity")).scalar() == 2


def test_a_person_who_is_not_a_member_is_refused_in_one_line(app, create_tenant, create_user, tmp_path):
    tenant, elsewhere = create_tenant(), create_tenant()
    kadis, stranger = create_user(tenant, "admin"), create_user(elsewhere, "admin")  # a user, of another tenant
    for email in (stranger, f"{unique('n')}@example.test"):
        path = _file(tmp_path, tenant.slug, f'[[accounts.people]]\nemail = "{kadis}"\nrank = "Penata (III/c)"\n'
                                            f'[[accounts.people]]\nemail = "{email}"\nnip = "{OTHER}"\n')
        result = _run(app, "tenant", "apply", str(path))
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert result.exit_code == 2 and len(lines) == 1, result.output
        assert str(path) in lines[0] and "accounts.people[1].email" in lines[0] and email in lines[0]
        assert f"is not a user of tenant '{tenant.slug}'" in lines[0]
        assert _user(app, kadis)["rank"] is None and _user(app, email if email == stranger else kadis)["nip"] is None
    new = _file(tmp_path, unique("new"), f'[[accounts.people]]\nemail = "{kadis}"\n')  # a new tenant has nobody yet
    result = _run(app, "tenant", "apply", str(new))
    assert result.exit_code == 2 and "accounts.people[0].email" in result.output and kadis in result.output


def test_person_not_member_is_the_code(app, create_tenant):
    from core.errors import ValidationError
    from core.tenancy.schema import parse_tenant
    from core.tenancy.service import check_people

    tenant = create_tenant()
    doc = parse_tenant({"slug": tenant.slug, "name": "x", "kind": "city", "timezone": "Asia/Makassar",
                        "accounts": {"people": [{"email": "nobody@example.test"}]}}, "f.toml")
    with app.app_context():
        try:
            check_people(doc, "f.toml")
        except ValidationError as exc:
            assert exc.code == "person_not_member" and exc.where == "f.toml: accounts.people[0].email"
        else:
            raise AssertionError("not refused")


def test_a_bad_or_taken_nip_names_its_key_and_changes_nothing(app, create_tenant, create_user, tmp_path):
    tenant = create_tenant()
    first, second = create_user(tenant, "admin"), create_user(tenant, "admin")
    bad = _run(app, "tenant", "apply", str(_file(tmp_path, tenant.slug,
                                                 f'[[accounts.people]]\nemail = "{first}"\nnip = "19751312200003100"\n')))
    assert bad.exit_code == 2 and "accounts.people[0].nip: NIP must have 18 digits, not 17" in bad.output
    ok = f'[[accounts.people]]\nemail = "{first}"\nnip = "{OTHER}"\n'
    assert _run(app, "tenant", "apply", str(_file(tmp_path, tenant.slug, ok))).exit_code == 0
    taken = _run(app, "tenant", "apply", str(_file(tmp_path, tenant.slug,
                                                   f'[[accounts.people]]\nemail = "{second}"\nnip = "{OTHER}"\n'
                                                   f'rank = "Penata (III/c)"\n')))
    assert taken.exit_code == 2 and f"accounts.people[0].nip: NIP {OTHER} belongs to another person" in taken.output
    assert _user(app, second)["nip"] is None and _user(app, second)["rank"] is None


def _columns(app) -> set[str]:
    with app.app_context():
        found = {c["name"] for c in inspect(db.engine).get_columns("users")}
        db.session.remove()
        db.engine.dispose()
    return found


def test_the_migration_goes_up_down_and_up_again(scratch_url, tmp_path):  # noqa: F811
    app = create_app({"DATABASE_URL": scratch_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "instance")})
    try:
        migrate.upgrade(app)
        assert {"nip", "rank"} <= _columns(app)
        engine = migrate.owner_engine(app)
        try:
            with engine.begin() as conn:
                core = next(u for u in migrate.units(app.extensions["pamong"]) if u.name == "core")
                command.downgrade(migrate._config(core, conn), "9a4c2e7b5d13")
        finally:
            engine.dispose()
        assert not {"nip", "rank"} & _columns(app) and "token_nonce" in _columns(app)
        migrate.upgrade(app)
        assert {"nip", "rank"} <= _columns(app)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
