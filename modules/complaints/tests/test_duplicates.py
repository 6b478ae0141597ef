"""Duplicates: the radius search (haversine over a bounding box, tenant-scoped), nearby open
complaints offered before filing on the portal, and the officer marking a duplicate (followers
move over and are told)."""
import math

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from core.kit import User, ValidationError, db, tenant_scope
from modules.complaints import duplicates, services
from modules.complaints.models import Complaint, ComplaintFollower

from .conftest import audit_actions, outbox

PASAR = (-5.1477, 119.4327)


class Ref:
    """A complaint's number and id, to use after its session has gone."""

    def __init__(self, number, id):
        self.number, self.id = number, id

    @classmethod
    def of(cls, complaint):
        return cls(complaint.number, complaint.id)


def metres_north(point, metres):
    return point[0] + metres / 111_195.0, point[1]  # one degree of latitude is 111.195 km


def file(tenant, point=PASAR, category="SAMPAH", filer=None, **kw):
    lat, lon = point if point else (None, None)
    with tenant_scope(tenant):
        complaint, _ = services.file_complaint(tenant, filer, services.Filing(
            category=category, description="Sampah menumpuk di pasar", latitude=lat, longitude=lon,
            **{"notify_by": "none", **kw}), "portal", filer=filer)
        db.session.commit()
        db.session.refresh(complaint)  # loaded in its tenant's scope (PostgreSQL's RLS hides it outside)
        return complaint


def load(tenant, number):
    db.session.expire_all()
    with tenant_scope(tenant):
        return db.session.execute(db.select(Complaint).where(Complaint.number == number)).scalar_one()


def test_haversine_and_its_bounding_box():
    assert duplicates.haversine_m(0, 0, 1, 0) == pytest.approx(111_195, rel=1e-4)
    assert duplicates.haversine_m(*PASAR, *metres_north(PASAR, 150)) == pytest.approx(150, abs=0.5)
    south, north, west, east = duplicates.bounding_box(89.9999, 10, 100)
    assert north == 90 and west is None  # at the pole: no longitude filter
    assert duplicates.bounding_box(0, 179.9999, 500)[2] is None  # across the 180th meridian


@hsettings(max_examples=300, deadline=None)
@given(lat=st.floats(-80, 80), lon=st.floats(-179, 179), bearing=st.floats(0, 2 * math.pi),
       fraction=st.floats(0, 1), radius=st.integers(1, 5000))
def test_every_point_inside_the_circle_is_inside_the_box(lat, lon, bearing, fraction, radius):
    d = radius * fraction / duplicates.EARTH_RADIUS_M
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(bearing))
    l2 = l1 + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    point = (math.degrees(p2), math.degrees(l2))
    assert duplicates.haversine_m(lat, lon, *point) <= radius + 0.01
    south, north, west, east = duplicates.bounding_box(lat, lon, radius)
    assert south <= point[0] <= north
    assert west is None or west <= point[1] <= east


@pytest.mark.parametrize("bad", ["0", "5001", "-3", "far", "", None, "12.5"])
def test_a_radius_out_of_range_is_refused(bad):
    with pytest.raises(ValidationError) as caught:
        duplicates.check_radius(bad)
    assert caught.value.code == "invalid_radius"


def test_nearby_open_complaints_of_the_category_and_tenant_only(app_ctx, make_tenant):
    tenant, other = make_tenant(), make_tenant()
    near = file(tenant, metres_north(PASAR, 120))
    nearest = file(tenant, metres_north(PASAR, 30))
    file(tenant, metres_north(PASAR, 450))  # outside the 200 m default
    file(tenant, metres_north(PASAR, 50), category="JALAN")  # another category
    file(tenant, None)  # no coordinates
    closed = file(tenant, metres_north(PASAR, 10))
    secret = file(tenant, metres_north(PASAR, 20))
    file(other, PASAR)  # the same spot in another tenant
    with tenant_scope(tenant):
        closed.status = "rejected"
        secret.confidential = True
        db.session.commit()
        found = duplicates.nearby_open(tenant, "SAMPAH", *PASAR, 200)
        assert [n.complaint.number for n in found] == [nearest.number, near.number]
        assert found[0].distance_m == pytest.approx(30, abs=0.5)
        assert [n.complaint.number for n in duplicates.nearby_open(tenant, "SAMPAH", *PASAR, 40)] == [nearest.number]
        offered = duplicates.offer(tenant, services.Filing(category="SAMPAH", description="x", latitude=str(PASAR[0]),
                                                           longitude=str(PASAR[1])))
        assert [n.complaint.number for n in offered] == [nearest.number, near.number]
        assert duplicates.offer(tenant, services.Filing(category="SAMPAH", description="x")) == []


FORM = {"category": "SAMPAH", "description": "Sampah menumpuk lagi di depan pasar", "district": "", "village": "",
        "address": "", "latitude": str(PASAR[0]), "longitude": str(PASAR[1]), "name": "", "phone": "", "email": "",
        "notify_by": ""}


def test_the_portal_offers_nearby_complaints_before_filing(app, client, tenant):
    with app.app_context():
        first = file(tenant, metres_north(PASAR, 60)).number
    url = f"/t/{tenant.slug}/complaints/new"
    offered = client.post(url, data=FORM)
    page = offered.get_data(as_text=True)
    assert offered.status_code == 200 and 'id="nearby"' in page and first in page
    assert f"/complaints/track/{first}" in page and 'name="file_anyway" value="1"' in page
    assert 'value="Sampah menumpuk lagi di depan pasar"' in page or "Sampah menumpuk lagi di depan pasar" in page
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count()).select_from(Complaint)).scalar() == 1  # nothing filed
    filed = client.post(url, data={**FORM, "file_anyway": "1"})
    assert filed.status_code == 302 and "/filed/" in filed.headers["Location"]
    far = client.post(url, data={**FORM, "latitude": str(metres_north(PASAR, 900)[0])})
    assert far.status_code == 302  # nothing within the category's radius: filed at once


