"""What the location tests share (test_location_bounds, _lookup, _map, _forms): a made-up city's
boundaries, points in and out of it, the filing form and its poster, and the tenants (with and
without a map). The fixtures are imported by each test file."""
import io
import re

import pytest

from core.kit import db, tenant_scope
from modules.complaints.models import Complaint

from .conftest import SETTINGS


def rect(w, s, e, n):
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def feature(kind, geometry, code=None):
    return {"type": "Feature", "properties": {"kind": kind, **({"code": code} if code else {})}, "geometry": geometry}


# a made-up city around Makassar: Mariso west, Panakkukang east (rough rectangles)
AREA = rect(119.37, -5.24, 119.56, -5.03)
BOUNDARIES = {"type": "FeatureCollection", "features": [
    feature("area", AREA),
    feature("district", rect(119.400, -5.165, 119.420, -5.145), "MRS"),
    feature("village", rect(119.400, -5.165, 119.420, -5.145), "MRS-BTN"),
    feature("district", rect(119.430, -5.160, 119.470, -5.130), "PNK"),
    feature("village", rect(119.430, -5.160, 119.470, -5.130), "PNK-PNK"),
]}
IN_MRS = ("-5.1500", "119.4100")
IN_PNK = ("-5.1477", "119.4327")
IN_CITY_ELSEWHERE = ("-5.2000", "119.5000")  # in the area, in no district given
JAKARTA = ("-6.2000", "106.8166")  # Indonesia, not this city
PARIS = ("48.8566", "2.3522")
TILES = "https://tiles.example.id/{z}/{x}/{y}.png"
EN, ID = "en", "id"
FORM = {"category": "SAMPAH", "description": "Sampah menumpuk di depan pasar sejak Senin", "district": "",
        "village": "", "address": "Jl. Nuri No. 5", "latitude": "", "longitude": "", "name": "",
        "phone": "", "email": "", "notify_by": "none"}


def url(tenant, path=""):
    return f"/t/{tenant.slug}/complaints/{path}"


@pytest.fixture(autouse=True)
def english(client):
    """The visitor chose English (the tenant's default is Indonesian); ``speak(client, ID)`` changes it."""
    speak(client, EN)


def speak(client, lang):
    client.set_cookie("pamong_locale", lang)


def post_form(client, tenant, photos=(), lang=None, **changes):
    if lang:
        speak(client, lang)
    data = {**FORM, **changes}
    data["photos"] = [(io.BytesIO(p), name) for p, name in photos]
    return client.post(url(tenant, "new"), data=data, content_type="multipart/form-data")


def count(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(db.func.count(Complaint.id))).scalar_one()


def only(app, tenant) -> Complaint:
    with app.app_context(), tenant_scope(tenant):
        complaint = db.session.execute(db.select(Complaint)).scalar_one()
        return complaint.district_id, complaint.village_id, complaint.latitude


def unit_id(app, tenant, code):
    from core.kit import OrgUnit

    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(OrgUnit.id).where(OrgUnit.code == code)).scalar_one()


@pytest.fixture
def tenant(make_tenant):
    """Indonesian first, English on the visitor's choice."""
    return make_tenant(locales=["id", "en"])


@pytest.fixture
def mapped(make_tenant):
    """A tenant with boundaries (inline) and a tile server of its own."""
    return make_tenant({**SETTINGS, "boundaries": BOUNDARIES, "map_tile_url": TILES,
                        "map_attribution": "© <b>Peta</b> contributors"}, locales=["id", "en"])


def select_options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"', select)
