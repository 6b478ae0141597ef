"""Positions (jabatan) in the tenant file: apply, export round trip (acting holders included), and
every bad input refused with one line naming file and key, exit 2, nothing changed (issue 12.4)."""
import types

import pytest
import tomllib
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.audit import AuditEntry
from core.extensions import db
from core.tenancy import positions as jabatan
from core.tenancy.models import Position, PositionHolder
from core.tenancy.scope import tenant_scope
from core.tenancy.service import get_tenant
from core.testing import unique

BASE = """
slug = "{slug}"
name = "Kota {slug}"
kind = "city"
timezone = "Asia/Makassar"
domains = ["{slug}.example.test"]

[[agencies]]
code = "DLH"
name = "Dinas Lingkungan Hidup"
"""

POSITIONS = BASE + """
[[agencies.positions]]
code = "KADIS-DLH"
name = "Kepala Dinas Lingkungan Hidup"
head = true
holders = [
  {{ email = "{head}" }},
  {{ email = "{plt}", acting = true, from = 2026-11-01, until = 2026-12-31 }},
]

[[agencies.positions]]
code = "SEK-DLH"
name = "Sekretaris Dinas"
holders = [{{ email = "{sek}" }}]

[[agencies.sections]]
code = "DLH-PPKL"
name = "Bidang Pengendalian Pencemaran"

[[agencies.sections.positions]]
code = "KABID-PPKL"
name = "Kepala Bidang PPKL"
head = true

[[districts]]
code = "MRS"
name = "Mariso"
positions = [{{ code = "CAMAT-MRS", name = "Camat Mariso", head = true }}]
villages = [{{ code = "MRS-LTM", name = "Lette", positions = [{{ code = "LURAH-LTM", name = "Lurah Lette", head = true }}] }}]
"""


@pytest.fixture
def run(app):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info)


@pytest.fixture
def people(app, run, tmp_path, create_user):
    """A tenant applied from BASE and three users with a role in it."""
    slug = unique("pos")
    path = tmp_path / f"{slug}.toml"
    path.write_text(BASE.format(slug=slug))
    assert run("tenant", "apply", str(path)).exit_code == 0
    with app.app_context():
        tenant = types.SimpleNamespace(id=get_tenant(slug).id, slug=slug)
    emails = {k: create_user(tenant, "officer", agency="DLH") for k in ("head", "plt", "sek")}
    return types.SimpleNamespace(slug=slug, tenant=tenant, **emails)


def _file(tmp_path, body, name="org.toml"):
    path = tmp_path / name
    path.write_text(body)
    return path


def test_positions_apply_and_export_round_trip(app, run, tmp_path, people, frozen_clock):
    body = POSITIONS.format(slug=people.slug, head=people.head, plt=people.plt, sek=people.sek)
    result = run("tenant", "apply", str(_file(tmp_path, body)))
    assert result.exit_code == 0, result.output
    exported = run("tenant", "export", people.slug)
    assert exported.exit_code == 0
    doc = tomllib.loads(exported.output)
    kadis = doc["agencies"][0]["positions"][0]
    assert kadis["code"] == "KADIS-DLH" and kadis["head"] is True
    assert kadis["holders"][0] == {"email": people.head}
    acting = kadis["holders"][1]
    assert acting["email"] == people.plt and acting["acting"] is True
    assert acting["from"].isoformat() == "2026-11-01" and acting["until"].isoformat() == "2026-12-31"
    assert "head" not in doc["agencies"][0]["positions"][1]
    assert doc["agencies"][0]["sections"][0]["positions"][0]["code"] == "KABID-PPKL"
    assert doc["districts"][0]["villages"][0]["positions"][0]["code"] == "LURAH-LTM"
    again = _file(tmp_path, exported.output, "again.toml")
    assert run("tenant", "apply", str(again)).exit_code == 0
    assert run("tenant", "export", people.slug).output == exported.output
    with app.app_context():
        tenant = get_tenant(people.slug)
        from datetime import date
        assert [u.email for u in jabatan.holders_of(tenant, "KADIS-DLH", date(2026, 11, 15))] == [people.head, people.plt]
        assert [u.email for u in jabatan.holders_of(tenant, "KADIS-DLH", date(2027, 1, 1))] == [people.head]
        assert [u.email for u in jabatan.head_of(tenant, "DLH", day=date(2026, 10, 31))] == [people.head]
        with tenant_scope(tenant):
            actions = db.session.execute(db.select(AuditEntry.action).where(
                AuditEntry.action.startswith("org.position"))).scalars().all()
    assert actions.count("org.position.create") == 5 and "org.position.holders" in actions


