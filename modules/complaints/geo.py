"""Where a complaint is: the bounds a point must lie in, the tenant's kecamatan/kelurahan boundaries
(reverse lookup), and the map (tile server and the Leaflet files the app serves).

- **Indonesia**: a coordinate pair outside latitude -11..6 and longitude 95..141 (degrees, WGS 84) is
  refused (``outside_indonesia``) on every channel: the country's extent with a margin (Rote at about
  -11.0, Weh at about 6.1 N, Sabang at 95.3 E, Merauke at about 141.0 E).
- **Boundaries** (setting ``boundaries``): a GeoJSON FeatureCollection (RFC 7946, lon/lat order),
  inline in the tenant's TOML or the name of a ``.geojson`` file in the tenants folder
  (``PAMONG_TENANTS_DIR``). Each feature is a Polygon or MultiPolygon with ``properties.kind``:
  ``"area"`` (the tenant's outline), ``"district"`` or ``"village"`` with ``properties.code``, the
  org unit's code. With boundaries, a point must lie in the area (the ``area`` features, else the
  union of the districts) or it is refused (``outside_area``); ``locate`` names the district and
  village that contain it. Checked when the settings are written (``check_boundaries``).
- **Map**: shown only where a tile server is configured, per tenant (settings ``map_tile_url``,
  ``map_attribution``) or per deployment (``PAMONG_MAP_TILE_URL``, ``PAMONG_MAP_ATTRIBUTION``, app
  config or environment); the tenant's wins. Leaflet comes from the XStatic-Leaflet package (PyPI)
  and is served by the app; if its files are missing there is no map, and the rest still works.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from core.kit import OrgUnit, ValidationError, db, raise_all, tenant_scope

from .labels import lazy_gettext as _l

INDONESIA = {"south": -11.0, "north": 6.0, "west": 95.0, "east": 141.0}
BOUNDARIES_KEY = "modules.complaints.settings.boundaries"
MAX_BOUNDARY_BYTES = 5 * 1024 * 1024
_TILE = re.compile(r"^https?://[^\s\"'<>]+$")
_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.(geo)?json$")


# -- bounds ---------------------------------------------------------------------------------------

def in_indonesia(lat: float, lon: float) -> bool:
    return INDONESIA["south"] <= lat <= INDONESIA["north"] and INDONESIA["west"] <= lon <= INDONESIA["east"]


def check_point(tenant, lat: float, lon: float, settings: dict) -> None:
    """Refuse a point outside Indonesia (``outside_indonesia``) or, where the tenant gives
    boundaries, outside its area (``outside_area``); both name ``latitude``."""
    if not in_indonesia(lat, lon):
        raise ValidationError("lies outside Indonesia (latitude -11 to 6, longitude 95 to 141)",
                              where="latitude", code="outside_indonesia")
    bounds = boundaries(tenant, settings)
    if bounds is not None and not bounds.in_area(lat, lon):
        raise ValidationError(f"lies outside the area of {tenant.name}", where="latitude", code="outside_area")


# -- boundaries -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """The org unit codes containing a point ("" where none does)."""

    district: str = ""
    village: str = ""


class Boundaries:
    """The parsed boundaries of one tenant: shapely geometries by kind and code."""

    def __init__(self, area, districts: dict, villages: dict):
        from shapely.prepared import prep

        self.area = prep(area) if area is not None else None
        self.districts = {code: prep(g) for code, g in districts.items()}
        self.villages = {code: prep(g) for code, g in villages.items()}

    @property
    def center(self) -> tuple[float, float] | None:
        """(lat, lon) in the middle of the area's bounding box: where a map opens."""
        if self.area is None:
            return None
        minx, miny, maxx, maxy = self.area.context.bounds
        return (round((miny + maxy) / 2, 6), round((minx + maxx) / 2, 6))

    def in_area(self, lat: float, lon: float) -> bool:
        from shapely.geometry import Point

        return self.area is None or self.area.covers(Point(lon, lat))

    def locate(self, lat: float, lon: float) -> Place:
        from shapely.geometry import Point

        point = Point(lon, lat)
        district = next((c for c, g in sorted(self.districts.items()) if g.covers(point)), "")
        village = next((c for c, g in sorted(self.villages.items()) if g.covers(point)), "")
        return Place(district, village)


_cache: dict = {}


