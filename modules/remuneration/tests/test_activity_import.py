"""The activity file (re-trial of 2 Dec 2026): minutes bounded as on the page (one limit,
``activities.MAX_MINUTES``), a day's total at most 1440 minutes, and a file imported again adds
nothing (rows stored are skipped; the same row twice in the file is refused), as attendance."""
from __future__ import annotations

import pytest

from core.kit import ValidationError, db, tenant_scope

from ..inputs import import_activities
from ..models import Activity
from ..services import import_employees
from .helpers import MODULE, NIPS, SETTINGS, three_employees


def _count():
    return db.session.execute(db.select(db.func.count(Activity.id))).scalar()


def test_minutes_beyond_a_day_are_refused(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    db.session.commit()
    for body, where in ((f"{NIPS[0]},2026-03-02,99999\n", "line 2: minutes"),
                        (f"{NIPS[0]},2026-03-02,1000\n{NIPS[0]},2026-03-02,500\n", "line 3: minutes")):
        with pytest.raises(ValidationError) as refused:
            import_activities(tenant, "test", f"nip,day,minutes\n{body}".encode())
        assert refused.value.where == where, (refused.value.where, str(refused.value), refused.value.code)
        db.session.rollback()
    import_activities(tenant, "test", f"nip,day,minutes\n{NIPS[0]},2026-03-02,1000\n".encode())
    with pytest.raises(ValidationError) as refused:       # with what is stored already
        import_activities(tenant, "test", f"nip,day,minutes,points\n{NIPS[0]},2026-03-02,441,1\n".encode())
    assert refused.value.where == "line 2: minutes"
    db.session.rollback()


def test_a_file_imported_again_adds_nothing_and_a_row_twice_is_refused(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    db.session.commit()
    data = f"nip,day,minutes\n{NIPS[0]},2026-03-02,300\n{NIPS[1]},2026-03-02,200\n".encode()
    assert import_activities(tenant, "test", data) == {"added": 2, "skipped": 0}
    assert import_activities(tenant, "test", data) == {"added": 0, "skipped": 2}
    db.session.commit()
    with tenant_scope(tenant):
        assert _count() == 2
    with pytest.raises(ValidationError) as refused:
        import_activities(tenant, "test", f"nip,day,minutes\n{NIPS[2]},2026-03-03,60\n{NIPS[2]},2026-03-03,60\n".encode())
    assert refused.value.where.startswith("line 3") and "line 2" in str(refused.value)
    db.session.rollback()
