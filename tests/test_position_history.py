"""Positions keep their history (issue 16.1, "history kept when they change"): a holding starts on its
day (the tenant's today unless given), ends yesterday or on a last day when removed, its row kept;
every read answers for a day, a past one included; ``tenant apply`` ends the holders a file drops,
and applying the same file (or its export) again changes nothing; the admin's page folds the earlier
holders away. The clock is frozen at 2026-03-02 09:00 WITA (``core.testing.FROZEN_AT``)."""
from datetime import date

import pytest
import tomllib
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.audit import AuditEntry
from core.errors import ValidationError
from core.extensions import db
from core.i18n import LOCALE_COOKIE
from core.tenancy import positions as jabatan
from core.tenancy.models import PositionHolder
from core.tenancy.position_reads import holdings, positions_of
from core.tenancy.scope import tenant_scope
from core.tenancy.service import get_tenant
from core.auth.service import find_user

TODAY = date(2026, 3, 2)
AGENCIES = [{"code": "DLH", "name": "Dinas Lingkungan Hidup", "positions": [
    {"code": "KADIS", "name": "Kepala Dinas", "head": True},
    {"code": "SEK", "name": "Sekretaris"}]}]


@pytest.fixture
def org(app, create_tenant, create_user, frozen_clock):
    tenant = create_tenant(agencies=AGENCIES, locales=["en", "id"])
    people = {name: create_user(tenant, "officer", agency="DLH") for name in ("andi", "sitti", "budi")}
    return tenant, people


@pytest.fixture
def scoped(app_ctx, org):
    """``org``, the test inside its tenant's scope (its rows readable after a commit, as in a request)."""
    with tenant_scope(org[0]):
        yield org


def _rows(tenant):
    with tenant_scope(tenant):
        return [(r.user_id, r.acting, r.starts_on, r.ends_on) for r in db.session.execute(
            db.select(PositionHolder).order_by(PositionHolder.id)).scalars()]


def _audit(tenant, prefix="org.position"):
    with tenant_scope(tenant):
        return db.session.execute(db.select(AuditEntry).where(AuditEntry.action.startswith(prefix))
                                  .order_by(AuditEntry.id)).scalars().all()


def _emails(users):
    return [u.email for u in users]


def test_a_holding_starts_today_and_a_removed_one_ends_yesterday_kept_as_history(scoped, frozen_clock):
    tenant, people = scoped
    kadis = jabatan.find_position(tenant, "KADIS")
    row = jabatan.assign_holder(tenant, kadis, people["andi"], "test")
    db.session.commit()
    assert row.starts_on == TODAY and row.ends_on is None
    assert _emails(jabatan.holders_of(tenant, "KADIS")) == [people["andi"]]
    assert jabatan.holders_of(tenant, "KADIS", date(2026, 3, 1)) == []  # not before its first day
    frozen_clock.advance(days=10)  # 2026-03-12
    assert jabatan.remove_holder(tenant, row, "test") is True  # kept: the admin page says "ended"
    db.session.commit()
    assert _rows(tenant) == [(find_user(people["andi"]).id, False, TODAY, date(2026, 3, 11))]  # the row is kept
    assert jabatan.holders_of(tenant, "KADIS") == [] and jabatan.head_of(tenant, "DLH") == []
    assert _emails(jabatan.holders_of(tenant, "KADIS", date(2026, 3, 11))) == [people["andi"]]
    assigned, removed = _audit(tenant)[-2:]
    assert assigned.action == "org.position.assign" and assigned.summary["after"]["from"] == "2026-03-02"
    assert removed.action == "org.position.unassign"
    assert removed.summary["before"] == {"email": people["andi"], "acting": False, "from": "2026-03-02"}
    assert removed.summary["after"]["until"] == "2026-03-11"


def test_a_last_day_a_holding_not_started_and_one_already_ended(scoped):
    tenant, people = scoped
    sek = jabatan.find_position(tenant, "SEK")
    andi = jabatan.assign_holder(tenant, sek, people["andi"], "test", start=date(2025, 1, 1))
    jabatan.remove_holder(tenant, andi, "test", last_day=date(2026, 1, 31))
    assert (andi.starts_on, andi.ends_on) == (date(2025, 1, 1), date(2026, 1, 31))
    with pytest.raises(ValidationError) as ended:
        jabatan.remove_holder(tenant, andi, "test", last_day=date(2026, 2, 15))
    assert ended.value.code == "holding_ended"
    upcoming = jabatan.assign_holder(tenant, sek, people["sitti"], "test", start=date(2026, 4, 1))
    assert jabatan.remove_holder(tenant, upcoming, "test") is False  # ends before it started: deleted
    db.session.commit()
    assert [r[1:] for r in _rows(tenant)] == [(False, date(2025, 1, 1), date(2026, 1, 31))]
    last = _audit(tenant)[-1]
    assert last.action == "org.position.unassign" and "after" not in last.summary
    assert last.summary["before"]["from"] == "2026-04-01"


