"""The application's timeline names what happened in the applicant's words: asking to complete
with the OSS clock paused (41) reads differently from returning for correction with the service
time started again (43, stop and reset), in Indonesian and English."""
from __future__ import annotations

import pytest

from core.kit import db, tenant_scope

from .. import services
from .conftest import NIK

PAUSE_ID, PAUSE_EN = "Pemohon diminta melengkapi", "Applicant asked to complete"
RESET_EN = "Returned to the applicant for correction (service time starts again)"
RESET_ID = "Dikembalikan kepada pemohon untuk diperbaiki (waktu layanan dihitung ulang)"


@pytest.mark.parametrize("reset", [False, True])
def test_the_timeline_says_whether_the_service_time_starts_again(app, client, tenant, people, login, actor, reset):
    with app.app_context():
        citizen = actor(people["citizen"])
        application = services.save_draft(tenant, citizen, "SKU", {"name": "Daeng", "nik": NIK}, {"usaha": "Coto"})
        services.submit(tenant, citizen, application.id)
        services.ask_applicant(tenant, actor(people["intake"]), application.id, 0, "Lengkapi foto", reset=reset)
        with tenant_scope(tenant):
            aid = application.id
        db.session.commit()
    login(client, people["citizen"], tenant)
    page = client.get(f"/t/{tenant.slug}/permits/applications/{aid}").get_data(as_text=True)
    english = client.get(f"/t/{tenant.slug}/permits/applications/{aid}",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    if reset:
        assert RESET_ID in page and "(OSS 43)" in page and RESET_EN in english
        assert PAUSE_EN not in english
    else:
        assert PAUSE_EN in english and "(OSS 41)" in english and RESET_EN not in english