def test_a_position_left_out_is_deactivated_and_loses_its_holders(app, run, tmp_path, people):
    body = POSITIONS.format(slug=people.slug, head=people.head, plt=people.plt, sek=people.sek)
    assert run("tenant", "apply", str(_file(tmp_path, body))).exit_code == 0
    fewer = body.replace('code = "SEK-DLH"\nname = "Sekretaris Dinas"\nholders = [{ email = "%s" }]\n' % people.sek, "")
    fewer = fewer.replace("[[agencies.positions]]\n\n", "")
    assert "SEK-DLH" not in fewer
    result = run("tenant", "apply", str(_file(tmp_path, fewer, "fewer.toml")))
    assert result.exit_code == 0, result.output
    assert "SEK-DLH" not in run("tenant", "export", people.slug).output
    with app.app_context():
        tenant = get_tenant(people.slug)
        assert jabatan.holders_of(tenant, "SEK-DLH") == []
        assert jabatan.find_position(tenant, "SEK-DLH") is None


def _bad(people, stranger):
    good = POSITIONS.format(slug=people.slug, head=people.head, plt=people.plt, sek=people.sek)
    return [
        ("holder not a user of the tenant", good.replace(people.sek, stranger),
         f"agencies[0].positions[1].holders[0].email: '{stranger}' is not a user of tenant '{people.slug}'"),
        ("holder with no account at all", good.replace(people.sek, "nobody@nowhere.test"),
         "agencies[0].positions[1].holders[0].email: 'nobody@nowhere.test' is not a user"),
        ("duplicate position code", good.replace('code = "SEK-DLH"', 'code = "KADIS-DLH"'),
         "agencies[0].positions[1].code: position code 'KADIS-DLH' is also used at agencies[0].positions[0]"),
        ("duplicate code across units", good.replace('code = "LURAH-LTM"', 'code = "CAMAT-MRS"'),
         "districts[0].villages[0].positions[0].code: position code 'CAMAT-MRS' is also used at districts[0].positions[0]"),
        ("no head position", good.replace('name = "Camat Mariso", head = true', 'name = "Camat Mariso"'),
         "districts[0].positions: no head position"),
        ("two heads", good.replace('name = "Sekretaris Dinas"', 'name = "Sekretaris Dinas"\nhead = true'),
         "agencies[0].positions: two head positions ('KADIS-DLH' and 'SEK-DLH')"),
        ("acting without start", good.replace("acting = true, from = 2026-11-01, ", "acting = true, "),
         "agencies[0].positions[0].holders[1]: an acting holder (acting = true) needs 'from'"),
        ("period backwards", good.replace("until = 2026-12-31", "until = 2026-10-01"),
         "agencies[0].positions[0].holders[1]: 'until' is before 'from'"),
        ("bad date", good.replace("from = 2026-11-01", 'from = "2026-02-31"'),
         "agencies[0].positions[0].holders[1].from: '2026-02-31' is not a date"),
        ("unknown key", good.replace('head = true\nholders', 'head = true\nboss = true\nholders'),
         "agencies[0].positions[0].boss: unknown key"),
        ("bad position code", good.replace('code = "SEK-DLH"', 'code = "SEK DLH"'), "agencies[0].positions[1].code"),
        ("duplicate section code", good.replace('name = "Bidang Pengendalian Pencemaran"',
                                                'name = "Bidang Pengendalian Pencemaran"\n\n[[agencies.sections]]\ncode = "DLH-PPKL"\nname = "Lagi"'),
         "agencies[0].sections[1].code: code 'DLH-PPKL' is also used at agencies[0].sections[0]"),
    ]


