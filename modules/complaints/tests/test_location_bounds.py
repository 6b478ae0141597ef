"""Location (issue 20.1): the tenant's boundaries (GeoJSON) and tile server checked where they are
written, and the rules for any point: Indonesia's box, the district and village that hold it, the
tenant's area."""
import json

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from core.kit import ValidationError
from modules.complaints import geo

from .conftest import SETTINGS
from .location_common import AREA, BOUNDARIES, english, feature, rect  # noqa: F401  (english: a fixture)


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


def test_every_bad_feature_is_named_at_once():
    """A file with three bad features names all three, not the first alone (it was fixed one
    feature per try); a good feature between them is no problem."""
    from core.kit import Problems

    doc = {"type": "FeatureCollection", "features": [
        feature("district", AREA, "NOPE"), feature("area", AREA), feature("city", AREA),
        feature("area", rect(2.0, 48.0, 3.0, 49.0))]}
    with pytest.raises(Problems) as caught:
        geo.parse_boundaries(doc, UNITS)
    assert [p.where.rsplit(".", 2)[-2:] for p in caught.value.problems] == [
        ["features", "0"], ["features", "2"], ["features", "3"]]
    assert "NOPE" in str(caught.value) and "Indonesia" in str(caught.value)
