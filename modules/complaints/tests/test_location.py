"""Location (issue 20.1) and forms on a phone (20.4): the tenant's boundaries checked where they are
written, the kecamatan/kelurahan lookup, the village list of the chosen district (with and without
JavaScript), coordinates outside Indonesia or the tenant's area refused with nothing saved, the map
only where a tile server is configured (and never a confidential complaint on it), the error
summary, the limits named in the photo errors, and phone-friendly inputs."""
import io
import json
import re

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from core.kit import ValidationError, db, tenant_scope
from modules.complaints import geo
from modules.complaints.models import Complaint

from .conftest import SETTINGS, image_bytes


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


# -- boundaries, checked where they are written ----------------------------------------------------

@pytest.mark.parametrize("bad, where", [
    ({"type": "Feature"}, "boundaries"),
    ({"type": "FeatureCollection", "features": [feature("city", AREA)]}, "features.0"),
    ({"type": "FeatureCollection", "features": [feature("district", AREA, "NOPE")]}, "features.0"),
    ({"type": "FeatureCollection", "features": [feature("village", AREA, "MRS")]}, "features.0"),  # a district
    ({"type": "FeatureCollection", "features": [feature("area", AREA), feature("district", {
        "type": "Polygon", "coordinates": [[[119.40, -5.16], [119.42, -5.14], [119.42, -5.16], [119.40, -5.14],
                                            [119.40, -5.16]]]}, "MRS")]}, "features.1"),  # a bow tie
    ({"type": "FeatureCollection", "features": [feature("area", rect(2.0, 48.0, 3.0, 49.0))]}, "features.0"),
    ({"type": "FeatureCollection", "features": [feature("area", {"type": "Point", "coordinates": [119.4, -5.1]})]},
     "features.0"),
    ({"type": "FeatureCollection", "features": [feature("district", AREA, "MRS"), feature("district", AREA, "MRS")]},
     "features.1"),
    ("no-such-file.geojson", "boundaries"),
    ("../../etc/passwd", "boundaries"),
])
def test_bad_boundaries_are_refused_when_written(app_ctx, make_tenant, bad, where):
    with pytest.raises(ValidationError) as caught:
        make_tenant({**SETTINGS, "boundaries": bad})
    assert caught.value.where.startswith("modules.complaints.settings.boundaries")
    assert caught.value.where.endswith(where)


def test_boundaries_from_a_file_in_the_tenants_folder(app, app_ctx, make_tenant):
    from pathlib import Path

    folder = Path(app.config["PAMONG_TENANTS_DIR"])
    (folder / "kota-boundaries.geojson").write_text(json.dumps(BOUNDARIES))
    (folder / "broken.geojson").write_text("{not json")
    tenant = make_tenant({**SETTINGS, "boundaries": "kota-boundaries.geojson"})
    from modules.complaints.settings import settings_of

    settings = settings_of(tenant)
    assert geo.locate(tenant, -5.15, 119.41, settings) == geo.Place("MRS", "MRS-BTN")
    assert geo.locate(tenant, -5.20, 119.50, settings) == geo.Place()
    with pytest.raises(ValidationError) as caught:
        make_tenant({**SETTINGS, "boundaries": "broken.geojson"})
    assert "not JSON" in caught.value.message


@pytest.mark.parametrize("bad", ["https://tiles.example.id/tile.png", "ftp://x/{z}/{x}/{y}", "javascript:alert(1)",
                                 "https://{q}.example.id/{z}/{x}/{y}.png"])
def test_a_tile_url_that_is_no_template_is_refused(app_ctx, make_tenant, bad):
    with pytest.raises(ValidationError) as caught:
        make_tenant({**SETTINGS, "map_tile_url": bad})
    assert caught.value.where.endswith("modules.complaints.settings.map_tile_url")


def test_the_tile_servers_origin_for_the_page_policy():
    assert geo.Tiles("https://{s}.tile.example.org/{z}/{x}/{y}.png", "").origin == "https://*.tile.example.org"
    assert geo.Tiles("http://127.0.0.1:8080/t/{z}/{x}/{y}.png", "").origin == "http://127.0.0.1:8080"


def test_the_makassar_demo_boundaries_validate(app, app_ctx, create_tenant):
    """tenants/makassar.toml's districts and its boundaries file (rough demo rectangles)."""
    import shutil
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "tenants"
    doc = tomllib.loads((root / "makassar.toml").read_text())
    shutil.copy(root / doc["modules"]["complaints"]["settings"]["boundaries"], app.config["PAMONG_TENANTS_DIR"])
    tenant = create_tenant(modules={"complaints": doc["modules"]["complaints"]["settings"]},
                           agencies=[{"code": a["code"], "name": a["name"]} for a in doc["agencies"]],
                           districts=doc["districts"])
    from modules.complaints.settings import settings_of

    assert geo.locate(tenant, -5.1477, 119.4327, settings_of(tenant)) == geo.Place("PNK", "PNK-KRK")
    assert geo.boundaries(tenant, settings_of(tenant)).in_area(-5.2, 119.5)