def boundaries(tenant, settings: dict) -> Boundaries | None:
    """The tenant's boundaries, or None when it gives none; kept in this process while the setting
    (and the file's modification time) are unchanged."""
    value = settings.get("boundaries")
    if not value:
        return None
    key = (tenant.id, json.dumps(value, sort_keys=True))
    stamp = None
    if isinstance(value, str):
        path = _boundaries_path(value)
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            return None  # checked when written; gone since: no lookup rather than an error for citizens
    cached = _cache.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        parsed = parse_boundaries(_read(value), known_units(tenant))
    except ValidationError:
        current_app.logger.warning("complaints: boundaries of tenant %s cannot be read", tenant.slug)
        return None
    if len(_cache) > 1000:
        _cache.clear()
    _cache[key] = (stamp, parsed)
    return parsed


def locate(tenant, lat: float, lon: float, settings: dict) -> Place:
    """The district and village containing (lat, lon) by the tenant's boundaries (empty without)."""
    bounds = boundaries(tenant, settings)
    return bounds.locate(lat, lon) if bounds is not None else Place()


def known_units(tenant) -> dict[str, dict[str, OrgUnit]]:
    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(OrgUnit).where(OrgUnit.kind.in_(("district", "village")), OrgUnit.active.is_(True))
        ).scalars()
        out: dict[str, dict[str, OrgUnit]] = {"district": {}, "village": {}}
        for unit in rows:
            out[unit.kind][unit.code] = unit
        return out


def check_boundaries(tenant, settings: dict) -> None:
    """The ``boundaries`` setting reads as GeoJSON whose units all exist in the tenant (DESIGN §5:
    configuration is checked where it is written); ValidationError naming the setting otherwise,
    or ``Problems`` naming each bad feature."""
    value = settings.get("boundaries")
    if value:
        parse_boundaries(_read(value), known_units(tenant))


def _boundaries_path(name: str) -> Path:
    return Path(current_app.config["PAMONG_TENANTS_DIR"]) / name


def _read(value) -> dict:
    if isinstance(value, dict):
        return value
    if not isinstance(value, str) or not _FILE.match(value):
        raise ValidationError("must be a GeoJSON FeatureCollection or the name of a .geojson file in the "
                              "tenants folder", where=BOUNDARIES_KEY,
                              local=_l("Give a GeoJSON FeatureCollection or the name of a .geojson file in the "
                                       "tenants folder."))
    path = _boundaries_path(value)
    try:
        if path.stat().st_size > MAX_BOUNDARY_BYTES:
            raise ValidationError(f"file '{value}' is larger than 5 MB", where=BOUNDARIES_KEY,
                                  local=_l("The file %(name)s is larger than 5 MB.", name=value))
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(f"file '{value}' is not in the tenants folder", where=BOUNDARIES_KEY,
                              local=_l("There is no file %(name)s in the tenants folder.", name=value)) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(f"file '{value}' is not JSON: {str(exc)[:120]}", where=BOUNDARIES_KEY,
                              local=_l("The file %(name)s is not JSON.", name=value)) from None


def parse_boundaries(doc, units: dict[str, dict[str, OrgUnit]]) -> Boundaries:
    """Shapely geometries of a GeoJSON FeatureCollection (see the module's docstring); a
    ValidationError naming the feature for anything else (a bad geometry, an unknown kind or code, a
    code given twice), every feature's at once (``raise_all``: ``Problems`` for more than one, at
    most ``MAX_PROBLEMS``)."""
    from shapely.ops import unary_union

    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise ValidationError("must be a GeoJSON FeatureCollection", where=BOUNDARIES_KEY,
                              local=_l("This is not a GeoJSON FeatureCollection."))
    areas, by_kind, problems = [], {"district": {}, "village": {}}, []
    for index, feature in enumerate(doc["features"]):
        try:
            kind, code, geom = _feature(feature, f"{BOUNDARIES_KEY}.features.{index}", units, by_kind)
        except ValidationError as exc:  # every feature's problem at once, up to MAX_PROBLEMS
            problems.append(exc)
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        if kind == "area":
            areas.append(geom)
        else:
            by_kind[kind][code] = geom
    raise_all(problems)
    if areas:
        area = unary_union(areas)
    elif by_kind["district"]:
        area = unary_union(list(by_kind["district"].values()))
    else:
        area = None
    return Boundaries(area, by_kind["district"], by_kind["village"])


