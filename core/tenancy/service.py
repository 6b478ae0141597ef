"""Creating and updating tenants (exporting them: ``export.py``); enabling and disabling their modules.

Every function here takes the actor and runs inside the caller's transaction; the CLI and the
admin pages commit (all or nothing) or roll back.
"""
from __future__ import annotations

from ..audit import record
from ..errors import ValidationError
from ..extensions import db
from ..settings import check_references, validate_settings
from .models import Domain, OrgUnit, Tenant, TenantModule
from .schema import District, TenantFile, Unit, org_units
from .scope import tenant_scope


def get_tenant(slug: str) -> Tenant | None:
    return db.session.execute(db.select(Tenant).where(Tenant.slug == slug)).scalar_one_or_none()


def require_tenant(slug: str, where: str = "") -> Tenant:
    """The tenant ``slug``, or ``ValidationError`` ``unknown_tenant``: "tenant 'x' not found", after
    ``where`` when the argument has a name worth saying (an option: ``--tenant``), never the usage's
    placeholder (``SLUG``), which a person does not read as the tenant."""
    tenant = get_tenant(slug)
    if tenant is None:
        raise ValidationError(f"tenant '{slug}' not found", where=where, code="unknown_tenant")
    return tenant


# -- Validation of a batch of tenant documents ----------------------------------------------------

def check_batch(docs: list[tuple[str, TenantFile]], manager) -> list[tuple[str, TenantFile]]:
    """Check what one file cannot check alone; returns the docs with module settings filled in."""
    by_slug: dict[str, str] = {}
    hosts: dict[str, str] = {}
    for where, doc in docs:
        if doc.slug in by_slug:
            raise ValidationError(f"tenant '{doc.slug}' is also defined in {by_slug[doc.slug]}", where=f"{where}: slug")
        by_slug[doc.slug] = where
        for host in doc.domains:
            if host in hosts:
                raise ValidationError(f"domain '{host}' is also claimed by {hosts[host]}", where=f"{where}: domains")
            hosts[host] = where
            owner = db.session.execute(
                db.select(Tenant.slug).join(Domain).where(Domain.host == host)
            ).scalar_one_or_none()
            if owner and owner != doc.slug:
                raise ValidationError(f"domain '{host}' belongs to tenant '{owner}'", where=f"{where}: domains")
    kinds = {doc.slug: doc.kind for _, doc in docs}
    checked = []
    for where, doc in docs:
        if doc.parent:
            if doc.parent == doc.slug:
                raise ValidationError("a tenant cannot be its own parent", where=f"{where}: parent")
            kind = kinds.get(doc.parent) or db.session.execute(
                db.select(Tenant.kind).where(Tenant.slug == doc.parent)
            ).scalar_one_or_none()
            if kind is None:
                raise ValidationError(f"parent '{doc.parent}' does not exist", where=f"{where}: parent")
            if kind != "province":
                raise ValidationError(f"parent '{doc.parent}' is a {kind}, not a province", where=f"{where}: parent")
            if doc.kind == "province":
                raise ValidationError("a province has no parent", where=f"{where}: parent")
        modules = {}
        for name, entry in doc.modules.items():
            spec = manager.get(name)
            if spec is None:
                raise ValidationError(
                    f"unknown module '{name}' (installed: {', '.join(manager.modules) or 'none'})",
                    where=f"{where}: modules.{name}",
                )
            settings = validate_settings(spec.schema, entry.settings, f"{where}: modules.{name}.settings", slug=doc.slug)
            modules[name] = entry.model_copy(update={"settings": settings})
        for name, entry in modules.items():
            for req in manager.modules[name].requires:
                if entry.enabled and not (req in modules and modules[req].enabled):
                    raise ValidationError(f"module '{name}' requires '{req}' to be enabled too", where=f"{where}: modules.{name}")
        _check_holders(doc, where)
        check_people(doc, where)
        from ..documents.settings import check_tenant_file

        check_tenant_file(doc.extra, where, doc.slug)  # [extra.documents]: the signer, document numbers
        checked.append((where, doc.model_copy(update={"modules": modules})))
    # parents first, so a province and its cities can come in one batch
    checked.sort(key=lambda item: (item[1].parent != "", item[1].slug))
    return checked


