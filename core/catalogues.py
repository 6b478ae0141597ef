"""Compiled gettext catalogues of modules, wherever the module came from.

A module ships ``translations/<locale>/LC_MESSAGES/<module>.po``. In the source tree ``make
translations`` compiles each ``.po`` into a ``.mo`` beside it, and those are used as they are. A
module installed with pip (or freshly rendered by ``pamong module new``) may have no ``.mo``, or
an older one than its ``.po``: then the ``.po`` files are compiled on first use into
``<instance>/translations/<module>/`` (written atomically, so concurrent workers agree) and that
folder is used instead. Nothing is compiled into site-packages and no build step is needed.
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app
from flask_babel import Domain

log = logging.getLogger(__name__)


def _fresh(mo: Path, po: Path) -> bool:
    return mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime


def compile_po(po: Path, mo: Path) -> None:
    """Compile one ``.po`` into ``mo`` (fuzzy entries left out), replacing it atomically."""
    with po.open("rb") as fh:
        catalog = read_po(fh)
    mo.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(tmp, mo)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def catalogue_dir(name: str, translations_dir: Path, instance_dir: Path) -> Path:
    """The folder holding up-to-date ``<locale>/LC_MESSAGES/<name>.mo`` files for module ``name``."""
    sources = sorted(translations_dir.glob(f"*/LC_MESSAGES/{name}.po"))
    if all(_fresh(po.with_suffix(".mo"), po) for po in sources):
        return translations_dir
    target = instance_dir / "translations" / name
    try:
        for po in sources:
            mo = target / po.relative_to(translations_dir).with_suffix(".mo")
            if not _fresh(mo, po):
                compile_po(po, mo)
    except (OSError, ValueError) as exc:  # unwritable instance folder, broken .po: untranslated, not down
        log.warning("module %s: cannot compile its translations: %s", name, exc)
        return translations_dir
    return target


class ModuleDomain(Domain):
    """A module's gettext domain over the core's catalogue; compiles the module's ``.po`` on first use."""

    def __init__(self, name: str, translations_dir, core_dir):
        super().__init__(domain=f"messages;{name}")
        self.name = name
        self.source = Path(translations_dir)
        self.core_dir = str(core_dir)
        self._dirs: dict[str, list[str]] = {}

    @property
    def translation_directories(self) -> list[str]:
        # read by Flask-Babel inside an app context, once per locale (it caches the catalogues)
        instance = current_app.config["INSTANCE_DIR"]
        if instance not in self._dirs:
            self._dirs[instance] = [self.core_dir, str(catalogue_dir(self.name, self.source, Path(instance)))]
        return self._dirs[instance]