MAX_PROBLEMS = 20  # a file with more bad features is told of its first 20


def _feature(feature, where: str, units: dict[str, dict[str, OrgUnit]], by_kind: dict):
    """(kind, code, geometry) of one GeoJSON Feature; a ValidationError at ``where`` otherwise."""
    from shapely.geometry import shape

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValidationError("must be a GeoJSON Feature", where=where,
                              local=_l("This is not a GeoJSON Feature."))
    props = feature.get("properties") or {}
    kind, code = props.get("kind"), props.get("code")
    if kind not in ("area", "district", "village"):
        raise ValidationError("properties.kind must be area, district or village", where=where,
                              local=_l("properties.kind must be area, district or village."))
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError("geometry must be a Polygon or MultiPolygon", where=where,
                              local=_l("The geometry must be a Polygon or MultiPolygon."))
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely's errors for malformed coordinates are of several kinds
        raise ValidationError(f"geometry cannot be read: {str(exc)[:120]}", where=where,
                              local=_l("The geometry cannot be read.")) from None
    if geom.is_empty or not geom.is_valid:
        raise ValidationError("geometry is empty or not a valid polygon (it crosses itself?)", where=where,
                              local=_l("The geometry is empty or not a valid polygon (does it cross "
                                       "itself?)."))
    minx, miny, maxx, maxy = geom.bounds
    if not (in_indonesia(miny, minx) and in_indonesia(maxy, maxx)):
        raise ValidationError("lies outside Indonesia (coordinates are longitude, latitude)", where=where,
                              local=_l("It lies outside Indonesia (coordinates are longitude, "
                                       "latitude)."))
    if kind != "area" and code not in units[kind]:
        raise ValidationError(f"{kind} '{code}' is not in the tenant's organisation", where=where,
                              local=_l("The tenant has no district or village with the code %(code)s.",
                                       code=code))
    if kind != "area" and code in by_kind[kind]:
        raise ValidationError(f"{kind} '{code}' is given twice", where=where,
                              local=_l("%(code)s is given twice.", code=code))
    return kind, code, geom


# -- the map --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tiles:
    url: str  # a Leaflet URL template: {z}/{x}/{y}, optionally {s} and {r}
    attribution: str

    @property
    def origin(self) -> str:
        """The tile server's origin as a CSP source (``{s}`` subdomains as a wildcard)."""
        parts = urlsplit(self.url.replace("{s}", "__s__"))
        return f"{parts.scheme}://{parts.netloc.replace('__s__', '*')}"


def valid_tile_url(url: str) -> bool:
    if not _TILE.match(url or "") or not all(p in url for p in ("{z}", "{x}", "{y}")):
        return False
    host = urlsplit(url.replace("{s}", "a")).netloc
    return bool(host) and "{" not in host


def tiles(settings: dict) -> Tiles | None:
    """The tile server to draw maps on (the tenant's setting, else the deployment's), or None: no
    map. A deployment value that is not a tile URL template is ignored with a warning."""
    url = (settings.get("map_tile_url") or "").strip()
    attribution = settings.get("map_attribution") or ""
    if not url:
        url = (current_app.config.get("PAMONG_MAP_TILE_URL") or os.environ.get("PAMONG_MAP_TILE_URL", "")).strip()
        attribution = current_app.config.get("PAMONG_MAP_ATTRIBUTION") or os.environ.get("PAMONG_MAP_ATTRIBUTION", "")
    if not url:
        return None
    if not valid_tile_url(url):
        current_app.logger.warning("complaints: PAMONG_MAP_TILE_URL is not a tile URL template; no map")
        return None
    return Tiles(url, attribution.strip())


def leaflet_dir() -> Path | None:
    """The folder of Leaflet's files (XStatic-Leaflet), or None if they are not installed."""
    try:
        from xstatic.pkg import leaflet
    except ImportError:
        return None
    base = Path(leaflet.BASE_DIR)
    return base if (base / "leaflet.js").is_file() and (base / "leaflet.css").is_file() else None


def map_available(settings: dict) -> Tiles | None:
    """The tiles, when a map can be drawn (a tile server and the Leaflet files); else None."""
    found = tiles(settings)
    return found if found is not None and leaflet_dir() is not None else None
