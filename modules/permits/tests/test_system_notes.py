"""Notes the system writes on a timeline (fiktif positif, escalation) read in the reader's language,
rows stored in Indonesian before included; a note an officer typed is shown as typed (issue 15 trial)."""
from __future__ import annotations

from core.kit import db, tenant_scope

from .. import services, sweep
from ..models import Event
from .conftest import NIK
from .test_services import APPLICANT, draft

DEEMED_ID = "Dianggap dikabulkan: batas waktu layanan terlampaui (fiktif positif)."
DEEMED_EN = "Deemed approved: the service deadline passed (fiktif positif)."
LATE_ID, LATE_EN = "Melewati batas waktu layanan.", "Past the service deadline."


def _page(client, tenant, application_id, lang):
    return client.get(f"/t/{tenant.slug}/permits/applications/{application_id}",
                      headers={"Accept-Language": lang}).get_data(as_text=True)


def test_the_sweeps_notes_read_in_the_readers_language(app, client, tenant, people, actor, login, frozen_clock):
    with app.app_context():
        citizen = actor(people["citizen"])
        free = services.save_draft(tenant, citizen, "SKU", APPLICANT, {"usaha": "Warung"})
        services.submit(tenant, citizen, free.id)
        paid = draft(tenant, citizen)
        services.submit(tenant, citizen, paid.id)
        free_id, paid_id = free.id, paid.id
        db.session.commit()
        frozen_clock.advance(days=15)
        assert sweep.deem_approved(tenant) == [free_id] and sweep.escalate(tenant) == [paid_id]
        db.session.commit()
    login(client, people["citizen"], tenant)
    english, indonesian = _page(client, tenant, free_id, "en"), _page(client, tenant, free_id, "id")
    assert DEEMED_EN in english and DEEMED_ID not in english
    assert DEEMED_ID in indonesian and DEEMED_EN not in indonesian
    english, indonesian = _page(client, tenant, paid_id, "en"), _page(client, tenant, paid_id, "id")
    assert LATE_EN in english and LATE_ID not in english
    assert LATE_ID in indonesian and LATE_EN not in indonesian


def test_old_rows_stored_in_indonesian_read_in_english_and_typed_notes_stay_as_typed(
        app, client, tenant, people, actor, login):
    with app.app_context():
        citizen = actor(people["citizen"])
        application = services.save_draft(tenant, citizen, "SKU", {"name": "Daeng", "nik": NIK}, {"usaha": "Coto"})
        services.submit(tenant, citizen, application.id)
        services.reject(tenant, actor(people["intake"]), application.id, 0, "Lokasi usaha tidak sesuai")
        with tenant_scope(tenant):
            aid = application.id
            for action, note in (("fiktif_positif", DEEMED_ID), ("escalate", LATE_ID)):  # as stored before
                db.session.add(Event(application_id=aid, action=action, status="submitted", note=note))
        db.session.commit()
    login(client, people["citizen"], tenant)
    english = _page(client, tenant, aid, "en")
    assert DEEMED_EN in english and LATE_EN in english
    assert DEEMED_ID not in english and LATE_ID not in english
    assert "Lokasi usaha tidak sesuai" in english   # the officer's words, as typed
    assert DEEMED_ID in _page(client, tenant, aid, "id")