def test_every_read_answers_for_a_past_day(scoped):
    """Andi headed DLH until February; Sitti since March; Budi was acting head (Plt.) in January."""
    tenant, people = scoped
    kadis = jabatan.find_position(tenant, "KADIS")
    andi = jabatan.assign_holder(tenant, kadis, people["andi"], "test", start=date(2020, 1, 1))
    jabatan.remove_holder(tenant, andi, "test", last_day=date(2026, 2, 28))
    jabatan.assign_holder(tenant, kadis, people["sitti"], "test", start=date(2026, 3, 1))
    jabatan.assign_holder(tenant, kadis, people["budi"], "test", acting=True, start=date(2026, 1, 1),
                          until=date(2026, 1, 31))
    db.session.commit()
    feb, jan = date(2026, 2, 15), date(2026, 1, 15)
    assert _emails(jabatan.holders_of(tenant, "KADIS", feb)) == [people["andi"]]
    assert _emails(jabatan.holders_of(tenant, "KADIS", jan)) == [people["andi"], people["budi"]]
    assert _emails(jabatan.holders_of(tenant, "KADIS")) == [people["sitti"]]
    assert _emails(jabatan.head_of(tenant, "DLH", day=feb)) == [people["andi"]]
    andi_user, sitti_user = find_user(people["andi"]), find_user(people["sitti"])
    assert jabatan.holds(tenant, andi_user, "KADIS", feb) and not jabatan.holds(tenant, andi_user, "KADIS")
    assert jabatan.holds(tenant, sitti_user, "KADIS") and not jabatan.holds(tenant, sitti_user, "KADIS", feb)
    assert [p["code"] for p in positions_of(tenant, andi_user, feb)] == ["KADIS"]
    assert positions_of(tenant, andi_user) == []
    assert [(h["email"], h["acting"]) for h in holdings(tenant, jan)] == [(people["andi"], False), (people["budi"], True)]
    assert [h["email"] for h in holdings(tenant)] == [people["sitti"]]


FILE = """
slug = "{slug}"
name = "Kota {slug}"
kind = "city"
timezone = "Asia/Makassar"
domains = ["{slug}.example.test"]

[[agencies]]
code = "DLH"
name = "Dinas Lingkungan Hidup"

[[agencies.positions]]
code = "KADIS"
name = "Kepala Dinas"
head = true
holders = [{holders}]

[[agencies.positions]]
code = "SEK"
name = "Sekretaris"
holders = [{{ email = "{sek}" }}]
"""


def test_tenant_apply_ends_dropped_holders_is_idempotent_and_its_export_round_trips(app, org, frozen_clock,
                                                                                      tmp_path):
    tenant, people = org
    runner, info = CliRunner(), ScriptInfo(create_app=lambda: app)

    def run(*args):
        return runner.invoke(cli, list(args), obj=info)

    def apply(holders, name="org.toml"):
        path = tmp_path / name
        path.write_text(FILE.format(slug=tenant.slug, holders=holders, sek=people["budi"]))
        result = run("tenant", "apply", str(path))
        assert result.exit_code == 0, result.output

    def state():
        with app.app_context():
            return _rows(tenant), len(_audit(tenant, ""))

    andi = f'{{ email = "{people["andi"]}" }}'
    apply(andi)  # the positions' first holders: since before the records
    with app.app_context():
        assert _emails(jabatan.holders_of(tenant, "KADIS", date(2019, 1, 1))) == [people["andi"]]
    frozen_clock.advance(days=10)  # 2026-03-12: Sitti succeeds Andi, Budi acting head in April
    changed = f'{{ email = "{people["sitti"]}" }}, {{ email = "{people["budi"]}", acting = true, from = 2026-04-01, until = 2026-04-30 }}'
    apply(changed)
    after = state()
    with app.app_context():
        ids = {k: find_user(v).id for k, v in people.items()}
        assert sorted(r for r in after[0] if r[0] != ids["budi"] or r[1]) == sorted([
            (ids["andi"], False, None, date(2026, 3, 11)), (ids["sitti"], False, date(2026, 3, 12), None),
            (ids["budi"], True, date(2026, 4, 1), date(2026, 4, 30))])
        assert _emails(jabatan.holders_of(tenant, "KADIS", date(2026, 3, 11))) == [people["andi"]]
        assert _emails(jabatan.holders_of(tenant, "KADIS")) == [people["sitti"]]
        assert _emails(jabatan.holders_of(tenant, "KADIS", date(2026, 4, 2))) == [people["sitti"], people["budi"]]
        holders = [e for e in _audit(tenant) if e.action == "org.position.holders" and e.object_id == "KADIS"]
        assert holders[-1].summary["before"] == [{"email": people["andi"], "acting": False}]
    apply(changed)  # the same file again: nothing changes, nothing audited
    assert state() == after
    frozen_clock.advance(days=1)  # and on a later day too
    apply(changed)
    assert state() == after
    exported = run("tenant", "export", tenant.slug)
    assert exported.exit_code == 0
    kadis = tomllib.loads(exported.output)["agencies"][0]["positions"][0]
    assert [h["email"] for h in kadis["holders"]] == [people["sitti"], people["budi"]]  # Andi's holding is history
    assert kadis["holders"][0]["from"] == date(2026, 3, 12)
    (tmp_path / "export.toml").write_text(exported.output)
    assert run("tenant", "apply", str(tmp_path / "export.toml")).exit_code == 0
    assert state() == after
    assert run("tenant", "export", tenant.slug).output == exported.output



