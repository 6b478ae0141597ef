"""One word per thing (trial finding 2): the Indonesian catalogues say "surel", never "e-mail" or
"email"; ``core.i18n_check`` (``make i18n-check``) names any translation that does."""
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from core.i18n_check import main, problems, term_problems

ROOT = Path(__file__).resolve().parent.parent


def _catalogue(folder: Path, locale: str, messages: dict[str, str]) -> None:
    catalog = Catalog(locale=locale)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    path = folder / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog)


def test_the_check_names_e_mail_in_an_indonesian_translation(tmp_path, capsys):
    _catalogue(tmp_path, "id", {
        "Your e-mail address": "Alamat e-mail Anda",
        "Email us": "Kirim Email kepada kami",
        "Sent to %(email)s by e-mail": "Dikirim ke %(email)s lewat surel",  # a placeholder is not a word
        "Confirm your e-mail address": "Konfirmasi alamat surel Anda",
    })
    _catalogue(tmp_path, "en", {"Your e-mail address": "Your e-mail address"})  # English may say it
    found = problems([str(tmp_path)])
    assert len(found) == 2, found
    assert "glossary: 'e-mail' (write 'surel'): 'Your e-mail address'" in found[0]
    assert "glossary: 'Email' (write 'surel')" in found[1]
    assert main([str(tmp_path)]) == 1 and "glossary" in capsys.readouterr().out


def test_the_rule_skips_placeholders_and_other_words():
    assert term_problems("id", "Kirim ke %(email)s dan {email}") == []
    assert term_problems("id", "layanan@kota.go.id, Gmail, emailer.test") == []
    assert term_problems("id", "cek e-mailnya") == ["'e-mailnya' (write 'surel')"]
    assert term_problems("en", "Your e-mail address") == []
    assert term_problems("id", "alamat E-MAIL") == ["'E-MAIL' (write 'surel')"]


def test_every_indonesian_catalogue_of_the_kit_says_surel():
    folders = [str(ROOT / "core" / "translations")] + [str(p) for p in sorted((ROOT / "modules").glob("*/translations"))]
    assert [line for line in problems(folders) if "glossary" in line] == []