# -- the lookup -------------------------------------------------------------------------------------

def test_the_lookup_names_the_district_and_village(client, mapped):
    answer = client.get(url(mapped, f"locate?lat={IN_MRS[0]}&lon={IN_MRS[1]}"))
    assert answer.status_code == 200
    assert answer.get_json() == {"district": {"code": "MRS", "name": "Mariso"},
                                 "village": {"code": "MRS-BTN", "name": "Bontorannu"}}
    elsewhere = client.get(url(mapped, f"locate?lat={IN_CITY_ELSEWHERE[0]}&lon={IN_CITY_ELSEWHERE[1]}"))
    assert elsewhere.status_code == 200 and elsewhere.get_json() == {"district": None, "village": None}


@pytest.mark.parametrize("query, code", [
    (f"lat={JAKARTA[0]}&lon={JAKARTA[1]}", "outside_area"),
    (f"lat={PARIS[0]}&lon={PARIS[1]}", "outside_indonesia"),
    ("lat=abc&lon=119", "invalid_coordinate"),
    ("lat=-5.1", "incomplete_coordinates"),
    ("lat=" + "9" * 400 + "&lon=119", "invalid_coordinate"),
])
def test_the_lookup_refuses_bad_coordinates_with_a_stable_code(client, mapped, query, code):
    answer = client.get(url(mapped, f"locate?{query}"))
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == code and answer.get_json()["error"]["message"]


def test_without_boundaries_the_lookup_names_nothing_and_any_place_in_indonesia_is_accepted(client, tenant):
    answer = client.get(url(tenant, f"locate?lat={JAKARTA[0]}&lon={JAKARTA[1]}"))
    assert answer.status_code == 200 and answer.get_json() == {"district": None, "village": None}
    assert client.get(url(tenant, f"locate?lat={PARIS[0]}&lon={PARIS[1]}")).status_code == 400


# -- the village list of the chosen district ----------------------------------------------------------

def test_the_village_list_follows_the_chosen_district(app, client, tenant):
    page = client.get(url(tenant, "new")).get_data(as_text=True)
    assert select_options(page, "village") == ["", "MRS-BTN", "PNK-PNK"]  # none chosen: all
    assert 'data-district="PNK" value="PNK-PNK"' in page  # for the script
    page = client.get(url(tenant, "new?district=MRS")).get_data(as_text=True)
    assert select_options(page, "village") == ["", "MRS-BTN"]
    # without JavaScript: the "show the villages" button; nothing is filed, no error is shown
    answer = post_form(client, tenant, district="PNK", step="district", description="")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and select_options(page, "village") == ["", "PNK-PNK"]
    assert 'id="error-summary"' not in page and 'class="error"' not in page and count(app, tenant) == 0
    assert client.get(url(tenant, "villages.json")).get_json() == [
        {"code": "MRS-BTN", "name": "Mariso — Bontorannu", "district": "MRS"},
        {"code": "PNK-PNK", "name": "Panakkukang — Panaikang", "district": "PNK"},
    ]


def test_without_javascript_the_coordinates_find_the_district(app, client, mapped):
    page = post_form(client, mapped, latitude=IN_PNK[0], longitude=IN_PNK[1], step="locate").get_data(as_text=True)
    assert re.search(r'<option selected value="PNK">|<option value="PNK" selected>', page)
    assert select_options(page, "village") == ["", "PNK-PNK"] and count(app, mapped) == 0
    bad = post_form(client, mapped, latitude=PARIS[0], longitude=PARIS[1], step="locate")
    assert "outside Indonesia" in bad.get_data(as_text=True) and count(app, mapped) == 0


# -- coordinates on filing ---------------------------------------------------------------------------

@pytest.mark.parametrize("point, message", [
    (PARIS, "This place is outside Indonesia"),
    (JAKARTA, "This place is outside the area of"),
    (("-11.5", "119.4"), "This place is outside Indonesia"),
])
def test_coordinates_outside_indonesia_or_the_area_are_refused_and_nothing_is_saved(app, client, mapped, point,
                                                                                     message):
    answer = post_form(client, mapped, latitude=point[0], longitude=point[1])
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and message in page
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert 'href="#latitude"' in summary and message in summary
    assert count(app, mapped) == 0


