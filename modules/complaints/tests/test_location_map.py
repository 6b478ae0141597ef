"""Location (issue 20.1): the map only where a tile server is configured (the tenant's or the
deployment's), Leaflet served by the app, and never a confidential complaint on the public map."""
import json

from core.kit import db, tenant_scope
from modules.complaints import geo
from modules.complaints.models import Complaint

from .location_common import (  # noqa: F401  (english, mapped, tenant: fixtures)
    IN_MRS, IN_PNK, english, mapped, post_form, tenant, url,
)


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