def test_an_officer_marks_a_duplicate_and_its_followers_move(app, client, tenant, people, user_of, login, create_user):
    follower_email, both_email = create_user(tenant, "citizen"), create_user(tenant, "citizen")
    with app.app_context():
        filer = user_of(people["citizen"])
        original = file(tenant, metres_north(PASAR, 40))
        repeat = file(tenant, filer=filer, phone="081234567890", notify_by="sms")
        with tenant_scope(tenant):
            for email, complaint in [(follower_email, repeat), (both_email, repeat), (both_email, original)]:
                db.session.add(ComplaintFollower(complaint_id=complaint.id, user_id=user_of(email).id))
            db.session.commit()
            original, repeat = Ref(original.number, original.id), Ref(repeat.number, repeat.id)
    login(client, people["dlh"], tenant)
    track = client.get(f"/t/{tenant.slug}/complaints/track/{repeat.number}").get_data(as_text=True)
    assert 'id="duplicate-form"' in track and original.number in track  # suggested: it is 40 m away
    # an officer's form, folded after the complaint's details and deadlines, not among them
    folded = track.index('<details class="duplicate"')
    assert track.index("</dl>") < track.index('id="clock"') < folded < track.index('id="duplicate-form"')
    response = client.post(f"/t/{tenant.slug}/complaints/manage/{repeat.number}/duplicate",
                           data={"original": original.number.lower()})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    with app.app_context():
        done, kept = load(tenant, repeat.number), load(tenant, original.number)
        with tenant_scope(tenant):
            assert (done.status, done.outcome, done.duplicate_of_id) == ("closed", "duplicate", kept.id)
            assert [e.kind for e in done.events][-1] == "duplicate"
            following = db.session.execute(db.select(ComplaintFollower.complaint_id, User.email).join(
                User, User.id == ComplaintFollower.user_id)).all()
        assert sorted(e for c, e in following if c == kept.id) == sorted([follower_email, both_email, people["citizen"]])
        assert not [c for c, _ in following if c == done.id]
        assert audit_actions(tenant, repeat.number)[-1] == "complaints.duplicate"
        told = outbox(tenant)
        assert ("sms", "+6281234567890") in [(c, to) for c, to, body in told if original.number in body]
        assert ("email", follower_email) in [(c, to) for c, to, body in told if original.number in body]
        assert ("email", both_email) in [(c, to) for c, to, _ in told]
    page = client.get(f"/t/{tenant.slug}/complaints/track/{repeat.number}").get_data(as_text=True)
    assert 'id="duplicate-of"' in page and original.number in page
    (request,) = client.get(f"/t/{tenant.slug}/open311/v2/requests/{repeat.number}.json?extensions=true").get_json()
    assert request["status"] == "closed" and original.number in request["status_notes"]
    assert request["extended_attributes"]["status_code"] == "DUPLICATE"
    assert request["extended_attributes"]["duplicate_of"] == original.number


def test_links_stay_one_level_deep(app_ctx, tenant):
    a, b, c = file(tenant), file(tenant), file(tenant)
    with tenant_scope(tenant):
        duplicates.mark_duplicate(tenant, "system", b, c.number)
        duplicates.mark_duplicate(tenant, "system", a, b.number)
        db.session.commit()
        assert a.duplicate_of_id == c.id and [d.number for d in duplicates.duplicates_of(tenant, c)] == [a.number, b.number]


@pytest.mark.parametrize("original, message", [  # English or the tenant's Indonesian
    ("SELF", ("cannot be a duplicate of itself", "tidak dapat menjadi duplikat dirinya")),
    ("NOPE-2026-000009", ("There is no complaint", "Tidak ada pengaduan dengan nomor ini")),
    ("OTHER", ("There is no complaint", "Tidak ada pengaduan dengan nomor ini")), ("", ('id="original-err"',)),
])
def test_bad_marks_re_render_with_a_message_and_change_nothing(app, client, tenant, make_tenant, people, login,
                                                             original, message):
    other = make_tenant()
    with app.app_context():
        repeat, elsewhere = Ref.of(file(tenant)), Ref.of(file(other))
    value = {"SELF": repeat.number, "OTHER": elsewhere.number}.get(original, original)
    login(client, people["dlh"], tenant)
    response = client.post(f"/t/{tenant.slug}/complaints/manage/{repeat.number}/duplicate", data={"original": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="original-err"' in page and any(m in page for m in message)
    with app.app_context():
        again = load(tenant, repeat.number)
        assert (again.status, again.duplicate_of_id) == ("submitted", None)
        assert audit_actions(tenant, repeat.number) == ["complaints.file"]


def test_only_handlers_of_the_agency_may_mark(app, client, tenant, people, login):
    with app.app_context():
        repeat, original = Ref.of(file(tenant)), Ref.of(file(tenant))
    login(client, people["pu"], tenant)  # SAMPAH goes to DLH
    response = client.post(f"/t/{tenant.slug}/complaints/manage/{repeat.number}/duplicate",
                           data={"original": original.number})
    assert response.status_code == 403
    with app.app_context():
        finished = load(tenant, repeat.number)
        assert finished.duplicate_of_id is None
        with tenant_scope(tenant):
            finished.status = "resolved"
            with pytest.raises(ValidationError) as caught:
                duplicates.mark_duplicate(tenant, "system", finished, original.number)
            assert caught.value.code == "invalid_transition"
            db.session.rollback()
