"""The notes the system writes on an application's timeline (the sweep's, not typed by a person),
shown in the reader's language.

A note an officer or the applicant typed is kept and shown as typed. A line the system writes for
itself (``fiktif_positif``, ``escalate``) stores its English msgid (the audit trail and logs read
it) and is shown from the module's catalogue at display time, by its action, so an English page never
reads an Indonesian sentence; rows stored before this in Indonesian ("Dianggap dikabulkan: ...",
"Melewati batas waktu layanan.") read the same way, since these actions are only ever the system's.
A payment at the counter without a receipt number stores the code ``counter`` as its reference (a
code, not words: shown as "At the counter, no receipt number" in the reader's language).
"""
from __future__ import annotations

from .notices import N_, _DOMAIN

SYSTEM_NOTES = {
    "fiktif_positif": N_("Deemed approved: the service deadline passed (fiktif positif)."),
    "escalate": N_("Past the service deadline."),
}
COUNTER = "counter"   # the reference of a payment at the counter with no receipt number (a code)
CODED_NOTES = {("paid", COUNTER): N_("At the counter, no receipt number")}


def written(action: str) -> str:
    """The note the system stores on a line of ``action``: its English msgid."""
    return SYSTEM_NOTES[action]


def shown(event) -> str:
    """The note of a timeline line for the reader: a system line's in the request's language, a
    person's as typed."""
    message = SYSTEM_NOTES.get(event.action) or CODED_NOTES.get((event.action, event.note))
    return str(_DOMAIN.gettext(message)) if message else (event.note or "")
