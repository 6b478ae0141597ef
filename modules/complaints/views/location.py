"""Location on the pages (``geo.py`` holds the rules): the reverse lookup the filing form's script
asks, the public map of open complaints, and the files the map needs (Leaflet, served by the app,
and the module's own script).

The map exists only where a tile server is configured and Leaflet's files are installed; without,
``/map`` and its data answer 404 and the filing form has no map (its "use my location" button and
the coordinates boxes still work). A page with a map allows the tile server's origin in its
Content-Security-Policy ``img-src``, and nothing else beyond the core's policy.
"""
from __future__ import annotations

from pathlib import Path

from flask import abort, g, jsonify, make_response, render_template, request, send_file, send_from_directory, url_for

from core.kit import ValidationError, db, public, tenant_scope

from .. import geo, services
from ..disclosure import public_only
from ..labels import status_label
from ..models import OPEN_STATUSES, Complaint
from ..settings import categories, settings_of
from . import _field_message, bp, locale, units

SCRIPT = Path(__file__).resolve().parent.parent / "static" / "location.js"
MAP_LIMIT = 1000  # the newest open complaints drawn on the public map
_LEAFLET_FILES = {"leaflet.js", "leaflet.css", "images/marker-icon.png", "images/marker-icon-2x.png",
                  "images/marker-shadow.png", "images/layers.png", "images/layers-2x.png"}


def map_policy(tiles: geo.Tiles) -> str:
    """The core's Content-Security-Policy with the tile server's images allowed."""
    return (f"default-src 'self'; img-src 'self' data: {tiles.origin}; style-src 'self'; "
            "frame-ancestors 'none'")


def with_map_policy(response, tiles: geo.Tiles | None):
    if tiles is not None:
        response.headers["Content-Security-Policy"] = map_policy(tiles)
    return response


@bp.route("/location.js")
@public
def location_script():
    return send_file(SCRIPT, mimetype="text/javascript", max_age=300)


@bp.route("/map/lib/<path:name>")
@public
def leaflet_file(name: str):
    """Leaflet's script, stylesheet and marker images (XStatic-Leaflet); 404 when not installed."""
    base = geo.leaflet_dir()
    if base is None or name not in _LEAFLET_FILES:
        abort(404)
    return send_from_directory(base, name, max_age=86400)


@bp.route("/locate")
@public
def locate():
    """``?lat=&lon=`` (degrees, WGS 84) -> ``{"district": {"code", "name"} | null, "village": ... }``
    by the tenant's boundaries (both null without boundaries). Bad coordinates: 400
    ``{"error": {"code", "message"}}`` with code ``invalid_coordinate``, ``outside_indonesia`` or
    ``outside_area``."""
    settings = settings_of(g.tenant)
    try:
        lat = services.coordinate(request.args.get("lat", ""), "latitude", 90)
        lon = services.coordinate(request.args.get("lon", ""), "longitude", 180)
        if lat is None or lon is None:
            raise ValidationError("give both lat and lon", where="latitude", code="incomplete_coordinates")
        geo.check_point(g.tenant, lat, lon, settings)
    except ValidationError as exc:
        return jsonify(error={"code": exc.code, "message": _field_message(exc)}), 400
    place = geo.locate(g.tenant, lat, lon, settings)
    units = geo.known_units(g.tenant)

    def unit(kind, code):
        found = units[kind].get(code) if code else None
        return {"code": found.code, "name": found.name} if found is not None else None

    return jsonify(district=unit("district", place.district), village=unit("village", place.village))


@bp.route("/villages.json")
@public
def villages():
    """Every active village with its district's code (the filing form's script filters the list
    by the chosen district): ``[{"code", "name", "district"}]``."""
    districts = {d.id: d for d in units("district")}
    return jsonify([
        {"code": v.code, "name": f"{districts[v.parent_id].name} — {v.name}" if v.parent_id in districts else v.name,
         "district": districts[v.parent_id].code if v.parent_id in districts else ""}
        for v in units("village")
    ])


@bp.route("/map")
@public
def public_map():
    """The open public complaints on a map (a list of links beside it for keyboards and screen
    readers is the transparency page)."""
    settings = settings_of(g.tenant)
    tiles = geo.map_available(settings)
    if tiles is None:
        abort(404)
    bounds = geo.boundaries(g.tenant, settings)
    page = render_template("complaints/map.html", tiles=tiles, center=bounds.center if bounds else None)
    return with_map_policy(make_response(page), tiles)


@bp.route("/map/complaints.json")
@public
def map_data():
    """GeoJSON FeatureCollection of the newest open complaints with coordinates that the public may
    see (never a *rahasia* one: ``disclosure.public_only``): number, category, status and its page.
    Nothing personal and no free text."""
    if geo.map_available(settings_of(g.tenant)) is None:
        abort(404)
    names = {c.code: c.name(locale()) for c in categories(g.tenant)}
    query = public_only(db.select(Complaint)).where(
        Complaint.status.in_(OPEN_STATUSES), Complaint.latitude.is_not(None), Complaint.longitude.is_not(None),
    ).order_by(Complaint.created_at.desc()).limit(MAP_LIMIT)
    with tenant_scope(g.tenant):
        rows = db.session.execute(query).scalars().all()
    features = [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(c.longitude, 6), round(c.latitude, 6)]},
        "properties": {"number": c.number, "category": names.get(c.category_code, c.category_code),
                       "status": status_label(c.status), "url": url_for("complaints.track", number=c.number)},
    } for c in rows]
    return jsonify(type="FeatureCollection", features=features)

