"""A module's catalogue is used compiled: its own .mo when up to date, else compiled into the instance."""
import os

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import write_po

from core.catalogues import catalogue_dir, compile_po


def write_catalogue(translations, locale, strings):
    catalog = Catalog(locale=locale)
    for msgid, msgstr in strings.items():
        catalog.add(msgid, msgstr)
    po = translations / locale / "LC_MESSAGES" / "shelf.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as fh:
        write_po(fh, catalog)
    return po


def translated(mo, msgid):
    with mo.open("rb") as fh:
        return read_mo(fh)[msgid].string


def test_po_without_mo_is_compiled_into_the_instance(tmp_path):
    translations, instance = tmp_path / "translations", tmp_path / "instance"
    write_catalogue(translations, "id", {"Shelf": "Rak"})
    write_catalogue(translations, "en", {"Shelf": "Shelf"})
    found = catalogue_dir("shelf", translations, instance)
    assert found == instance / "translations" / "shelf"
    assert translated(found / "id" / "LC_MESSAGES" / "shelf.mo", "Shelf") == "Rak"
    assert (found / "en" / "LC_MESSAGES" / "shelf.mo").exists()
    assert not list(translations.rglob("*.mo"))  # nothing written beside the sources


def test_up_to_date_mo_beside_the_po_is_used_where_it_is(tmp_path):
    translations = tmp_path / "translations"
    po = write_catalogue(translations, "id", {"Shelf": "Rak"})
    compile_po(po, po.with_suffix(".mo"))
    assert catalogue_dir("shelf", translations, tmp_path / "instance") == translations
    assert not (tmp_path / "instance").exists()


def test_a_po_newer_than_its_compiled_mo_is_compiled_again(tmp_path):
    translations, instance = tmp_path / "translations", tmp_path / "instance"
    po = write_catalogue(translations, "id", {"Shelf": "Rak"})
    compile_po(po, po.with_suffix(".mo"))
    os.utime(po.with_suffix(".mo"), (1, 1))  # older than the .po: stale
    write_catalogue(translations, "id", {"Shelf": "Rak buku"})
    found = catalogue_dir("shelf", translations, instance)
    assert translated(found / "id" / "LC_MESSAGES" / "shelf.mo", "Shelf") == "Rak buku"


def test_an_unwritable_instance_leaves_the_module_untranslated_not_down(tmp_path):
    translations = tmp_path / "translations"
    write_catalogue(translations, "id", {"Shelf": "Rak"})
    blocker = tmp_path / "instance"
    blocker.write_text("a file where the folder should be")
    assert catalogue_dir("shelf", translations, blocker) == translations
