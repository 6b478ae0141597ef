"""``make i18n-check``: fail when any catalogue has an untranslated or fuzzy message, or a
translation that uses a word the kit's glossary (``TERMS``) has replaced."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

# The glossary: one word per thing, per language, so that a page never says it two ways.
#
# Indonesian: "surel" (surat elektronik, the KBBI's word), never "e-mail" or "email". When this rule
# was made the Indonesian catalogues said "surel" 20 times (all of the core's 15, and 5 in
# complaints) and "e-mail" 15 times (all in complaints): the majority, and the standard, won. A
# placeholder such as %(email)s is not a word of the translation and is not checked.
TERMS: dict[str, list[tuple[re.Pattern, str]]] = {
    "id": [(re.compile(r"\be-?mail(?:nya|mu|ku)?\b", re.IGNORECASE), "surel")],  # e-mailnya too
}
_PLACEHOLDER = re.compile(r"%\([^)]*\)[a-z]|\{[^}]*\}")


def term_problems(locale: str, text: str) -> list[str]:
    """The words of ``text`` (a translation into ``locale``) that the glossary replaces, each as
    "'e-mail' (write 'surel')"."""
    words = _PLACEHOLDER.sub(" ", text or "")
    return [f"{found.group(0)!r} (write {preferred!r})"
            for pattern, preferred in TERMS.get(locale, ()) for found in pattern.finditer(words)]


def problems(catalog_dirs: list[str]) -> list[str]:
    found = []
    for directory in catalog_dirs:
        for po in sorted(Path(directory).glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh)
            for message in catalog:
                if not message.id:
                    continue
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                if not all(strings) or message.fuzzy:
                    state = "fuzzy" if message.fuzzy else "untranslated"
                    found.append(f"{po}:{message.lineno}: {state}: {msgid!r}")
                    continue
                locale = po.parent.parent.name
                for word in (w for text in strings for w in term_problems(locale, text)):
                    found.append(f"{po}:{message.lineno}: glossary: {word}: {msgid!r}")
    return found


def fill_english(catalog_dirs: list[str]) -> int:
    """Source strings are English: the English catalogue's translation of each is itself."""
    from babel.messages.pofile import write_po

    filled = 0
    for directory in catalog_dirs:
        for po in sorted(Path(directory).glob("en/LC_MESSAGES/*.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh, locale="en")
            for message in catalog:
                if message.id and (not message.string or (isinstance(message.string, tuple) and not all(message.string))):
                    message.string = message.id if isinstance(message.id, str) else tuple(message.id)
                    filled += 1
                message.flags.discard("fuzzy")
            with po.open("wb") as fh:
                write_po(fh, catalog, width=100)
    return filled


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--fill-english":
        print(f"English catalogues: {fill_english(argv[1:])} message(s) filled from their source")
        return 0
    found = problems(argv or ["core/translations"])
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} message(s) need translating (or a glossary word: core/i18n_check.py TERMS)",
              file=sys.stderr)
        return 1
    print("every message is translated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
