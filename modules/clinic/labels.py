"""The module's gettext domain ("clinic"), for strings shown outside its own pages (SMS replies,
navigation, settings labels) and the words for statuses."""
from pathlib import Path

from core.kit import module_domain

DOMAIN = module_domain("clinic", Path(__file__).resolve().parent / "translations")
gettext = DOMAIN.gettext
lazy_gettext = DOMAIN.lazy_gettext

_STATUS = {
    "booked": lazy_gettext("Booked"),
    "waiting": lazy_gettext("Waiting"),
    "called": lazy_gettext("Called"),
    "serving": lazy_gettext("Being served"),
    "done": lazy_gettext("Done"),
    "skipped": lazy_gettext("Skipped"),
    "absent": lazy_gettext("Absent"),
    "cancelled": lazy_gettext("Cancelled"),
}


def status_label(status: str) -> str:
    label = _STATUS.get(status)
    return str(label) if label is not None else status
