"""The home page's clinic figure (``dashboard_metrics``, a hot path: issue 11.1): today's visits,
in one statement that seeks today's entries per clinic."""
import pytest

from core.kit import db
from core.testing import sql_statements

from ..figures import headline
from .fixtures import NIK_B, SETTINGS, booked


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def test_visits_today_in_one_statement(app, client, tenant):
    with app.app_context():
        booked(tenant)
        booked(tenant, clinic="PKM-B", nik=NIK_B)
        db.session.commit()
        with sql_statements() as seen:
            figures = headline(tenant)
    assert figures[0]["value"] == 2
    counts = [s for s in seen if "count(" in s.lower()]
    assert len(counts) == 1 and "clinic IN" in counts[0].replace("clinic_visits.clinic IN", "clinic IN"), seen
    assert "<dd>2</dd>" in client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