def _check_holders(doc: TenantFile, where: str) -> None:
    """Every position holder the file names is a user with a role in that tenant (DESIGN §5)."""
    from .positions import member

    tenant = get_tenant(doc.slug)
    for key, _kind, unit in org_units(doc):
        for n, position in enumerate(unit.positions):
            for m, holder in enumerate(position.holders or []):
                if tenant is None or member(tenant, holder.email) is None:
                    raise ValidationError(
                        f"'{holder.email}' is not a user of tenant '{doc.slug}' (grant them a role first)",
                        where=f"{where}: {key}.positions[{n}].holders[{m}].email", code="holder_not_member")


def check_people(doc: TenantFile, where: str) -> None:
    """``[[accounts.people]]``: each a user with a role in the tenant (code ``person_not_member``,
    as a position's holder: grant the role first, then apply the file; ``make demo`` applies the
    people after it made its accounts, core/commands/server.py), and a NIP no other person holds."""
    from ..auth.official import nip_holder
    from .positions import member

    tenant = get_tenant(doc.slug)
    for n, person in enumerate(doc.accounts.people):
        key = f"{where}: accounts.people[{n}]"
        if tenant is None or member(tenant, person.email) is None:
            raise ValidationError(f"'{person.email}' is not a user of tenant '{doc.slug}' (grant them a role first)",
                                  where=f"{key}.email", code="person_not_member")
        holder = nip_holder(person.nip)
        if holder is not None and holder.email != person.email:
            raise ValidationError(f"NIP {person.nip} belongs to another person ({holder.email})",
                                  where=f"{key}.nip", code="nip_taken")


def apply_people(tenant: Tenant, doc: TenantFile, actor) -> int:
    """Set each listed person's NIP and rank (checked by ``check_people``: each a member), audited
    in the tenant with the NIP masked (``core.auth.official.set_official_identity``); returns how
    many changed. People the file does not list keep theirs."""
    from ..auth.official import set_official_identity
    from .positions import member

    changed = 0
    for n, person in enumerate(doc.accounts.people):
        user = member(tenant, person.email)
        if user is None:  # checked before: not reached
            raise ValidationError(f"'{person.email}' is not a user of tenant '{doc.slug}' (grant them a role first)",
                                  where=f"accounts.people[{n}].email", code="person_not_member")
        changed += set_official_identity(user, person.nip or None, person.rank or None, actor, tenant,
                                         where=f"accounts.people[{n}].nip",
                                         titles=person.titles((user.title_front, user.title_back)))
    return changed


# -- Applying -------------------------------------------------------------------------------------

def _summary(tenant: Tenant) -> dict:
    return {
        "name": tenant.name, "kind": tenant.kind, "timezone": tenant.timezone,
        "parent": tenant.parent.slug if tenant.parent else "", "locales": list(tenant.locales or []),
        "domains": sorted(d.host for d in tenant.domains), "branding": dict(tenant.branding or {}),
        "holidays": list(tenant.holidays or []), "public_url": tenant.public_url or "",
        "self_registration": bool(tenant.self_registration),
    }


def apply_doc(doc: TenantFile, actor, manager) -> Tenant:
    """Create or update one tenant from a checked document (see ``check_batch``)."""
    from ..auth.permissions import grant_defaults

    tenant = get_tenant(doc.slug)
    created = tenant is None
    before = None if created else _summary(tenant)
    if created:
        tenant = Tenant(slug=doc.slug)
        db.session.add(tenant)
    tenant.name, tenant.kind, tenant.timezone = doc.name, doc.kind, doc.timezone
    tenant.parent = get_tenant(doc.parent) if doc.parent else None
    tenant.locales = list(doc.locales)
    tenant.branding = doc.branding.model_dump()
    tenant.extra = dict(doc.extra)
    tenant.public_url = doc.public_url
    tenant.self_registration = doc.accounts.self_registration
    tenant.holidays = [{"date": h.date.isoformat(), "name": h.name} for h in sorted(doc.holidays, key=lambda h: h.date)]
    wanted = set(doc.domains)
    tenant.domains = [d for d in tenant.domains if d.host in wanted] + [
        Domain(host=h) for h in doc.domains if h not in {d.host for d in tenant.domains}
    ]
    db.session.flush()
    with tenant_scope(tenant):
        after = _summary(tenant)
        if created:
            record(tenant, actor, "tenant.create", "tenant", tenant.slug, after=after)
            grant_defaults(tenant, manager.call(manager.pm.get_plugin("core"), "permissions") or [])
        elif before != after:
            record(tenant, actor, "tenant.update", "tenant", tenant.slug, before=before, after=after)
        _apply_org(tenant, doc, actor)
        apply_people(tenant, doc, actor)
        for name, entry in doc.modules.items():
            if entry.enabled:
                enable_module(tenant, name, actor, manager, settings=entry.settings, checked=True)
            else:
                disable_module(tenant, name, actor, manager, keep_row_settings=entry.settings)
    return tenant


