"""A province's oversight of its cities and regencies (issue 14.7: "a province auditor sees its
cities' figures"): the figures per agency (``figures.per_agency``: counts only, never letter
contents) of each child tenant that enables the module and where the reader holds
``eoffice.oversee`` (a province's auditor is an auditor of its children: ``core`` roles).

Each child is read in its own tenant scope, explicitly and after that permission check (DESIGN §4:
code that needs several tenants asks for it and is checked); each read is audited in the child's
trail (``eoffice.figures.read_by_province``) and in the province's (``eoffice.figures.read_children``),
in the caller's transaction (the caller commits).
"""
from __future__ import annotations

from core.kit import Tenant, audit, db, enabled_modules, has_permission, tenant_scope

from .figures import per_agency

NAME = "eoffice"
OVERSEE = "eoffice.oversee"


def children(province) -> list:
    """The tenants whose parent is ``province``, by name (none for a city)."""
    return list(db.session.execute(db.select(Tenant).where(Tenant.parent_id == province.id)
                                   .order_by(Tenant.name)).scalars())


def figures_of_children(province, actor) -> list[dict]:
    """``[{"slug", "name", "rows": per_agency(child)}]`` for each child the reader oversees."""
    user = actor.user
    out = []
    for child in children(province):
        if NAME not in enabled_modules(child) or user is None or not has_permission(user, child, OVERSEE):
            continue
        rows = per_agency(child)
        with tenant_scope(child):
            audit(child, actor, "eoffice.figures.read_by_province", "tenant", child.id,
                  after={"province": province.slug, "agencies": len(rows)})
        out.append({"slug": child.slug, "name": child.name, "rows": rows})
    with tenant_scope(province):
        audit(province, actor, "eoffice.figures.read_children", "tenant", province.id,
              after={"children": [c["slug"] for c in out]})
    return out
