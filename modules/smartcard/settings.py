"""The per-tenant settings of the smart card module (JSON Schema, checked at ``tenant apply``)."""
from __future__ import annotations

from core.kit import OrgUnit, ValidationError, db, raise_all, tenant_scope

from .labels import lazy_gettext as _l

SERVICES = ("shop", "parking", "transit", "clinic", "market", "library", "pool", "other")
# Bank Indonesia's caps on e-money balances (PBI 20/6/PBI/2018 art. 41 as amended): unregistered
# Rp2,000,000; registered Rp10,000,000 in the city's agreement with its issuer (the tenant may change it)
UNREGISTERED_LIMIT = 2_000_000
REGISTERED_LIMIT = 10_000_000

MERCHANT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "name", "kind", "service"],
    "properties": {
        "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,31}$", "title": _l("Code")},
        "name": {"type": "string", "minLength": 1, "maxLength": 80, "title": _l("Name")},
        "kind": {"enum": ["merchant", "service_point"], "title": _l("Kind")},
        "service": {"enum": list(SERVICES), "title": _l("Service")},
        "agency": {"x-label": {"id": "Instansi (titik layanan)", "en": "Agency (service points)"}, "x-help": {"id": "Kode instansi pengelola titik layanan.", "en": "Code of the agency that runs the service point."}, "x-ref": "agency", "type": "string", "default": "", "title": _l("Agency code (service points)")},
        "mcc": {"type": "string", "pattern": "^[0-9]{4}$", "default": "5999", "title": _l("Merchant category code")},
        "nmid": {"type": "string", "pattern": "^ID[0-9]{10,13}$",  # none: the merchant shows no QRIS
                 "title": _l("QRIS national merchant id (NMID)")},
        "criteria": {"enum": ["UMI", "UKE", "UME", "UBE", "URE"], "default": "UMI", "title": _l("QRIS merchant criteria")},
        "city": {"type": "string", "maxLength": 15, "default": "", "title": _l("City")},
        "fee_bps": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 0,
                    "title": _l("Fee in basis points of each payment (0.01 %)")},
    },
}

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "unregistered_limit": {"type": "integer", "minimum": 1, "maximum": 100_000_000, "default": UNREGISTERED_LIMIT,
                               "title": _l("Balance limit of an unregistered card (rupiah)")},
        "registered_limit": {"type": "integer", "minimum": 1, "maximum": 100_000_000, "default": REGISTERED_LIMIT,
                             "title": _l("Balance limit of a registered card (rupiah)")},
        "hold_timeout": {"type": "integer", "minimum": 60, "maximum": 86_400, "default": 14_400,
                         "title": _l("Seconds after which a hold (gate, bus entry) is voided")},
        "acquirer": {"type": "string", "pattern": "^[A-Z]{2}\\.[A-Z0-9.]{3,28}$", "default": "ID.CO.BRI.WWW",
                     "title": _l("QRIS acquirer domain")},
        "bank_secret": {"type": "string", "secret": True, "default": "",
                        "title": _l("Secret of the bank's top-up callback (env:NAME)")},
        "qris_secret": {"type": "string", "secret": True, "default": "",
                        "title": _l("Secret of the QRIS payment callback (env:NAME)")},
        "merchants": {"type": "array", "items": MERCHANT, "default": [],
                      "title": _l("Merchants and service points")},
    },
}


def check_settings(tenant, settings: dict) -> None:
    """What the schema cannot say: codes unique, the registered limit at least the unregistered
    one, each service point's agency an agency of the tenant. Every problem at once (``raise_all``:
    one alone as itself, more as ``Problems``), each naming ``modules.smartcard.settings.<key>``."""
    problems: list[ValidationError] = []
    if settings.get("registered_limit", REGISTERED_LIMIT) < settings.get("unregistered_limit", UNREGISTERED_LIMIT):
        problems.append(ValidationError(_l("must be at least the unregistered limit"),
                                        where="modules.smartcard.settings.registered_limit"))
    seen = set()
    with tenant_scope(tenant):
        agencies = set(db.session.execute(db.select(OrgUnit.code)).scalars())
    for i, m in enumerate(settings.get("merchants", [])):
        where = f"modules.smartcard.settings.merchants[{i}]"
        if m["code"] in seen:
            problems.append(ValidationError(_l("this code is used twice"), where=f"{where}.code"))
        seen.add(m["code"])
        if m.get("agency") and m["agency"] not in agencies:
            problems.append(ValidationError(_l("no agency with this code"), where=f"{where}.agency"))
    raise_all(problems)
