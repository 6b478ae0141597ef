"""The module's own gettext domain ("eoffice"), for strings shown outside its pages (navigation,
admin, settings labels, notifications); pages get the same domain from the core's guard."""
from pathlib import Path

from core.kit import module_domain

DOMAIN = module_domain("eoffice", Path(__file__).resolve().parent / "translations")
gettext = DOMAIN.gettext
lazy_gettext = DOMAIN.lazy_gettext
