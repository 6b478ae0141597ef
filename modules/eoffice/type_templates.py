"""Letter types and their body templates, on a page of their own (issue 14.1; before, only in the
admin's settings form): list, create, edit and preview. The types stay where they always were, in
the tenant's e-office settings (``letter_types``, so the tenant file and its export keep them): a
save goes through the core's ``change_module_settings``, which validates the whole settings
document and runs ``settings.check_settings`` (the ``unsafe_template`` check, a code declared
twice) exactly as ``tenant apply`` and the settings form do. This module checks first what a person
typed, field by field, with messages in the reader's language; then the core checks again.

Audited: ``eoffice.template.create`` / ``eoffice.template.update`` with the type before and after
(and the core's ``tenant.module.settings`` with the whole document). A save from a page opened
before someone else's change is refused (``version``), never silently overwriting it.
"""
from __future__ import annotations

import hashlib
import json
import re

from core.kit import NotFound, ValidationError, audit, change_module_settings, clean_text, tenant_scope

from . import richtext
from .labels import lazy_gettext as _l
from .settings import LAYOUTS, NAME, settings_of

CODE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
TEMPLATE_LIMIT = 20_000  # characters, as the settings schema allows
FIELDS = ("code", "name_id", "name_en", "layout", "template")


def types_of(tenant) -> list[dict]:
    """The tenant's letter types in their order, each with its ``template`` ("" when none)."""
    return [{**t, "template": t.get("template") or ""} for t in settings_of(tenant)["letter_types"]]


def find(tenant, code: str) -> dict:
    found = next((t for t in types_of(tenant) if t["code"] == code), None)
    if found is None:
        raise NotFound("no such letter type", code="unknown_letter_type")
    return found


def version(entry: dict | None) -> str:
    """A short fingerprint of a type as stored (the page carries it; a save compares it)."""
    text = json.dumps({k: (entry or {}).get(k) or "" for k in FIELDS}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def preview(template: str) -> str:
    """The body a new letter of this type starts with, as it is rendered (sanitised)."""
    return richtext.sanitise(template)


def checked(tenant, values: dict, code: str | None = None) -> dict:
    """The type as typed, cleaned and checked field by field (``code`` given: an edit of that type,
    whose code does not change). ``ValidationError`` with ``where`` the field: ``bad_code``,
    ``duplicate``, ``required``, ``too_long``, ``bad_layout``, ``unsafe_template``."""
    entry = {k: clean_text(str(values.get(k) or "")).strip() for k in FIELDS}
    entry["template"] = clean_text(str(values.get("template") or "")).strip()
    found: list[ValidationError] = []  # every field's problem at once; the first is raised, the rest on it
    if code is None:
        entry["code"] = entry["code"].upper()
        if not CODE.match(entry["code"]):
            found.append(ValidationError(_l("A code is capitals and digits, starting with a letter (at most 10)."),
                                         where="code", code="bad_code"))
        elif any(t["code"] == entry["code"] for t in types_of(tenant)):
            found.append(ValidationError(_l("There is already a letter type with this code."), where="code",
                                         code="duplicate"))
    else:
        entry["code"] = code
    for field in ("name_id", "name_en"):
        if not entry[field]:
            found.append(ValidationError(_l("Enter the name."), where=field, code="required"))
        elif len(entry[field]) > 80:
            found.append(ValidationError(_l("At most 80 characters."), where=field, code="too_long"))
    if entry["layout"] not in LAYOUTS:
        found.append(ValidationError(_l("Choose a layout."), where="layout", code="bad_layout"))
    if len(entry["template"]) > TEMPLATE_LIMIT:
        found.append(ValidationError(_l("The template is longer than %(n)s characters.", n=TEMPLATE_LIMIT),
                                     where="template", code="too_long"))
    elif entry["template"] and not richtext.same_when_sanitised(entry["template"]):
        found.append(ValidationError(_l("The template holds what a letter may not (script, styles, event handlers or "
                                        "unknown tags): %(found)s", found=richtext.refused(entry["template"])),
                                     where="template", code="unsafe_template"))
    if found:
        first = found[0]
        first.all = found
        raise first
    return entry


def save(tenant, actor, values: dict, code: str | None = None, opened: str | None = None) -> dict:
    """Create a letter type (``code`` None) or change type ``code``, in the caller's transaction;
    returns it as stored. ``opened``: the ``version`` the page was opened on (an edit); someone
    else's change since is ``ValidationError`` ``conflict``."""
    types = types_of(tenant)
    before = None
    if code is not None:
        before = find(tenant, code)
        if opened is not None and opened != version(before):
            raise ValidationError(_l("This letter type was changed by someone else after you opened this page, so "
                                     "nothing was saved. Reload the page to see their change."),
                                  where="letter_types", code="conflict")
    entry = checked(tenant, values, code)
    stored = {k: entry[k] for k in ("code", "name_id", "name_en", "layout")}
    if entry["template"]:
        stored["template"] = entry["template"]
    plain = [{k: v for k, v in t.items() if k != "template" or v} for t in types]
    if before is None:
        plain.append(stored)
    else:
        plain = [stored if t["code"] == code else t for t in plain]
    change_module_settings(tenant, NAME, {"letter_types": plain}, actor)
    with tenant_scope(tenant):
        audit(tenant, actor, "eoffice.template.update" if before else "eoffice.template.create", "letter_type",
              stored["code"], before=before, after={**stored, "template": entry["template"]})
    return {**stored, "template": entry["template"]}
