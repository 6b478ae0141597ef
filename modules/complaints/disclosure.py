"""What may leave the building: the helpers every public output uses (pages, the transparency list,
CSV, the JSON API, Open311, notifications to followers).

- A *rahasia* (confidential) complaint is in none of them: ``is_public`` is False and
  ``public_only`` filters it out of a query. Counts in the public figures include it (they reveal
  no complaint), as SP4N-LAPOR! statistics do.
- An *anonim* complaint is public, but no output carries the filer's identity; the public outputs
  never carry it for any complaint, so nothing more is needed here.
- A finished complaint says how it ended (``outcome_note``): Open311 has only ``open`` and
  ``closed``, so the reason goes in ``status_notes``.
- An output that names another complaint applies that complaint's visibility (issue 10.3): a
  duplicate of a *rahasia* original says "merged with a confidential report" without its number
  (``status_note_for``, ``event_note_for``, ``duplicate_note``), and a tracking number of a complaint
  the reader may not see is taken out of any free text (``hide_references``: officers' notes,
  reasons, questions, messages). ``shown`` is the reader's rule: ``is_public`` for the public and
  for machine clients, ``access.may_view`` for a person on a page, ``filer_may_see`` for a
  message to a filer.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from core.kit import db, tenant_scope

from .labels import lazy_gettext as _l, outcome_label, status_label
from .models import Complaint, ComplaintEvent

PUBLIC = Complaint.confidential.is_(False)
_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[A-Za-z]{2,}")
_NUMBER = re.compile(r"(?<!\w)\+?\d[\d\s.\-()]{6,}\d(?!\w)")  # phones, NIK, account numbers
HIDDEN = "[…]"
# a tracking number as numbering.format_number writes it (PREFIX-YYYY-NNNNNN; a prefix may hold hyphens)
_REFERENCE = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9-]*-\d{4}-\d{6,}(?![\w-])")
CONFIDENTIAL_REPORT = _l("a confidential report")
MERGED_WITH_CONFIDENTIAL = _l("merged with a confidential report")

Shown = Callable[[Complaint], bool]


def scrub(text: str, limit: int | None = None) -> str:
    """Remove e-mail addresses and long digit runs (phones, NIK) from free text."""
    out = _NUMBER.sub(HIDDEN, _EMAIL.sub(HIDDEN, text or ""))
    if limit and len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out


def is_public(complaint: Complaint) -> bool:
    return not complaint.confidential


def public_only(query):
    """``query`` (a select of complaints) without the *rahasia* ones."""
    return query.where(PUBLIC)


def outcome_heading(status: str, outcome: str | None) -> str:
    """The translated head of ``outcome_note``: ``Closed — Duplicate of another complaint``."""
    text = status_label(status)
    if status == "closed" and outcome:
        text += " — " + outcome_label(outcome)
    return text


def outcome_note(complaint: Complaint, headings: dict | None = None) -> str:
    """The status as a sentence for the public: ``Closed — Duplicate of another complaint: <note>``
    (the original's number, or "merged with a confidential report"). ``headings``, a dict kept for
    one response, keeps each (status, outcome)'s translated head: a list translates it once, not
    once a row."""
    key = (complaint.status, complaint.outcome)
    text = headings.get(key) if headings is not None else None
    if text is None:
        text = outcome_heading(*key)
        if headings is not None:
            headings[key] = text
    note = status_note_for(complaint)
    if note:
        text += ": " + note
    return text


def filer_may_see(complaint: Complaint) -> Shown:
    """Which complaints the filer of ``complaint`` may be told of: their own, public ones, and one
    filed by the same account, phone or e-mail (the same person filed it)."""
    def shown(other: Complaint) -> bool:
        if other.id == complaint.id or is_public(other):
            return True
        return any(mine and mine == theirs for mine, theirs in (
            (complaint.filer_user_id, other.filer_user_id), (complaint.filer_phone_hash, other.filer_phone_hash),
            (complaint.filer_email_hash, other.filer_email_hash)))

    return shown


def hide_references(tenant, text: str, shown: Shown = is_public) -> str:
    """``text`` with each tracking number of a complaint of ``tenant`` (an id or a Tenant) that
    ``shown`` refuses replaced by "a confidential report"; numbers of complaints the reader may
    see, and anything that is not a number of the tenant, stay as they are."""
    if not text:
        return text or ""
    spans = {}
    for match in _REFERENCE.finditer(text):
        parts = match.group(0).upper().split("-")
        spans[match.span()] = ["-".join(parts[i:]) for i in range(len(parts) - 2)]  # "see-MKS-…" → "MKS-…"
    if not spans:
        return text
    wanted = {number for numbers in spans.values() for number in numbers}
    with tenant_scope(tenant):
        found = {c.number: c for c in db.session.execute(
            db.select(Complaint).where(Complaint.number.in_(wanted))).scalars()}
    out, last = [], 0
    for (start, end), numbers in sorted(spans.items()):
        hidden = next((n for n in numbers if n in found and not shown(found[n])), None)
        if hidden is not None:
            out += [text[last:end - len(hidden)], str(CONFIDENTIAL_REPORT)]
            last = end
    return "".join(out) + text[last:]


def duplicate_note(original: Complaint, shown: bool) -> str:
    """How a duplicate names its original: the number, or "merged with a confidential report"."""
    return original.number if shown else str(MERGED_WITH_CONFIDENTIAL)


def original_of(complaint: Complaint) -> Complaint | None:
    """The complaint ``complaint`` was marked a duplicate of (None if it is not one)."""
    if complaint.duplicate_of_id is None:
        return None
    with tenant_scope(complaint.tenant_id):
        return db.session.get(Complaint, complaint.duplicate_of_id)


def status_note_for(complaint: Complaint, shown: Shown = is_public, scrubbed: bool = True) -> str:
    """The complaint's last public reason as a reader sees it: a duplicate names its original only
    if ``shown(original)``; other numbers the reader may not see are taken out; ``scrubbed`` (the
    public's view) also removes e-mail addresses and long digit runs."""
    original = original_of(complaint) if complaint.outcome == "duplicate" else None
    if original is not None:
        return duplicate_note(original, shown(original))
    text = hide_references(complaint.tenant_id, complaint.status_note, shown)
    return scrub(text) if scrubbed else text


def event_note_for(event: ComplaintEvent, shown: Shown = is_public, scrubbed: bool = True) -> str:
    """A timeline step's note as a reader sees it (the rules of ``status_note_for``); a "duplicate"
    step's note is the original's number."""
    if event.kind == "duplicate" and event.note:
        with tenant_scope(event.tenant_id):
            original = db.session.execute(
                db.select(Complaint).where(Complaint.number == event.note)).scalar_one_or_none()
        if original is not None:
            return duplicate_note(original, shown(original))
    text = hide_references(event.tenant_id, event.note, shown)
    return scrub(text) if scrubbed else text
