"""What may leave the building: the helpers every public output uses (pages, the transparency list,
CSV, the JSON API, Open311, notifications to followers).

- A *rahasia* (confidential) complaint is in none of them: ``is_public`` is False and
  ``public_only`` filters it out of a query. Counts in the public figures include it (they reveal
  no complaint), as SP4N-LAPOR! statistics do.
- An *anonim* complaint is public, but no output carries the filer's identity; the public outputs
  never carry it for any complaint, so nothing more is needed here.
- A finished complaint says how it ended (``outcome_note``): Open311 has only ``open`` and
  ``closed``, so the reason goes in ``status_notes``.
"""
from __future__ import annotations

import re

from .labels import outcome_label, status_label
from .models import Complaint

PUBLIC = Complaint.confidential.is_(False)
_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[A-Za-z]{2,}")
_NUMBER = re.compile(r"(?<!\w)\+?\d[\d\s.\-()]{6,}\d(?!\w)")  # phones, NIK, account numbers
HIDDEN = "[…]"


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


def outcome_note(complaint: Complaint) -> str:
    """The status as a sentence for the public: ``Closed — Duplicate of another complaint: <note>``."""
    text = status_label(complaint.status)
    if complaint.status == "closed" and complaint.outcome:
        text += " — " + outcome_label(complaint.outcome)
    if complaint.status_note:
        text += ": " + scrub(complaint.status_note)
    return text