def _upsert_units(tenant, kind: str, units: list[Unit], parent_id, existing: dict, actor) -> dict:
    seen = {}
    for unit in units:
        row = existing.get((kind, unit.code, "any"))
        values = {"name": unit.name, "active": True, "parent_id": parent_id, "extra": {"head": unit.head} if unit.head else {}}
        if row is None:
            row = OrgUnit(tenant_id=tenant.id, kind=kind, code=unit.code, **values)
            db.session.add(row)
            record(tenant, actor, "org.create", kind, unit.code, after=values)
        else:
            old = {k: getattr(row, k) for k in values}
            if old != values:
                for k, v in values.items():
                    setattr(row, k, v)
                record(tenant, actor, "org.update", kind, unit.code, before=old, after=values)
        seen[unit.code] = row
    return seen


def _apply_org(tenant: Tenant, doc: TenantFile, actor) -> None:
    from .positions import apply_positions

    rows = db.session.execute(db.select(OrgUnit)).scalars().all()
    existing = {(r.kind, r.code, "any"): r for r in rows}
    kept = set()
    agencies = _upsert_units(tenant, "agency", doc.agencies, None, existing, actor)
    kept |= {id(r) for r in agencies.values()}
    districts = _upsert_units(tenant, "district", doc.districts, None, existing, actor)
    kept |= {id(r) for r in districts.values()}
    db.session.flush()
    sections, villages = {}, {}
    for agency in doc.agencies:
        sections.update(_upsert_units(tenant, "section", agency.sections, agencies[agency.code].id, existing, actor))
    for district in doc.districts:
        villages.update(_upsert_units(tenant, "village", district.villages, districts[district.code].id, existing, actor))
    kept |= {id(r) for r in sections.values()} | {id(r) for r in villages.values()}
    for row in rows:
        if id(row) not in kept and row.active:
            row.active = False  # kept for the records that name it; no longer offered
            record(tenant, actor, "org.deactivate", row.kind, row.code)
    db.session.flush()
    rows_of = {"agency": agencies, "section": sections, "district": districts, "village": villages}
    apply_positions(tenant, [(key, rows_of[kind][unit.code], unit.positions) for key, kind, unit in org_units(doc)], actor)


def module_row(tenant: Tenant, name: str) -> TenantModule | None:
    with tenant_scope(tenant):
        return db.session.execute(
            db.select(TenantModule).where(TenantModule.module == name)
        ).scalar_one_or_none()


def enabled_modules(tenant: Tenant) -> list[str]:
    with tenant_scope(tenant):
        return list(db.session.execute(
            db.select(TenantModule.module).where(TenantModule.enabled.is_(True))
        ).scalars())


