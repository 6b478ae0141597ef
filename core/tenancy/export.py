"""A tenant written back as its tenant file: ``export_doc`` gives the TOML-ready dict that
``tenant apply`` takes back unchanged (``pamong tenant export``)."""
from __future__ import annotations

from ..calendar import parse_date
from ..extensions import db
from .models import OrgUnit, Tenant, TenantModule
from .schema import parse_tenant
from .scope import tenant_scope


def _documents_exported(extra) -> dict:
    from ..documents.settings import exported

    return exported(extra)


def _module_settings_exported(row: TenantModule) -> dict:
    """A module's stored settings; a secret stored in place before references were required is
    written as its reference ``env:<MODULE>_<KEY>``, never printed."""
    from ..modules import manager
    from ..tenant_secrets import as_references

    spec = manager().get(row.module)
    return as_references(spec.schema, row.settings or {}, row.module) if spec else (row.settings or {})


def _people_exported(tenant: Tenant) -> list[dict]:
    """The tenant's users with a NIP, rank or gelar, as ``[[accounts.people]]`` entries, by e-mail."""
    from ..auth.models import Membership, User

    with tenant_scope(tenant):
        ids = db.select(Membership.user_id).where(Membership.tenant_id == tenant.id)
        users = db.session.execute(
            db.select(User).where(User.id.in_(ids), User.nip.is_not(None) | User.rank.is_not(None)
                                  | User.title_front.is_not(None) | User.title_back.is_not(None))
            .order_by(User.email)).scalars().all()
    return [{k: getattr(u, k) for k in ("email", "nip", "rank", "title_front", "title_back") if getattr(u, k)}
            for u in users]


def export_doc(tenant: Tenant) -> dict:
    """The tenant as a TOML-ready dict that ``apply`` takes back unchanged."""
    with tenant_scope(tenant):
        units = db.session.execute(
            db.select(OrgUnit).where(OrgUnit.active.is_(True)).order_by(OrgUnit.id)
        ).scalars().all()
        modules = db.session.execute(db.select(TenantModule).order_by(TenantModule.module)).scalars().all()

    from .positions import export_positions

    positions = export_positions(tenant)

    def unit(u):
        d = {"code": u.code, "name": u.name}
        if (u.extra or {}).get("head"):
            d["head"] = u.extra["head"]
        if positions.get(u.id):
            d["positions"] = positions[u.id]
        return d

    districts = []
    for d in (u for u in units if u.kind == "district"):
        entry = unit(d)
        entry["villages"] = [unit(v) for v in units if v.kind == "village" and v.parent_id == d.id]
        districts.append(entry)
    agencies = []
    for a in (u for u in units if u.kind == "agency"):
        entry = unit(a)
        sections = [unit(s) for s in units if s.kind == "section" and s.parent_id == a.id]
        if sections:
            entry["sections"] = sections
        agencies.append(entry)
    doc = {
        "slug": tenant.slug, "name": tenant.name, "kind": tenant.kind, "timezone": tenant.timezone,
        "parent": tenant.parent.slug if tenant.parent else "",
        "domains": sorted(d.host for d in tenant.domains),
        "locales": list(tenant.locales), "branding": dict(tenant.branding or {}),
        "agencies": agencies,
        "districts": districts,
        "modules": {m.module: {"enabled": m.enabled, "settings": _module_settings_exported(m)} for m in modules},
        "holidays": [{"date": parse_date(h["date"]), "name": h.get("name", "")} for h in tenant.holidays or []],
        "extra": _documents_exported(tenant.extra),  # a signer's secret as its env: reference only
    }
    if tenant.public_url:
        doc["public_url"] = tenant.public_url
    accounts: dict = {"self_registration": True} if tenant.self_registration else {}
    if people := _people_exported(tenant):
        accounts["people"] = people
    if accounts:
        doc["accounts"] = accounts
    parse_tenant(doc, f"export of {tenant.slug}")  # what we export must load again
    return doc
