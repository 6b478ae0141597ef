"""``make i18n-check``: fail when any catalogue has an untranslated or fuzzy message."""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po


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
                if not all(strings) or message.fuzzy:
                    msgid = message.id if isinstance(message.id, str) else message.id[0]
                    state = "fuzzy" if message.fuzzy else "untranslated"
                    found.append(f"{po}:{message.lineno}: {state}: {msgid!r}")
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
        print(f"{len(found)} message(s) need translating", file=sys.stderr)
        return 1
    print("every message is translated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
