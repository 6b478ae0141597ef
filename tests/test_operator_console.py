"""The operator console at the deployment's own address (issue 19, item 2; item 6's outbox list)."""
import io
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from core.testing import unique


def _cookies(response):
    return [c.split("=", 1)[0] for c in response.headers.getlist("Set-Cookie")]


@pytest.fixture
def operator(create_user):
    return create_user(operator=True)


@pytest.fixture
def as_operator(client, operator, login):
    login(client, operator)
    return client


# -- who may open it -----------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/operator/")
    assert response.status_code == 302 and "/login?next=/operator/" in response.headers["Location"]


def test_a_tenant_admin_or_a_citizen_is_refused(client, create_tenant, create_user, login):
    tenant = create_tenant()
    admin = create_user(tenant, "admin")
    citizen = create_user(tenant, "citizen")
    for email in (admin, citizen):
        login(client, email)
        assert client.get("/operator/").status_code == 403
        assert client.get("/operator/outbox").status_code == 403
        assert client.post("/operator/tenants", data={}).status_code == 403
        client.post("/logout")


def test_the_console_does_not_exist_under_a_tenant(client, create_tenant, operator, login):
    tenant = create_tenant()
    login(client, operator, tenant)
    assert client.get(f"/t/{tenant.slug}/operator/").status_code == 404
    assert client.get("/operator/", headers={"Host": tenant.domains[0].host}).status_code == 404


