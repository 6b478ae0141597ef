"""The domain logic of Remuneration (TPP): functions of (tenant, actor, ...) that never touch
Flask's request, session or g, so pages, the JSON API, the CLI, jobs and tests call the same code.
They run in the caller's transaction: the caller commits, or rolls back on an error."""
from core.kit import ValidationError, audit, db, issue_number, lazy_gettext as _l, module_settings, tenant_scope

from .models import Entry

MODULE = "remuneration"


def list_entries(tenant, limit: int = 100) -> list[Entry]:
    """The tenant's entries, newest first."""
    with tenant_scope(tenant):
        return list(db.session.execute(
            db.select(Entry).order_by(Entry.created_at.desc(), Entry.id.desc()).limit(limit)
        ).scalars())


def create_entry(tenant, actor, title: str, details: str = "") -> Entry:
    """Add an entry for ``tenant``; audited in the same transaction."""
    title, details = (title or "").strip(), (details or "").strip()
    settings = module_settings(tenant, MODULE)
    longest = settings["title_max_length"]
    if not title:
        raise ValidationError(_l("Enter a title."), where="title")
    if len(title) > longest:
        raise ValidationError(_l("The title is longer than %(n)s characters.", n=longest), where="title")
    with tenant_scope(tenant):
        # last, after every check: the counter row stays locked until the caller commits, and a
        # rollback gives the number back (gap-free per tenant and local year)
        _, number = issue_number(tenant, (MODULE,), settings["number_pattern"], "year",
                                 prefix=settings["number_prefix"])
        entry = Entry(number=number, title=title, details=details)
        db.session.add(entry)
        db.session.flush()
        audit(tenant, actor, f"{MODULE}.entry.create", "entry", entry.id, after={"number": number, "title": title})
    return entry


def seed_demo(tenant) -> None:
    """Two example entries for ``pamong demo`` (once: the demo may be set up again)."""
    if list_entries(tenant, limit=1):
        return
    create_entry(tenant, "demo", "Contoh entri pertama", "Dibuat oleh pamong demo.")
    create_entry(tenant, "demo", "Contoh entri kedua")
