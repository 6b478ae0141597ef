"""The module's own gettext domain ("eoffice"), for strings shown outside its pages (navigation,
admin, settings labels, notifications); pages get the same domain from the core's guard."""
from pathlib import Path

from core.kit import module_domain

DOMAIN = module_domain("eoffice", Path(__file__).resolve().parent / "translations")
gettext = DOMAIN.gettext
lazy_gettext = DOMAIN.lazy_gettext


_STATUS = {
    "draft": lazy_gettext("Draft"), "review": lazy_gettext("In review"),
    "numbered": lazy_gettext("Numbered, signature not finished"), "signed": lazy_gettext("Signed, not sent"),
    "sent": lazy_gettext("Sent"), "withdrawn": lazy_gettext("Withdrawn"),
}
_ACTION = {
    "drafted": lazy_gettext("Drafted"), "edited": lazy_gettext("Draft changed"),
    "submitted": lazy_gettext("Sent to review"), "paraf": lazy_gettext("Approved (paraf)"),
    "returned": lazy_gettext("Returned to the drafter"), "returned_step": lazy_gettext("Returned to an earlier verifier"),
    "numbered": lazy_gettext("Number taken"), "signed": lazy_gettext("Signed"), "sent": lazy_gettext("Sent to the addressees"),
    "read": lazy_gettext("Read by an addressee"), "disposed": lazy_gettext("Disposed"),
    "followed_up": lazy_gettext("Follow-up reported"), "received": lazy_gettext("Received from another government"),
    "reminded": lazy_gettext("Reminder sent"), "registered": lazy_gettext("Registered as received"),
    "withdrawn": lazy_gettext("Draft withdrawn"),
}


# who a job acting as the system is on a letter's timeline (``Event.actor`` keeps "system:<job>",
# as the audit trail does): named for the reader, never the job's name
_SYSTEM_ACTORS = {"system:eoffice-reminders": lazy_gettext("Automatic reminder")}
SYSTEM = "system:"


def actor_label(actor: str) -> str:
    """The actor of a timeline entry as a page names them: a person's name as stored; a job of the
    system ("system:eoffice-reminders") by what it does, in the reader's language."""
    actor = str(actor or "")
    if actor in _SYSTEM_ACTORS:
        return str(_SYSTEM_ACTORS[actor])
    if actor.startswith(SYSTEM):
        return str(lazy_gettext("Automatic (the system)"))
    return actor


def status_label(status: str) -> str:
    label = _STATUS.get(status)
    return str(label) if label is not None else status


def action_label(action: str) -> str:
    label = _ACTION.get(action)
    return str(label) if label is not None else action


_SECURITY = {  # klasifikasi keamanan (settings.SECURITY; Permendagri 1/2023)
    "biasa": lazy_gettext("Ordinary"), "terbatas": lazy_gettext("Restricted"), "rahasia": lazy_gettext("Secret"),
}


def security_label(security: str) -> str:
    """A letter's security classification (``biasa``/``terbatas``/``rahasia``) in the reader's
    language ("Biasa" / "Ordinary"); an unknown code as stored."""
    label = _SECURITY.get(security)
    return str(label) if label is not None else security


_STATE = {
    "open": lazy_gettext("Open (filing)"), "active": lazy_gettext("Active"), "inactive": lazy_gettext("Inactive"),
    "review_due": lazy_gettext("Due for review"),
    "transferred": lazy_gettext("Transferred to the regional archive"), "destroyed": lazy_gettext("Destroyed"),
}


def state_label(state: str) -> str:
    """A dossier's retention state (archive.py)."""
    label = _STATE.get(state)
    return str(label) if label is not None else state