def enable_module(tenant: Tenant, name: str, actor, manager, settings=None, checked=False) -> TenantModule:
    from ..auth.permissions import grant_defaults
    from flask import current_app

    spec = manager.get(name)
    if spec is None:
        raise ValidationError(f"unknown module '{name}' (installed: {', '.join(manager.modules) or 'none'})",
                              where="MODULE", code="unknown_module")
    with tenant_scope(tenant):
        enabled = set(enabled_modules(tenant))
        missing = [r for r in spec.requires if r not in enabled]
        if missing and not checked:
            raise ValidationError(f"module '{name}' requires '{missing[0]}' to be enabled first", where="MODULE")
        row = module_row(tenant, name)
        if settings is None:
            settings = row.settings if row else {}
        if not checked:
            settings = validate_settings(spec.schema, settings, f"modules.{name}.settings", slug=tenant.slug)
        existed = row is not None
        if row is None:
            row = TenantModule(tenant_id=tenant.id, module=name, enabled=False, settings={})
            db.session.add(row)
        was_enabled, old_settings = row.enabled, dict(row.settings or {})
        # what the schema cannot check (an agency that exists, ...), on every write: also when only
        # the organisation changed under unchanged settings (an agency removed from the tenant file)
        check_references(tenant, spec.schema, settings, f"modules.{name}.settings")  # "x-ref": codes that exist
        manager.call(spec.plugin, "check_settings", app=current_app._get_current_object(), tenant=tenant,
                     settings=settings)
        row.settings = settings
        if not was_enabled:
            row.enabled = True
            db.session.flush()
            grant_defaults(tenant, spec.permissions)
            manager.call(spec.plugin, "on_tenant_enabled", app=current_app._get_current_object(), tenant=tenant, settings=settings)
            record(tenant, actor, "tenant.module.enable", "module", name,
                   before={"settings": old_settings} if existed and old_settings != settings else None,
                   after={"settings": settings})
        elif old_settings != settings:
            record(tenant, actor, "tenant.module.settings", "module", name, before=old_settings, after=settings)
        return row


def change_module_settings(tenant: Tenant, name: str, changes: dict, actor, manager) -> dict:
    """Change only the settings ``changes`` names, keeping every other stored value; returns the
    new whole document. An unknown key, a bad value or a secret that is not set raises one
    ValidationError naming ``modules.<name>.settings.<key>``; the change is audited before/after."""
    from ..audit import record

    spec = manager.get(name)
    if spec is None:
        raise ValidationError(f"unknown module '{name}' (installed: {', '.join(manager.modules) or 'none'})",
                              where="MODULE", code="unknown_module")
    known = (spec.schema.get("properties") or {})
    for key in changes:
        if key not in known:
            raise ValidationError(f"unknown key (keys: {', '.join(known) or 'none'})",
                                  where=f"modules.{name}.settings.{key}")
    row = module_row(tenant, name)
    if row is None:
        raise ValidationError(f"tenant '{tenant.slug}' has no settings for module '{name}' yet (enable it first)",
                              where="MODULE")
    merged = {**(row.settings or {}), **changes}
    if row.enabled:
        return enable_module(tenant, name, actor, manager, settings=merged).settings
    settings = validate_settings(spec.schema, merged, f"modules.{name}.settings", slug=tenant.slug)
    with tenant_scope(tenant):
        if settings != row.settings:
            record(tenant, actor, "tenant.module.settings", "module", name, before=row.settings, after=settings)
        row.settings = settings
    return settings


def disable_module(tenant: Tenant, name: str, actor, manager, keep_row_settings=None) -> None:
    from flask import current_app

    spec = manager.get(name)
    if spec is None:
        raise ValidationError(f"unknown module '{name}' (installed: {', '.join(manager.modules) or 'none'})",
                              where="MODULE", code="unknown_module")
    with tenant_scope(tenant):
        dependants = [m for m in enabled_modules(tenant) if name in manager.modules[m].requires]
        if dependants:
            raise ValidationError(f"module '{dependants[0]}' requires '{name}'; disable it first", where="MODULE")
        row = module_row(tenant, name)
        if row is None:
            if keep_row_settings is not None:
                db.session.add(TenantModule(tenant_id=tenant.id, module=name, enabled=False, settings=keep_row_settings))
            return
        if keep_row_settings is not None and keep_row_settings != (row.settings or {}):
            record(tenant, actor, "tenant.module.settings", "module", name, before=dict(row.settings or {}),
                   after=keep_row_settings)
            row.settings = keep_row_settings
        if row.enabled:
            row.enabled = False
            manager.call(spec.plugin, "on_tenant_disabled", app=current_app._get_current_object(), tenant=tenant)
            record(tenant, actor, "tenant.module.disable", "module", name)


__all__ = [
    "apply_doc", "check_batch", "disable_module", "enable_module", "enabled_modules",
    "get_tenant", "require_tenant", "District",
]
