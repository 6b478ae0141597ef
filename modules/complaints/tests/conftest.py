"""Fixtures of the complaints module's tests: a tenant with the module, people in their roles,
photos, and reading the outbox and the audit trail."""
from __future__ import annotations

import contextlib
import io

import pytest
from PIL import Image

from core.kit import db, tenant_scope
from core.tenant_secrets import env_name
from core.testing import unique

AGENCIES = [
    {"code": "DLH", "name": "Dinas Lingkungan Hidup", "head": "Kepala DLH"},
    {"code": "PU", "name": "Dinas Pekerjaan Umum"},
]
DISTRICTS = [
    {"code": "MRS", "name": "Mariso", "villages": [{"code": "MRS-BTN", "name": "Bontorannu"}]},
    {"code": "PNK", "name": "Panakkukang", "villages": [{"code": "PNK-PNK", "name": "Panaikang"}]},
]
SETTINGS = {
    "categories": [
        {"code": "SAMPAH", "name_id": "Sampah", "name_en": "Rubbish", "agency": "DLH",
         "response_hours": 24, "resolution_days": 3, "keywords": ["trash"], "group": "Kebersihan"},
        {"code": "JALAN", "name_id": "Jalan rusak", "name_en": "Damaged road", "agency": "PU",
         "resolution_days": 14, "attributes": [
             {"code": "SIZE", "description": "How big is the hole?", "datatype": "singlevaluelist",
              "required": True, "values": [{"key": "S", "name": "Small"}, {"key": "L", "name": "Large"}]},
         ]},
    ],
    "number_prefix": "",
    "reopen_days": 7,
    "coordinator_email": "koordinator@example.test",
    "agency_contacts": {"DLH": {"email": "kadis.dlh@example.test", "phone": "081234567800"}},
    "coordinator_after_hours": 24,
    "webhook_secret": "env:CHAT_WEBHOOK",  # a secret is only ever a reference: create_tenant sets it
    "max_photos": 2,
    "max_photo_kb": 300,
}
CHAT_SECRET = "chat-secret"  # PAMONG_SECRET_<SLUG>__CHAT_WEBHOOK of every tenant these tests create


def with_chat_secret(create_tenant, monkeypatch):
    """``create_tenant`` with each tenant's chat webhook secret set in its namespace (for tests
    outside this folder that use ``SETTINGS``)."""
    def make(slug=None, **fields):
        slug = slug or unique("tn")
        monkeypatch.setenv(env_name(slug, "CHAT_WEBHOOK"), CHAT_SECRET)
        return create_tenant(slug=slug, **fields)

    return make


@pytest.fixture
def create_tenant(create_tenant, monkeypatch):
    """The core's ``create_tenant``, with the tenant's chat webhook secret set in its namespace."""
    return with_chat_secret(create_tenant, monkeypatch)


@pytest.fixture
def make_tenant(create_tenant):
    def make(settings=None, **fields):
        return create_tenant(modules={"complaints": settings if settings is not None else SETTINGS},
                             agencies=AGENCIES, districts=DISTRICTS, **fields)

    return make


@pytest.fixture
def tenant(make_tenant):
    return make_tenant()


@pytest.fixture
def people(app, tenant, create_user):
    """Emails of an officer of DLH, an officer of PU, an admin, an auditor and a citizen."""
    return {
        "dlh": create_user(tenant, "officer", agency="DLH"),
        "pu": create_user(tenant, "officer", agency="PU"),
        "admin": create_user(tenant, "admin"),
        "auditor": create_user(tenant, "auditor"),
        "citizen": create_user(tenant, "citizen"),
    }


