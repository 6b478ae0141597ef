"""The citizens' pages: filing (anonymous and signed in), errors, tracking, reopening, privacy."""
import io
import re

from core.kit import db, tenant_scope
from modules.complaints.models import Complaint

from .conftest import image_bytes, outbox

FORM = {"category": "SAMPAH", "description": "Sampah menumpuk di depan pasar sejak Senin", "district": "MRS",
        "village": "MRS-BTN", "address": "Jl. Nuri No. 5", "latitude": "-5.1477", "longitude": "119.4327",
        "name": "Daeng Rani", "phone": "081234567890", "email": "", "notify_by": ""}


def url(tenant, path=""):
    return f"/t/{tenant.slug}/complaints/{path}"


def post_form(client, tenant, photos=(), **changes):
    data = {**FORM, **changes}
    data["photos"] = [(io.BytesIO(p), name) for p, name in photos]
    return client.post(url(tenant, "new"), data=data, content_type="multipart/form-data")


def test_the_form_is_labelled(client, tenant):
    page = client.get(url(tenant, "new")).get_data(as_text=True)
    for name in ("category", "description", "district", "village", "address", "latitude", "longitude",
                 "photos", "name", "phone", "email"):
        assert f'name="{name}"' in page and f'for="{name}"' in page, name
    assert "Rubbish" in page or "Sampah" in page
    assert "Bontorannu" in page  # villages of the tenant's own organisation


def test_an_anonymous_citizen_files_and_tracks_a_complaint(app, client, tenant):
    response = post_form(client, tenant, photos=[(image_bytes(), "lubang.jpg")])
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    number = response.headers["Location"].rsplit("/", 1)[1]
    assert re.match(rf"^{tenant.slug.upper()}-\d{{4}}-000001$", number)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'id="access-code">([0-9A-F]{8})<', page).group(1)
    assert "access-code" not in client.get(response.headers["Location"]).get_data(as_text=True)  # shown once
    # the session that filed it sees its details for a while (issue 20.3); the public does not
    assert "+6281234567890" in client.get(url(tenant, f"track/{number}")).get_data(as_text=True)
    track = app.test_client().get(url(tenant, f"track/{number}")).get_data(as_text=True)
    assert "Dinas Lingkungan Hidup" in track and "Bontorannu" in track and 'id="timeline"' in track
    for secret in ("Daeng Rani", "081234567890", "6281234567890", "<img"):
        assert secret not in track  # no personal data (nor photos) for the public
    assert client.get(url(tenant, f"track?number={number.lower()}")).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        complaint = db.session.execute(db.select(Complaint)).scalar_one()
        assert complaint.channel == "portal" and complaint.filer_user_id is None and len(complaint.photos) == 1
        ((channel, to, body),) = outbox(tenant)
        assert (channel, to) == ("sms", "+6281234567890") and code in body


def test_bad_input_re_renders_the_form_with_messages(app, client, tenant):
    cases = [
        ({"category": ""}, "category"),
        ({"category": "NOPE"}, "category"),
        ({"description": ""}, "description"),
        ({"latitude": "-95"}, "latitude"),
        ({"longitude": ""}, "longitude"),
        ({"phone": "12345"}, "phone"),
    ]
    for change, field in cases:
        response = post_form(client, tenant, **change)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (change, page[:500])
        assert f'id="{field}-err"' in page, (change, field)
    response = post_form(client, tenant, photos=[(b"MZ\x90\x00 an exe", "photo.jpg")])
    assert response.status_code == 400 and 'id="photos-err"' in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count()).select_from(Complaint)).scalar() == 0
        assert outbox(tenant) == []


def test_a_signed_in_citizen_sees_their_complaints_and_their_details(client, tenant, people, login):
    login(client, people["citizen"], tenant)
    number = post_form(client, tenant).headers["Location"].rsplit("/", 1)[1]
    mine = client.get(url(tenant, "mine")).get_data(as_text=True)
    assert number in mine
    track = client.get(url(tenant, f"track/{number}")).get_data(as_text=True)
    assert "Daeng Rani" in track and 'id="filer"' in track  # the filer sees what they gave


def test_unknown_number_is_404(client, tenant):
    assert client.get(url(tenant, "track/NOPE-2026-000001")).status_code == 404


def test_module_pages_are_404_for_a_tenant_without_the_module(client, create_tenant):
    other = create_tenant()
    assert client.get(f"/t/{other.slug}/complaints/new").status_code == 404


def test_the_form_is_rate_limited(app, client, tenant, monkeypatch):
    monkeypatch.setitem(app.config, "PAMONG_COMPLAINTS_RATE", "2 per minute")
    # file_anyway: the second would otherwise be offered the first, filed at the same place
    assert [post_form(client, tenant, file_anyway="1").status_code for _ in range(3)] == [302, 302, 429]
    assert client.get(url(tenant, "new")).status_code == 200  # reading the form is not limited
