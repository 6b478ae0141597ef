"""A desk is worked by its own clinic's staff only (``desk_access.py``): the clinic's desk staff,
holders of its desk positions, its practitioners, and the tenant's admins. Anyone else with the
``clinic.desk`` permission (an officer of any agency) gets 403 at another clinic's desk, and nothing
changes: no call, no booking, no audit entry."""
import copy

import pytest

from core.kit import PamongError, assign_holder, db, find_position, tenant_scope

from ..models import Visit
from .fixtures import DESK_A, NIK_A, NIK_B, SETTINGS, booked
from .test_pages import csrf, url

AGENCIES = [{"code": "DLH", "name": "Dinas Lingkungan Hidup"},
            {"code": "DINKES", "name": "Dinas Kesehatan",
             "sections": [{"code": "UPT-PKM-B", "name": "UPT Puskesmas Dua",
                           "positions": [{"code": "KA-PKM-B", "name": "Kepala UPT Puskesmas Dua", "head": True},
                                         {"code": "LOKET-PKM-B", "name": "Petugas Loket Puskesmas Dua"}]}]}]


def settings_with_positions():
    settings = copy.deepcopy(SETTINGS)
    settings["clinics"][1]["desk_positions"] = ["LOKET-PKM-B"]
    return settings


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": settings_with_positions()}, agencies=AGENCIES, locales=["id", "en"])


def visit_row(app, tenant, visit_id):
    with app.app_context(), tenant_scope(tenant):
        row = db.session.get(Visit, visit_id)
        return row.status, row.call_count


def test_an_officer_of_another_agency_works_no_desk_and_changes_nothing(app, client, tenant, create_user, login,
                                                                       audit_entries):
    with app.app_context():
        first, _ = booked(tenant)
        login(client, create_user(tenant, role="officer", agency="DLH"), tenant)
    assert client.get(url(tenant, "desk/PKM-A/UMUM")).status_code == 403
    assert client.post(url(tenant, "desk/PKM-A/UMUM/next"), data={}).status_code == 403
    for action in ("call", "checkin", "skip", "absent"):
        assert client.post(url(tenant, f"desk/visit/{first.id}/{action}"), data={}).status_code == 403
    booking = {"place": "PKM-A/UMUM", "day": "2026-03-02", "nik": NIK_B}
    assert client.post(url(tenant, "desk/PKM-A/UMUM"), data=booking).status_code == 403
    assert visit_row(app, tenant, first.id) == ("booked", 0)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Visit).count() == 1
    assert audit_entries(tenant, "clinic.queue.call") == []
    home = client.get(url(tenant, "desk/")).get_data(as_text=True)
    assert "Puskesmas Satu" not in home and "Anda belum ditugaskan di loket puskesmas mana pun" in home


def test_one_clinics_desk_staff_cannot_work_another_clinics_desk(app, client, tenant, create_user, login,
                                                                audit_entries):
    with app.app_context():
        theirs, _ = booked(tenant, clinic="PKM-B")
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    assert client.get(url(tenant, "desk/PKM-A/UMUM")).status_code == 200
    assert client.get(url(tenant, "desk/PKM-B/UMUM")).status_code == 403
    assert client.post(url(tenant, "desk/PKM-B/UMUM/next"), data={}).status_code == 403
    assert client.post(url(tenant, f"desk/visit/{theirs.id}/call"), data={}).status_code == 403
    assert visit_row(app, tenant, theirs.id) == ("booked", 0)
    assert audit_entries(tenant, "clinic.queue.call") == []
    home = client.get(url(tenant, "desk/")).get_data(as_text=True)
    assert "Puskesmas Satu" in home and "Puskesmas Dua" not in home


def test_the_desk_books_at_its_own_clinic_only(app, client, tenant, create_user, login):
    with app.app_context():
        login(client, create_user(tenant, role="officer", agency="DLH", email=DESK_A), tenant)
    page = client.get(url(tenant, "desk/PKM-A/UMUM")).get_data(as_text=True)
    assert 'value="PKM-B/UMUM"' not in page
    answer = client.post(url(tenant, "desk/PKM-A/UMUM"),
                         data={"csrf_token": csrf(page), "place": "PKM-B/UMUM", "day": "2026-03-02", "nik": NIK_A})
    assert answer.status_code == 400 and "Bukan pilihan yang sah." in answer.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(Visit).count() == 0


def test_a_holder_of_the_clinics_desk_position_works_that_desk_only(app, client, tenant, create_user, login,
                                                                   audit_entries):
    with app.app_context():
        theirs, _ = booked(tenant, clinic="PKM-B")
        ours, _ = booked(tenant, nik=NIK_B)
        holder = create_user(tenant, role="officer", agency="DINKES")

        with tenant_scope(tenant):
            assign_holder(tenant, find_position(tenant, "LOKET-PKM-B"), holder, None)
            db.session.commit()
        login(client, holder, tenant)
    assert client.get(url(tenant, "desk/PKM-B/UMUM")).status_code == 200
    assert client.post(url(tenant, f"desk/visit/{theirs.id}/call"), data={}).status_code == 302
    assert visit_row(app, tenant, theirs.id) == ("called", 1)
    assert client.get(url(tenant, "desk/PKM-A/UMUM")).status_code == 403
    assert client.post(url(tenant, f"desk/visit/{ours.id}/call"), data={}).status_code == 403
    assert visit_row(app, tenant, ours.id) == ("booked", 0)
    assert [e["object_id"] for e in audit_entries(tenant, "clinic.queue.call")] == [str(theirs.id)]


def test_a_tenant_admin_and_the_clinics_practitioner(app, client, tenant, create_user, login):
    with app.app_context():
        admin = create_user(tenant, role="admin")
        doctor = create_user(tenant, role="officer", agency="DLH", email="dokter@pkm-a.test")
    login(client, admin, tenant)
    assert client.get(url(tenant, "desk/PKM-A/UMUM")).status_code == 200
    assert client.get(url(tenant, "desk/PKM-B/UMUM")).status_code == 200
    client.get(f"/t/{tenant.slug}/logout")
    login(client, doctor, tenant)
    assert client.get(url(tenant, "desk/PKM-A/GIGI")).status_code == 200
    assert client.get(url(tenant, "desk/PKM-B/UMUM")).status_code == 403


@pytest.mark.parametrize("change, where", [
    ({"desk_positions": ["NO-SUCH-POSITION"]}, "desk_positions"),
    ({"desk_staff": ["not-an-address"]}, "desk_staff"),
])
def test_desk_settings_naming_nothing_are_refused_at_apply(app, create_tenant, change, where):
    settings = copy.deepcopy(SETTINGS)
    settings["clinics"][0].update(change)
    with app.app_context(), pytest.raises(PamongError) as refused:
        create_tenant(modules={"clinic": settings}, agencies=AGENCIES)
    assert where in (refused.value.where or "")