def test_bad_position_input_is_refused_with_one_line_and_changes_nothing(app, run, tmp_path, people, create_user):
    other = create_tenant_ns(app, run, tmp_path)
    stranger = create_user(other, "officer", agency="DLH")  # a user, but of another tenant
    before = run("tenant", "export", people.slug).output
    for label, body, message in _bad(people, stranger):
        path = _file(tmp_path, body, "bad.toml")
        result = run("tenant", "apply", str(path))
        assert result.exit_code == 2, (label, result.output)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and str(path) in lines[0], (label, result.stderr)
        assert message in lines[0], (label, lines[0])
        assert run("tenant", "export", people.slug).output == before, label
    with app.app_context(), tenant_scope(people.tenant.id):
        assert db.session.execute(db.select(Position)).first() is None
        assert db.session.execute(db.select(PositionHolder)).first() is None


def create_tenant_ns(app, run, tmp_path):
    slug = unique("oth")
    assert run("tenant", "apply", str(_file(tmp_path, BASE.format(slug=slug), "other.toml"))).exit_code == 0
    with app.app_context():
        return types.SimpleNamespace(id=get_tenant(slug).id, slug=slug)


def test_acting_kinds_plh_pj_pjs_apply_export_and_an_unknown_kind_is_refused(app, run, tmp_path, people, frozen_clock):
    """Permendagri 1/2023 Pasal 44 names Plt., Plh., Pj. and Pjs.: ``acting = "plh"`` / ``"pj"`` / ``"pjs"`` are kept
    and exported as written, ``true`` stays Plt.; another word is refused, nothing changed."""
    from core.tenancy.position_reads import positions_of
    from core.auth.models import User

    body = POSITIONS.format(slug=people.slug, head=people.head, plt=people.plt, sek=people.sek)
    body = body.replace('{ email = "%s" }]' % people.sek, '{ email = "%s", acting = "plh", from = 2026-01-01 }]' % people.sek)
    assert 'acting = "plh"' in body
    result = run("tenant", "apply", str(_file(tmp_path, body)))
    assert result.exit_code == 0, result.output
    doc = tomllib.loads(run("tenant", "export", people.slug).output)
    kadis, sek = doc["agencies"][0]["positions"][:2]
    assert kadis["holders"][1]["acting"] is True and sek["holders"][0]["acting"] == "plh"
    with app.app_context():
        tenant = get_tenant(people.slug)
        user = db.session.execute(db.select(User).where(User.email == people.sek)).scalar_one()
        held = [p for p in positions_of(tenant, user) if p["code"] == "SEK-DLH"]
        assert held and held[0]["acting"] and held[0]["acting_kind"] == "plh"
    before = run("tenant", "export", people.slug).output
    bad = run("tenant", "apply", str(_file(tmp_path, body.replace('acting = "plh"', 'acting = "pjx"'), "bad.toml")))
    assert bad.exit_code == 2 and "agencies[0].positions[1].holders[0].acting" in bad.stderr
    assert run("tenant", "export", people.slug).output == before
    pj = run("tenant", "apply", str(_file(tmp_path, body.replace('acting = "plh"', 'acting = "pj"'), "pj.toml")))
    assert pj.exit_code == 0, pj.output
    assert tomllib.loads(run("tenant", "export", people.slug).output)["agencies"][0]["positions"][1]["holders"][0]["acting"] == "pj"
    pjs = run("tenant", "apply", str(_file(tmp_path, body.replace('acting = "plh"', 'acting = "pjs"'), "pjs.toml")))
    assert pjs.exit_code == 0, pjs.output  # penjabat sementara (Pasal 44(4))
    assert tomllib.loads(run("tenant", "export", people.slug).output)["agencies"][0]["positions"][1]["holders"][0]["acting"] == "pjs"
