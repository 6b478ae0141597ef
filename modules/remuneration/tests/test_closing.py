"""Closing a month is irreversible: a month whose last day has not ended (the current month, run
provisionally) is refused everywhere (service ``month_not_ended``, CLI one line exit 2, the page
shows no close form and refuses a forged POST), and the page closes only with the box ticked."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from core.i18n import LOCALE_COOKIE
from core.kit import ValidationError, db, tenant_scope

from ..models import Run
from ..services import close_month, import_employees, run_month
from .helpers import MODULE, SETTINGS, three_employees
from .test_commands import pamong


def test_a_month_that_has_not_ended_is_never_closed(app, client, create_tenant, create_user, login, frozen_clock,
                                                     audit_entries):
    frozen_clock.set(datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc))       # the first day of December
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    admin = create_user(tenant, role="admin")
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        run_month(tenant, "test", 2026, 12)
        db.session.commit()
        with pytest.raises(ValidationError) as refused:
            close_month(tenant, "test", 2026, 12)
        assert refused.value.code == "month_not_ended" and "December 2026 has not ended yet" in refused.value.message
        db.session.rollback()
    done = pamong(app, "close", tenant.slug, "2026-12")
    assert done.exit_code == 2 and done.output.count("\n") == 1 and "has not ended yet" in done.output
    base = f"/t/{tenant.slug}/{MODULE}"
    login(client, admin, tenant)
    client.set_cookie(LOCALE_COOKIE, "id")
    page = client.get(f"{base}/runs/2026/12").get_data(as_text=True)
    assert 'id="close-form"' not in page and "Desember 2026 belum berakhir" in page
    forged = client.post(f"{base}/runs/2026/12/close", data={"confirm": "y"}, follow_redirects=True)
    assert "Desember 2026 belum berakhir" in forged.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Run.status)).scalar_one() == "open"
    assert not audit_entries(tenant, "remuneration.close")
    frozen_clock.set(datetime(2027, 1, 1, 2, 0, tzinfo=timezone.utc))        # December has ended
    assert 'id="close-form"' in client.get(f"{base}/runs/2026/12").get_data(as_text=True)
    assert client.post(f"{base}/runs/2026/12/close", data={"confirm": "y", "force": "y"}).status_code == 302
    assert len(audit_entries(tenant, "remuneration.close")) == 1
