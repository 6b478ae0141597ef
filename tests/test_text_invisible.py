"""core/text.py's ``clean`` removes the invisible characters that can disguise text (a trial found a
person's name typed with U+202E RIGHT-TO-LEFT OVERRIDE kept as typed): the bidirectional controls of
UAX #9 and the Default_Ignorable format characters of UTS #39, ZWJ/ZWNJ kept only where a script
needs one (UAX #31 §2.3, UTS #51 emoji sequences)."""
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import ValidationError
from core.text import clean, is_clean, require_clean

BIDI = ["\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]
INVISIBLE = BIDI + ["\u00ad", "\u200b", *map(chr, range(0x2060, 0x2065)), *map(chr, range(0x206A, 0x2070)),
                    "\ufeff", "\ufff9", "\ufffa", "\ufffb"]
JOINERS = ("\u200c", "\u200d")
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=[], min_codepoint=0, max_codepoint=0x10FFFF), max_size=40)


def test_every_invisible_character_listed_is_a_format_character():
    """What is removed is what Unicode calls invisible format (Cf), the soft hyphen included."""
    assert {unicodedata.category(ch) for ch in INVISIBLE if ch != "\u2065"} == {"Cf"}


@given(ANY_TEXT, st.lists(st.tuples(st.integers(0, 40), st.sampled_from(INVISIBLE)), max_size=6))
@settings(max_examples=300, deadline=None)
def test_invisible_characters_anywhere_change_nothing(text, inserts):
    disguised = text
    for at, ch in inserts:
        disguised = disguised[:at] + ch + disguised[at:]
    out = clean(disguised)
    assert out == clean(text) and is_clean(out) and clean(out) == out
    assert not set(out) & set(INVISIBLE), ascii(out)


@given(ANY_TEXT)
@settings(max_examples=400, deadline=None)
def test_a_joiner_is_left_only_after_a_non_latin_letter_mark_or_symbol(text):
    out = clean(text)
    for at, ch in enumerate(out):
        if ch in JOINERS:
            before = out[at - 1] if at else ""
            assert before and not before.isascii() and before not in JOINERS, ascii(out)
            assert unicodedata.category(before)[0] in "LMS" and "LATIN" not in unicodedata.name(before, ""), ascii(out)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cf", "Cs", "Co", "Cn"]), max_size=40))
@settings(max_examples=300, deadline=None)
def test_visible_text_is_kept_as_it_is_normalised(text):
    assert clean(text) == unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("raw, expected", [
    ("Rani \u202eitnaD", "Rani itnaD"),  # the trial's name
    ("\u2067Rani\u2069 \u202aSiti\u202c", "Rani Siti"),
    ("Bu\u200bdi", "Budi"), ("Bu\u200ddi", "Budi"), ("Bu\u200cdi", "Budi"), ("\u200dBudi", "Budi"),
    ("Bu\u00addi", "Budi"), ("\ufeffBudi\u2060", "Budi"), ("Andi\u200e", "Andi"), ("\u05e9\u05dc\u05d5\u05dd\u200f", "\u05e9\u05dc\u05d5\u05dd"),
    ("\u0915\u094d\u200d\u0937", "\u0915\u094d\u200d\u0937"),  # Devanagari: ZWJ after the virama
    ("\ua98f\ua9c0\u200c\ua9b2", "\ua98f\ua9c0\u200c\ua9b2"),  # Javanese: ZWNJ after the pangkon
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),  # Persian
    ("\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f468\u200d\U0001f469\u200d\U0001f467"),  # a family emoji
    ("\U0001f469\U0001f3fd\u200d\U0001f4bb", "\U0001f469\U0001f3fd\u200d\U0001f4bb"),  # with a skin tone
    ("\u0915\u094d\u200d\u200d\u200c\u0937", "\u0915\u094d\u200d\u0937"),  # a run: its first
    ("e\u0301\u200d", "é"), ("\u212a\u200d", "K"),  # Latin once NFC has composed it
])
def test_clean_invisible_examples(raw, expected):
    assert clean(raw) == expected


def test_require_clean_refuses_an_identifier_with_an_invisible_character():
    assert require_clean("wa-\u0915\u094d\u200d", "message_id") == "wa-\u0915\u094d\u200d"
    for bad in ("wa-1\u202e", "wa\u200b-1", "wa-1\u200d"):
        with pytest.raises(ValidationError) as caught:
            require_clean(bad, "message_id")
        assert (caught.value.where, caught.value.code) == ("message_id", "invalid_characters")


def test_the_data_migration_cleans_names_stored_before(app, create_tenant, create_user):
    """A user's name stored with U+202E by an earlier release is rewritten by the core's data
    migration (b7d41e9a2c60); a second run changes nothing."""
    import importlib.util
    from pathlib import Path

    from sqlalchemy import text as sql

    from core.migrate import owner_engine
    from core.text_rows import clean_stored_text

    path = next((Path(__file__).parents[1] / "core/migrations/versions").glob("*_b7d41e9a2c60_clean_invisible_text.py"))
    spec = importlib.util.spec_from_file_location("clean_invisible_text", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    email = create_user(create_tenant(), "citizen")
    with app.app_context():
        engine = owner_engine(app)
        try:
            with engine.begin() as conn:
                conn.execute(sql("UPDATE users SET name = :n WHERE email = :e"), {"e": email, "n": "Rani \u202eitnaD\u202c"})
            with engine.begin() as conn:
                assert clean_stored_text(conn, migration.TABLES) >= 1
                assert conn.execute(sql("SELECT name FROM users WHERE email = :e"), {"e": email}).scalar_one() == "Rani itnaD"
                assert clean_stored_text(conn, migration.TABLES) == 0
        finally:
            engine.dispose()
