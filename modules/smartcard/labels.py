"""The module's own catalogue, for strings shown outside its pages (navigation, admin, settings)."""
from pathlib import Path

from core.kit import module_domain

NAME = "smartcard"
_domain = module_domain(NAME, Path(__file__).parent / "translations")
lazy_gettext = _domain.lazy_gettext