def image_bytes(fmt="JPEG", size=(64, 48), exif=True) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0131] = "PhoneSoftware 1.0"  # Software
        image.save(out, fmt, exif=data.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


@pytest.fixture
def user_of(app):
    def get(email):
        from core.kit import User

        return db.session.execute(db.select(User).where(User.email == email)).scalar_one()

    return get


def outbox(tenant, ref=None):
    """[(channel, recipient, body)] of the tenant's outbox (optionally of one complaint)."""
    from core.notify import OutboxMessage

    with tenant_scope(tenant):
        query = db.select(OutboxMessage).order_by(OutboxMessage.id)
        if ref:
            query = query.where(OutboxMessage.ref == ref)
        return [(m.channel, m.recipient, m.body) for m in db.session.execute(query).scalars()]


def audit_actions(tenant, number):
    from core.audit import AuditEntry

    with tenant_scope(tenant):
        return [e.action for e in db.session.execute(
            db.select(AuditEntry).where(AuditEntry.object_type == "complaint", AuditEntry.object_id == number)
            .order_by(AuditEntry.id)
        ).scalars()]


@pytest.fixture
def scoped(app_ctx, tenant):
    """Run the test body as ``tenant`` (as a request would), so rows reload after a commit."""
    with tenant_scope(tenant):
        yield tenant


@pytest.fixture
def token_for_tenant(app):
    """``token_for_tenant(tenant, *scopes) -> clear token``."""
    from core.auth.service import create_token

    def make(tenant, *scopes):
        import uuid

        with app.app_context():
            token = create_token(tenant, f"t-{uuid.uuid4().hex[:8]}", list(scopes), "test")
            db.session.commit()
        return token

    return make


# -- migration tests: a scratch database at older revisions ---------------------------------------

from tests.test_tenant_keys_upgrade import scratch_url  # noqa: E402,F401 - a fixture (a database of its own)


class OldDatabase:
    """An app on a scratch database migrated to ``before`` (unit name → revision; every other unit
    at its heads), as a database written by an older release: ``rows()`` writes to it as that
    release did (a transaction; ``Rows`` fills the columns it is not given), ``upgrade()`` runs
    ``pamong db upgrade``'s code, ``downgrade()`` goes back to ``before``; ``app`` reads it."""

    def __init__(self, url: str, instance: str, before: dict):
        from alembic import command

        from core import create_app, migrate
        from tests import testmodule

        self.url, self.instance, self.owner_app = url, instance, None
        self.before = dict(before)
        self.app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "INSTANCE_DIR": instance},
                              extra_plugins=[testmodule])
        self.engine = migrate.owner_engine(self.app)
        with self.engine.begin() as conn:
            for unit in migrate.units(self.app.extensions["pamong"]):
                command.upgrade(migrate._config(unit, conn), self.before.get(unit.name, "heads"))

    @contextlib.contextmanager
    def rows(self):
        from tests.test_tenant_keys_upgrade import Rows

        with self.engine.begin() as conn:
            yield Rows(conn)

    def upgrade(self, plain_owner: bool = False) -> None:
        """``plain_owner``: as production's owner, neither superuser nor BYPASSRLS, held by the
        previous release's Row Level Security (``core.testing_owner``); PostgreSQL only."""
        from core import create_app, migrate
        from core.testing_owner import plain_owner_config
        from tests import testmodule

        if not plain_owner:
            migrate.upgrade(self.app)
            return
        with self.engine.begin() as conn:
            migrate.set_up_roles(self.app, conn)  # the policies the previous release left
        self.owner_app = create_app({**plain_owner_config(self.url), "SECRET_KEY": "x", "INSTANCE_DIR": self.instance},
                                    extra_plugins=[testmodule])
        migrate.upgrade(self.owner_app)

    def downgrade(self) -> None:
        from alembic import command

        from core import migrate

        with self.engine.begin() as conn:
            for unit in reversed(migrate.units(self.app.extensions["pamong"])):
                if unit.name in self.before:
                    command.downgrade(migrate._config(unit, conn), self.before[unit.name])

    def close(self) -> None:
        self.engine.dispose()
        if self.owner_app is not None:
            with self.owner_app.app_context():
                db.session.remove()
                db.engine.dispose()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def database_before(scratch_url, tmp_path):  # noqa: F811
    """``database_before({"complaints": "<revision>"}) -> OldDatabase`` on this test's scratch
    database (SQLite, or a PostgreSQL database of its own), closed after the test."""
    made: list[OldDatabase] = []

    def at(before: dict) -> OldDatabase:
        made.append(OldDatabase(scratch_url, str(tmp_path / "instance"), before))
        return made[-1]

    yield at
    for old in made:
        old.close()