def test_the_operator_lands_on_the_console_after_signing_in(client, operator):
    response = client.post("/login", data={"email": operator, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/operator/")
    # and /admin/ at the deployment's address leads there too (it was a 404)
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin.headers["Location"].endswith("/operator/")


def test_a_person_who_is_not_an_operator_still_lands_on_the_landing_page(client, create_tenant, create_user):
    email = create_user(create_tenant(), "admin")
    response = client.post("/login", data={"email": email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and not response.headers["Location"].endswith("/operator/")


# -- what it shows -------------------------------------------------------------------------------

def test_tenants_with_their_modules_and_links_into_their_admin(as_operator, create_tenant):
    tenant = create_tenant(modules={"notes": {}}, public_url="https://layanan.example.test")
    page = as_operator.get(f"/operator/?q={tenant.slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    row = html[html.index(f'id="tenant-{tenant.slug}"'):]
    row = row[:row.index("</tr>")]
    assert tenant.name in row
    assert re.search(r'class="module-enabled">[^<]*:\s*(enabled|aktif)', row, re.I), row
    assert 'class="module-off"' in row  # the installed modules it has not set up
    assert 'href="https://layanan.example.test/admin/"' in row  # core/links: where it is really served
    assert f'href="/t/{tenant.slug}/admin/"' in row  # and on this address, with this session
    assert page.headers["Cache-Control"] == "private, no-store"


def test_the_admin_link_on_this_address_opens_the_tenant_admin_for_the_operator(as_operator, create_tenant):
    tenant = create_tenant()
    assert as_operator.get(f"/t/{tenant.slug}/admin/").status_code == 302
    assert as_operator.get(f"/t/{tenant.slug}/admin/modules").status_code == 200


def _health(html: str, key: str) -> str:
    match = re.search(rf'id="health-{key}">(.*?)</dd>', html, re.S)
    assert match, key
    return re.sub(r"<[^>]+>", " ", match.group(1))


def _number(html: str, key: str) -> int:
    return int(re.search(r"\d[\d.,]*", _health(html, key)).group().replace(".", "").replace(",", ""))  # 1.234 / 1,234


def _write_messages(app, tenant, statuses, age=timedelta(0)):
    from core.extensions import db
    from core.notify.models import OutboxMessage
    from core.tenancy.models import utcnow
    from core.tenancy.scope import tenant_scope

    with app.app_context(), tenant_scope(tenant):
        for n, status in enumerate(statuses):
            db.session.add(OutboxMessage(
                channel="sms", recipient=f"+62812345678{n:02d}", recipient_hash=f"h{n}", body="Halo",
                status=status, attempts=5 if status == "failed" else 0, created_at=utcnow() - age,
                next_attempt_at=utcnow() + timedelta(days=1),  # not due: the test's worker leaves it
                last_error="gateway said no" if status == "failed" else None,
            ))
        db.session.commit()


def test_health_counts_the_outbox_backlog_and_its_oldest_message(app, as_operator, create_tenant):
    before = as_operator.get("/operator/").get_data(as_text=True)
    tenant = create_tenant()
    _write_messages(app, tenant, ["pending", "pending", "failed"], age=timedelta(days=400))
    page = as_operator.get(f"/operator/?q={tenant.slug}")
    html = page.get_data(as_text=True)
    assert "reachable" in _health(html, "database") or "terhubung" in _health(html, "database")
    assert "not" not in _health(html, "database") and "tidak" not in _health(html, "database")
    assert "not" not in _health(html, "queue") and "tidak" not in _health(html, "queue")
    assert _number(html, "pending") == _number(before, "pending") + 2
    assert _number(html, "failed") == _number(before, "failed") + 1
    assert re.search(r"1\s+(year|tahun)", _health(html, "pending")), _health(html, "pending")  # the oldest waits
    row = html[html.index(f'id="tenant-{tenant.slug}"'):]
    row = re.sub(r"<[^>]+>", " ", row[:row.index("</tr>")])
    assert re.search(r":\s*2\b", row) and re.search(r":\s*1\b", row)  # waiting 2, failed 1


def test_health_counts_unsealed_audit_entries(app, as_operator, create_tenant):
    from core.audit import record
    from core.extensions import db
    from core.jobs import huey
    from core.tenancy.scope import tenant_scope

    tenant = create_tenant()
    before = _number(as_operator.get("/operator/").get_data(as_text=True), "unsealed")
    huey.immediate = False  # the sealer does not run: the entries stay unsealed
    try:
        with app.app_context(), tenant_scope(tenant):
            for n in range(3):
                record(tenant.id, "test", "test.thing", "thing", n)
            db.session.commit()
    finally:
        huey.immediate = True
    after = _number(as_operator.get("/operator/").get_data(as_text=True), "unsealed")
    assert after == before + 3


def test_the_worker_heartbeat_is_never_then_its_age(app, as_operator, frozen_clock):
    from core.jobs import HEARTBEAT_KEY, beat, huey, worker_heartbeat

    huey.get(HEARTBEAT_KEY)  # taken off: no worker ever beat
    html = as_operator.get("/operator/").get_data(as_text=True)
    assert re.search(r"never|belum pernah", _health(html, "heartbeat"))
    beat(frozen_clock.now - timedelta(minutes=10))
    html = as_operator.get("/operator/").get_data(as_text=True)
    assert re.search(r"10\s+(minutes|menit)", _health(html, "heartbeat")), _health(html, "heartbeat")
    assert "pamong worker" in _health(html, "heartbeat")  # stale: the console says what to run
    worker_heartbeat.call_local()  # what the consumer runs every minute
    html = as_operator.get("/operator/").get_data(as_text=True)
    assert "pamong worker" not in _health(html, "heartbeat")
    huey.get(HEARTBEAT_KEY)


def test_an_unreachable_queue_is_reported_not_raised(as_operator, monkeypatch):
    from core.jobs import huey

    def down():
        raise ConnectionError("redis is down")

    monkeypatch.setattr(huey.storage, "queue_size", down)
    page = as_operator.get("/operator/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r"not reachable|tidak terhubung", _health(html, "queue"))


def test_tenants_are_paged_and_searched(as_operator, create_tenant):
    first = create_tenant(name="Kota Cari_Aku 1")
    create_tenant(name="Kota Cari_Aku 2")
    found = as_operator.get("/operator/?q=cari_aku").get_data(as_text=True)
    assert found.count('id="tenant-') == 2 and first.slug in found
    assert as_operator.get("/operator/?q=cari%25aku").get_data(as_text=True).count('id="tenant-') == 0  # % is a letter
    for n in range(51):
        create_tenant(name=f"Kota Banyak {n:02d}")
    page_1 = as_operator.get("/operator/?q=banyak").get_data(as_text=True)
    page_2 = as_operator.get("/operator/?q=banyak&page=2").get_data(as_text=True)
    assert page_1.count('id="tenant-') == 50 and "page=2" in page_1
    assert page_2.count('id="tenant-') == 1
    assert as_operator.get("/operator/?page=0").status_code == 400


# -- the outbox list -----------------------------------------------------------------------------

def test_the_outbox_lists_messages_with_the_recipient_masked(app, as_operator, create_tenant):
    tenant = create_tenant()
    _write_messages(app, tenant, ["pending", "failed"])
    page = as_operator.get(f"/operator/outbox?tenant={tenant.slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count(f"<td>{tenant.slug}</td>") == 2
    assert "+62812****800" in html and "+62812****801" in html
    assert "+6281234567800" not in html  # never the whole number
    assert "gateway said no" in html
    failed = as_operator.get(f"/operator/outbox?tenant={tenant.slug}&status=failed").get_data(as_text=True)
    assert failed.count(f"<td>{tenant.slug}</td>") == 1 and "+62812****801" in failed


def test_the_outbox_is_paged(app, as_operator, create_tenant):
    tenant = create_tenant()
    _write_messages(app, tenant, ["pending"] * 51)
    first = as_operator.get(f"/operator/outbox?tenant={tenant.slug}").get_data(as_text=True)
    second = as_operator.get(f"/operator/outbox?tenant={tenant.slug}&page=2").get_data(as_text=True)
    assert first.count(f"<td>{tenant.slug}</td>") == 50 and "page=2" in first
    assert second.count(f"<td>{tenant.slug}</td>") == 1
    assert as_operator.get("/operator/outbox?page=abc").status_code == 400


def test_the_outbox_refuses_an_unknown_filter_with_a_message(as_operator):
    page = as_operator.get("/operator/outbox?status=lost&tenant=nowhere", headers={"Accept-Language": "en"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'role="alert"' in html and "lost" in html and "nowhere" in html


# -- onboarding from TOML ------------------------------------------------------------------------

GOOD = """slug = "{slug}"
name = "Kota {slug}"
kind = "city"
timezone = "Asia/Makassar"
domains = ["{slug}.example.test"]

[[agencies]]
code = "DLH"
name = "Dinas Lingkungan Hidup"

[modules.notes]
enabled = true
"""


def _upload(client, text: str, name: str):
    return client.post("/operator/tenants", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def test_a_good_tenant_file_creates_the_tenant_audited(app, as_operator, audit_entries, operator):
    from core.extensions import db
    from core.tenancy import service

    slug = unique("up")
    response = _upload(as_operator, GOOD.format(slug=slug), f"{slug}.toml")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/operator/?q={slug}")
    with app.app_context():
        tenant = service.get_tenant(slug)
        assert tenant is not None and service.enabled_modules(tenant) == ["notes"]
        db.session.expunge(tenant)
    actions = {(e["action"], e["actor"]) for e in audit_entries(tenant)}
    assert ("tenant.create", operator) in actions and ("operator.tenant_apply", operator) in actions
    assert [e["summary"] for e in audit_entries(tenant, "operator.tenant_apply")] == [{"file": f"{slug}.toml"}]
    page = as_operator.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="tenant-{slug}"' in page and f"{slug}.toml" in page  # the flash names the file


def _cli_error(app, path) -> str:
    from cli import cli

    result = CliRunner().invoke(cli, ["tenant", "apply", str(path)], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2, result.output
    return result.output.strip().splitlines()[-1]


@pytest.mark.parametrize("problem", [
    lambda text: text.replace('kind = "city"', 'kind = "village"'),
    lambda text: text.replace('[modules.notes]', '[modules.nosuchmodule]'),
    lambda text: text.replace('timezone = "Asia/Makassar"', 'timezone = "Asia/Tokyo"'),
    lambda text: text + "[broken\n",
    lambda text: text.replace('domains = [', 'parent = "nowhere"\ndomains = ['),
])
def test_a_bad_tenant_file_shows_the_clis_one_line_message_and_changes_nothing(
        app, as_operator, problem, tmp_path, monkeypatch):
    from core.audit import AuditEntry
    from core.extensions import db
    from core.tenancy import service
    from core.tenancy.scope import read_scope

    slug = unique("bad")
    text = problem(GOOD.format(slug=slug))
    (tmp_path / f"{slug}.toml").write_text(text)
    monkeypatch.chdir(tmp_path)
    expected = _cli_error(app, f"{slug}.toml")
    assert expected.startswith(f"error: {slug}.toml")
    with app.app_context():
        entries = db.session.execute(db.select(db.func.count()).select_from(AuditEntry)).scalar()
    response = _upload(as_operator, text, f"{slug}.toml")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    shown = re.search(r'id="upload-error"><samp>(.*?)</samp>', html, re.S).group(1)
    import html as html_lib

    assert "error: " + html_lib.unescape(shown) == expected
    with app.app_context():
        assert service.get_tenant(slug) is None
        assert db.session.execute(db.select(db.func.count()).select_from(AuditEntry)).scalar() == entries


def test_a_file_that_fails_while_applying_changes_nothing(app, as_operator, create_tenant):
    """Found only while applying (a holder who is not a member): the whole upload is rolled back."""
    from core.tenancy import service

    existing = create_tenant()
    slug = unique("late")
    text = GOOD.format(slug=slug) + (
        '\n[[agencies.positions]]\ncode = "KADIS"\nname = "Kepala"\nhead = true\n'
        '[[agencies.positions.holders]]\nemail = "nobody@example.test"\n'
    )
    response = _upload(as_operator, text, "late.toml")
    assert response.status_code == 400
    assert "late.toml: agencies[0].positions[0].holders[0].email" in response.get_data(as_text=True)
    with app.app_context():
        assert service.get_tenant(slug) is None and service.get_tenant(existing.slug) is not None


def test_an_upload_that_is_not_utf8_or_missing_or_too_large_is_refused(app, as_operator):
    not_utf8 = as_operator.post("/operator/tenants", data={"file": (io.BytesIO(b"slug = \"\xff\"\n"), "x.toml")},
                                content_type="multipart/form-data")
    assert not_utf8.status_code == 400 and "x.toml: is not UTF-8 (byte 8)" in not_utf8.get_data(as_text=True)
    missing = as_operator.post("/operator/tenants", data={}, content_type="multipart/form-data",
                               headers={"Accept-Language": "en"})
    assert missing.status_code == 400 and "Choose a TOML file." in missing.get_data(as_text=True)
    big = _upload(as_operator, "# " + "x" * 300_000, "../../etc/big.toml")
    assert big.status_code == 400 and "big.toml: is larger than 256 kB" in big.get_data(as_text=True)
    assert "etc/big" not in big.get_data(as_text=True)  # the name only, never a folder


# -- signed-in header on the deployment's pages; anonymous pages stay cookie-free -----------------

def test_the_landing_page_has_a_sign_in_link_and_sets_no_cookie(client):
    page = client.get("/", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and _cookies(page) == []
    assert page.headers["Cache-Control"].startswith("public")
    assert 'href="/login"' in page.get_data(as_text=True)


def test_signed_in_deployment_pages_show_who_and_a_sign_out(as_operator, operator):
    for path in ("/", "/operator/", "/operator/outbox"):
        html = as_operator.get(path).get_data(as_text=True)
        assert operator in html and 'action="/logout"' in html, path
    signed_out = as_operator.post("/logout")
    assert signed_out.status_code == 302
    assert as_operator.get("/operator/").status_code == 302  # signed out: sign in again


def test_signed_in_tenant_pages_still_show_who_and_a_sign_out(client, create_tenant, create_user, login):
    tenant = create_tenant()
    email = create_user(tenant, "citizen")
    login(client, email, tenant)
    html = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert email in html and f'action="/t/{tenant.slug}/logout"' in html


# -- the heartbeat on the real queue storages ------------------------------------------------------

def _heartbeat_round_trip(jobs, huey, monkeypatch):
    from datetime import datetime, timezone

    monkeypatch.setattr(jobs, "huey", huey)
    huey.get(jobs.HEARTBEAT_KEY)
    assert jobs.last_heartbeat() is None
    at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    jobs.beat(at)
    assert jobs.last_heartbeat() == at and jobs.last_heartbeat() == at  # read, not taken
    huey.get(jobs.HEARTBEAT_KEY)


def test_the_heartbeat_lives_in_the_embedded_queue_file(monkeypatch, tmp_path):
    from core import jobs

    monkeypatch.delenv("PAMONG_REDIS_URL", raising=False)
    monkeypatch.setenv("PAMONG_INSTANCE", str(tmp_path))
    _heartbeat_round_trip(jobs, jobs._make_huey(), monkeypatch)


def test_the_heartbeat_lives_in_redis_when_scaled_out(monkeypatch):
    from core import jobs
    from tests.test_jobs import _redis_url

    monkeypatch.setenv("PAMONG_REDIS_URL", _redis_url())
    _heartbeat_round_trip(jobs, jobs._make_huey(), monkeypatch)