def test_outside_indonesia_is_refused_on_every_channel(app, client, tenant, token_for_tenant):
    token = token_for_tenant(tenant, "complaints:write")
    answer = client.post(f"/t/{tenant.slug}/api/v1/complaints/", json={
        "category": "SAMPAH", "description": "Sampah di selokan", "lat": 48.85, "long": 2.35,
    }, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400 and "outside_indonesia" in answer.get_data(as_text=True)
    assert count(app, tenant) == 0


def test_coordinates_fill_the_district_and_village_left_empty(app, client, mapped):
    answer = post_form(client, mapped, latitude=IN_MRS[0], longitude=IN_MRS[1])
    assert answer.status_code == 302, answer.get_data(as_text=True)[:3000]
    assert only(app, mapped) == (unit_id(app, mapped, "MRS"), unit_id(app, mapped, "MRS-BTN"), -5.15)


def test_a_chosen_district_is_kept(app, client, mapped):
    answer = post_form(client, mapped, latitude=IN_MRS[0], longitude=IN_MRS[1], district="PNK")
    assert answer.status_code == 302
    assert only(app, mapped)[:2] == (unit_id(app, mapped, "PNK"), None)


def test_coordinates_without_a_tile_server_are_accepted(app, client, tenant):
    page = client.get(url(tenant, "new")).get_data(as_text=True)
    assert 'id="pick-map"' not in page and "leaflet" not in page
    assert 'id="use-location"' in page  # the button, shown by the script where the browser can
    answer = post_form(client, tenant, latitude=JAKARTA[0], longitude=JAKARTA[1])
    assert answer.status_code == 302 and count(app, tenant) == 1


# -- the map -------------------------------------------------------------------------------------------

def test_no_tile_server_no_map(client, tenant, monkeypatch):
    monkeypatch.delenv("PAMONG_MAP_TILE_URL", raising=False)
    assert client.get(url(tenant, "map")).status_code == 404
    assert client.get(url(tenant, "map/complaints.json")).status_code == 404
    assert 'href="/t/%s/complaints/map"' % tenant.slug not in client.get(url(tenant, "")).get_data(as_text=True)


def test_the_deployments_tile_server_gives_a_map(app, client, tenant):
    app.config["PAMONG_MAP_TILE_URL"] = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    app.config["PAMONG_MAP_ATTRIBUTION"] = "© OpenStreetMap contributors"
    try:
        answer = client.get(url(tenant, "map"))
        assert answer.status_code == 200
        assert "img-src 'self' data: https://*.tile.example.org;" in answer.headers["Content-Security-Policy"]
        page = client.get(url(tenant, "new")).get_data(as_text=True)
        assert 'id="pick-map"' in page and "© OpenStreetMap contributors" in page
    finally:
        app.config["PAMONG_MAP_TILE_URL"] = app.config["PAMONG_MAP_ATTRIBUTION"] = ""


def test_the_public_map_shows_open_public_complaints_only(app, client, mapped):
    for changes in ({}, {"confidential": "y", "description": "Rahasia: sampah di rumah pejabat"},
                    {"latitude": "", "longitude": ""}):
        changes = {"latitude": IN_PNK[0], "longitude": IN_PNK[1], "file_anyway": "1", **changes}
        assert post_form(client, mapped, **changes).status_code == 302
    page = client.get(url(mapped, "map"))
    assert page.status_code == 200 and "https://tiles.example.id" in page.headers["Content-Security-Policy"]
    assert 'data-attribution="© &lt;b&gt;Peta&lt;/b&gt; contributors"' in page.get_data(as_text=True)
    data = client.get(url(mapped, "map/complaints.json")).get_json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1  # not the rahasia one, nor the unplaced
    (only_one,) = data["features"]
    assert only_one["geometry"] == {"type": "Point", "coordinates": [119.4327, -5.1477]}
    assert set(only_one["properties"]) == {"number", "category", "status", "url"}
    assert only_one["properties"]["category"] == "Rubbish"
    with app.app_context(), tenant_scope(mapped):
        secret = db.session.execute(db.select(Complaint.number).where(Complaint.confidential.is_(True))).scalar_one()
    assert secret not in json.dumps(data)
    assert f'href="/t/{mapped.slug}/complaints/map"' in client.get(url(mapped, "")).get_data(as_text=True)


def test_leaflet_is_served_by_the_app(client, tenant):
    script = client.get(url(tenant, "map/lib/leaflet.js"))
    assert script.status_code == 200 and b"Leaflet" in script.data[:2000]
    assert client.get(url(tenant, "map/lib/leaflet.css")).status_code == 200
    assert client.get(url(tenant, "map/lib/images/marker-icon.png")).status_code == 200
    for bad in ("leaflet-src.js.map", "../__init__.py", "images/../../../../etc/passwd"):
        assert client.get(url(tenant, f"map/lib/{bad}")).status_code == 404
    assert client.get(url(tenant, "location.js")).status_code == 200


def test_without_leaflets_files_there_is_no_map_and_filing_still_works(app, client, mapped, monkeypatch):
    monkeypatch.setattr(geo, "leaflet_dir", lambda: None)
    assert client.get(url(mapped, "map")).status_code == 404
    page = client.get(url(mapped, "new")).get_data(as_text=True)
    assert 'id="pick-map"' not in page and 'id="use-location"' in page
    assert post_form(client, mapped, latitude=IN_MRS[0], longitude=IN_MRS[1]).status_code == 302


# -- forms on a phone ------------------------------------------------------------------------------------

def test_the_error_summary_links_to_each_field(app, client, tenant):
    answer = post_form(client, tenant, category="", description="", phone="12", email="not-an-address")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    summary = re.search(r'<div class="error-summary" id="error-summary" role="alert".*?</div>', page, re.S).group(0)
    assert page.index("error-summary") < page.index('name="category"')  # at the top
    for field in ("category", "description"):
        assert f'href="#{field}"' in summary and f'id="{field}"' in page
    assert count(app, tenant) == 0


def test_messages_are_indonesian_by_default(client, tenant):
    page = post_form(client, tenant, category="", description="", lang=ID).get_data(
        as_text=True)
    assert "This field is required." not in page and "Kolom ini wajib diisi." in page


def test_photo_errors_name_the_limit(app, client, tenant):
    three = [(image_bytes(), f"p{i}.jpg") for i in range(3)]
    page = post_form(client, tenant, photos=three).get_data(as_text=True)
    assert "At most 2 photos." in page
    page = post_form(client, tenant, photos=three, lang=ID).get_data(as_text=True)
    assert "Paling banyak 2 foto." in page
    big = image_bytes(size=(1600, 1200), exif=False) + b"\0" * (301 * 1024)
    page = post_form(client, tenant, photos=[(big, "big.jpg")], lang=ID).get_data(
        as_text=True)
    assert "Ukuran foto paling besar 300 KB." in page
    assert count(app, tenant) == 0


def test_the_inputs_suit_a_phone(client, tenant):
    page = client.get(url(tenant, "new")).get_data(as_text=True)
    phone = re.search(r"<input[^>]*name=\"phone\"[^>]*>", page).group(0)
    email = re.search(r"<input[^>]*name=\"email\"[^>]*>", page).group(0)
    photos = re.search(r"<input[^>]*name=\"photos\"[^>]*>", page).group(0)
    assert 'type="tel"' in phone and 'inputmode="tel"' in phone
    assert 'type="email"' in email and 'inputmode="email"' in email
    assert 'accept="image/*"' in photos and "multiple" in photos


# -- the rules, for any point ------------------------------------------------------------------------------

class _Unit:
    def __init__(self, code):
        self.code = code


UNITS = {"district": {"MRS": _Unit("MRS"), "PNK": _Unit("PNK")},
         "village": {"MRS-BTN": _Unit("MRS-BTN"), "PNK-PNK": _Unit("PNK-PNK")}}


@hsettings(max_examples=300, deadline=None)
@given(lat=st.floats(-12, 7, allow_nan=False), lon=st.floats(94, 142, allow_nan=False))
def test_indonesia_is_a_closed_box(lat, lon):
    assert geo.in_indonesia(lat, lon) == (-11 <= lat <= 6 and 95 <= lon <= 141)


@hsettings(max_examples=300, deadline=None)
@given(lat=st.floats(-5.25, -5.02, allow_nan=False), lon=st.floats(119.36, 119.57, allow_nan=False))
def test_a_point_is_located_in_the_rectangle_that_holds_it(lat, lon):
    bounds = geo.parse_boundaries(BOUNDARIES, UNITS)
    place = bounds.locate(lat, lon)
    in_mrs = 119.400 <= lon <= 119.420 and -5.165 <= lat <= -5.145
    in_pnk = 119.430 <= lon <= 119.470 and -5.160 <= lat <= -5.130
    assert place == (geo.Place("MRS", "MRS-BTN") if in_mrs else geo.Place("PNK", "PNK-PNK") if in_pnk else geo.Place())
    assert bounds.in_area(lat, lon) == (119.37 <= lon <= 119.56 and -5.24 <= lat <= -5.03)


def test_without_an_area_feature_the_area_is_the_districts():
    districts_only = {"type": "FeatureCollection", "features": BOUNDARIES["features"][1:]}
    bounds = geo.parse_boundaries(districts_only, UNITS)
    assert bounds.in_area(-5.15, 119.41) and not bounds.in_area(-5.20, 119.50)
