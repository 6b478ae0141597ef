"""Reading an Open311 ``POST requests`` form into a Filing: service, location, attributes, person."""
from __future__ import annotations

import math
import re

from .format import Open311Error
from ..services import Filing

ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
MAX_DESCRIPTION = 4000


def _attributes(form, cat) -> dict:
    given: dict[str, list[str]] = {}
    for key in form.keys():
        match = ATTRIBUTE.match(key)
        if match:
            given.setdefault(match.group(1), []).extend(v for v in form.getlist(key) if v != "")
    declared = {a["code"]: a for a in cat.attributes}
    for code in given:
        if code not in declared:
            raise Open311Error(400, f"attribute[{code}] is not an attribute of service '{cat.code}'")
    out = {}
    for code, attr in declared.items():
        values = given.get(code, [])
        if not values:
            if attr.get("required"):
                raise Open311Error(400, f"attribute[{code}] is required")
            continue
        datatype = attr.get("datatype", "string")
        keys = {v["key"] for v in attr.get("values", [])}
        if datatype == "multivaluelist":
            bad = [v for v in values if v not in keys]
            if bad:
                raise Open311Error(400, f"attribute[{code}] has no value '{bad[0]}'")
            out[code] = values
            continue
        if len(values) > 1:
            raise Open311Error(400, f"attribute[{code}] takes one value")
        value = values[0]
        if datatype == "singlevaluelist" and value not in keys:
            raise Open311Error(400, f"attribute[{code}] has no value '{value}'")
        if datatype == "number":
            try:
                number = float(value)
            except ValueError:
                raise Open311Error(400, f"attribute[{code}] must be a number") from None
            if not math.isfinite(number):
                raise Open311Error(400, f"attribute[{code}] must be a number")
        out[code] = value[:1000]
    return out


def filing_from_post(tenant, form, find_category) -> Filing:
    code = (form.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "service_code is required")
    cat = find_category(code)  # 404 when unknown
    lat, lon = (form.get("lat") or "").strip(), (form.get("long") or "").strip()
    address = (form.get("address_string") or "").strip()
    address_id = (form.get("address_id") or "").strip()
    if bool(lat) != bool(lon):
        raise Open311Error(400, "give both lat and long")
    if not (lat or address or address_id):
        raise Open311Error(400, "a location is required: lat and long, address_string or address_id")
    description = (form.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"description may have at most {MAX_DESCRIPTION} characters")
    name = " ".join(p for p in ((form.get("first_name") or "").strip(), (form.get("last_name") or "").strip()) if p)
    return Filing(
        category=cat.code, description=description or f"{cat.name(tenant.default_locale)} (Open311)",
        village=address_id, address=address, latitude=lat or None, longitude=lon or None,
        name=name, phone=(form.get("phone") or "").strip(), email=(form.get("email") or "").strip(),
        notify_by="none",  # the Open311 client keeps its own users informed
        attributes=_attributes(form, cat), media_url=(form.get("media_url") or "").strip()[:500],
    )