def test_a_file_without_holders_keeps_the_holdings_and_an_empty_list_ends_them(app, org, frozen_clock, tmp_path):
    """Re-trial of issue 16: a tenant file naming no holders ended every holding (and every TPP with
    it). No ``holders`` key: the holdings stay; ``holders = []``: they end, audited."""
    tenant, people = org
    runner, info = CliRunner(), ScriptInfo(create_app=lambda: app)

    def apply(text, name):
        path = tmp_path / name
        path.write_text(text)
        result = runner.invoke(cli, ["tenant", "apply", str(path)], obj=info)
        assert result.exit_code == 0, result.output

    def held():
        with app.app_context():
            return {code: _emails(jabatan.holders_of(tenant, code)) for code in ("KADIS", "SEK")}

    full = FILE.format(slug=tenant.slug, holders=f'{{ email = "{people["andi"]}" }}', sek=people["budi"])
    apply(full, "full.toml")
    assert held() == {"KADIS": [people["andi"]], "SEK": [people["budi"]]}
    with app.app_context():
        audited = len(_audit(tenant))
    bare = "\n".join(line for line in full.splitlines() if not line.startswith("holders"))
    assert "holders" not in bare
    frozen_clock.advance(days=3)
    apply(bare, "bare.toml")
    assert held() == {"KADIS": [people["andi"]], "SEK": [people["budi"]]}  # untouched
    with app.app_context():
        assert len(_audit(tenant)) == audited  # nothing changed, nothing audited
    apply(bare.replace('name = "Sekretaris"', 'name = "Sekretaris"\nholders = []'), "empty.toml")
    assert held() == {"KADIS": [people["andi"]], "SEK": []}  # an explicit empty list ends them
    with app.app_context():
        ended = [e for e in _audit(tenant) if e.action == "org.position.holders" and e.object_id == "SEK"][-1]
        assert ended.summary["before"] == [{"email": people["budi"], "acting": False}] and ended.summary["after"] == []
        assert _emails(jabatan.holders_of(tenant, "SEK", date(2026, 3, 4))) == [people["budi"]]  # history kept

def test_the_admin_page_folds_the_earlier_holders(app, client, org, frozen_clock, login, create_user):
    tenant, people = org
    login(client, create_user(tenant, "admin"), tenant)
    base = f"/t/{tenant.slug}/admin/organisation"
    assert client.post(f"{base}/positions/KADIS/holders", data={"email": people["andi"]}).status_code == 302
    assert client.post(f"{base}/positions/KADIS/holders",
                       data={"email": people["budi"], "acting": "1", "from": "2026-01-01", "until": "2026-01-31"}
                       ).status_code == 302
    frozen_clock.advance(days=5)
    with app.app_context(), tenant_scope(tenant):
        andi = db.session.execute(db.select(PositionHolder).where(
            PositionHolder.user_id == find_user(people["andi"]).id)).scalar_one()
    assert client.post(f"{base}/holders/{andi.id}/remove", data={"last_day": "2026-03-05"}).status_code == 302
    assert client.post(f"{base}/positions/KADIS/holders", data={"email": people["sitti"]}).status_code == 302
    client.set_cookie(LOCALE_COOKIE, "en")
    page = client.get(base).get_data(as_text=True)
    assert "Holding ended and kept in the history." in page  # not "removed": the row stays
    row = page.split('id="position-KADIS"')[1].split("</tr>")[0]
    current, earlier = row.split("<details")
    assert people["sitti"] in current and people["andi"] not in current and people["budi"] not in current
    assert "<summary>Earlier holders (2)</summary>" in earlier
    assert earlier.index(people["andi"]) < earlier.index(people["budi"])  # the latest first
    assert "2026-03-02 – 2026-03-05" in earlier and "2026-01-01 – 2026-01-31" in earlier
    assert "<details" not in page.split('id="position-SEK"')[1].split("</tr>")[0]  # nobody before: no fold
    # an ended holding cannot end again: the page again, 400
    response = client.post(f"{base}/holders/{andi.id}/remove", data={"last_day": "2026-03-06"})
    assert response.status_code == 400 and "had already ended" in response.get_data(as_text=True)
    client.set_cookie(LOCALE_COOKIE, "id")
    assert "<summary>Pemegang sebelumnya (2)</summary>" in client.get(base).get_data(as_text=True)
