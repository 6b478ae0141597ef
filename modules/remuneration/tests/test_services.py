"""The service on its own: the tenant and the actor are named, no HTTP involved."""
from datetime import timezone

import pytest

from core.kit import ValidationError, db, local_date, tenant_scope

from ..services import MODULE, create_entry, list_entries, seed_demo


def titles(tenant) -> list[str]:
    with tenant_scope(tenant):
        return [entry.title for entry in list_entries(tenant)]


def test_entries_are_listed_newest_first_and_audited(app_ctx, create_tenant, audit_entries):
    tenant = create_tenant(modules={MODULE: {}})
    create_entry(tenant, "test", "First")
    create_entry(tenant, "test", "  Second  ", details="With details")
    db.session.commit()
    assert titles(tenant) == ["Second", "First"]
    audited = audit_entries(tenant, action=f"{MODULE}.entry.create")
    assert [(e["actor"], e["summary"]["after"]["title"]) for e in audited] == [("test", "First"), ("test", "Second")]


def test_a_title_is_required(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: {}})
    with pytest.raises(ValidationError) as error:
        create_entry(tenant, "test", "   ")
    assert error.value.where == "title"


def test_the_longest_title_is_the_tenants_setting(app_ctx, create_tenant):
    default = create_tenant(modules={MODULE: {}})
    short = create_tenant(modules={MODULE: {"title_max_length": 10}})
    with pytest.raises(ValidationError):
        create_entry(default, "test", "x" * 121)
    with pytest.raises(ValidationError):
        create_entry(short, "test", "x" * 11)
    create_entry(default, "test", "x" * 120)
    create_entry(short, "test", "x" * 10)
    db.session.commit()
    assert titles(default) == ["x" * 120] and titles(short) == ["x" * 10]


def test_a_setting_outside_the_schema_is_refused(create_tenant):
    with pytest.raises(ValidationError) as error:
        create_tenant(modules={MODULE: {"title_max_length": 5}})
    assert "title_max_length" in str(error.value)


def test_the_demo_seeds_its_examples_once(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: {}})
    seed_demo(tenant)
    db.session.commit()
    seed_demo(tenant)
    db.session.commit()
    assert len(titles(tenant)) == 2


def test_entries_are_numbered_without_gaps_by_the_tenants_pattern(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: {"number_prefix": "SKP", "number_pattern": "{prefix}/{serial:03}/{year}"}})
    first = create_entry(tenant, "test", "First").number
    db.session.commit()
    create_entry(tenant, "test", "Rolled back")
    db.session.rollback()  # gives its number back
    second = create_entry(tenant, "test", "Second").number
    db.session.commit()
    year = local_date(tenant).year  # the tenant's local year (its time zone)
    assert (first, second) == (f"SKP/001/{year}", f"SKP/002/{year}")


def test_a_number_pattern_with_an_unknown_placeholder_is_refused(create_tenant):
    with pytest.raises(ValidationError) as error:
        create_tenant(modules={MODULE: {"number_pattern": "{prefix}/{serial}/{bidang}"}})
    assert "number_pattern" in error.value.where and "{bidang}" in error.value.message
def test_an_entry_notifies_nobody_and_keeps_the_clock(app_ctx, create_tenant, outbox, frozen_clock):
    """The kit's test fixtures: ``outbox`` (messages queued for a tenant) and ``frozen_clock`` (the
    core's "now": ``utcnow()`` and every model's default time)."""
    tenant = create_tenant(modules={MODULE: {}})
    frozen_clock.advance(days=1)
    create_entry(tenant, "test", "Dated")
    db.session.commit()
    with tenant_scope(tenant):  # read back as the tenant (PostgreSQL's row security)
        (entry,) = list_entries(tenant)
        created = entry.created_at if entry.created_at.tzinfo else entry.created_at.replace(tzinfo=timezone.utc)
        assert created == frozen_clock.now  # SQLite keeps it naive (UTC)
    assert outbox(tenant) == []
