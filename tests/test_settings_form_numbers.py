"""The admin's settings form reads a number field as written in plain digits (issue 15 p15): ASCII
digits, a minus sign and, for a decimal, one comma or point; spaces between the digits dropped. What
Python's ``int()``/``float()`` would take besides (``1e9``, ``0x10``, ``1_000``, ``+5``, ``inf``,
``nan``, other scripts' digits) is "not a number" on its field."""
import pytest

from core.admin.settings_form.reading import _number

REFUSED = ["1e9", "1e3", "0x10", "1_000", "+5", "١٢", "٣", "²", "inf", "nan", "12.", ".5", "1,2,3", "", "-"]


@pytest.mark.parametrize("text", REFUSED)
@pytest.mark.parametrize("kind", ["integer", "number"])
def test_what_is_not_plain_digits_is_not_a_number(text, kind):
    assert _number(text, kind) is None


@pytest.mark.parametrize("text,kind,value", [
    ("12", "integer", 12), (" 12 ", "integer", 12), ("-3", "integer", -3), ("1 000", "integer", 1000),
    ("12", "number", 12), ("12,5", "number", 12.5), ("12.5", "number", 12.5), ("-0.25", "number", -0.25),
    ("12.0", "integer", None), ("12.0", "number", 12.0)])
def test_plain_digits_are_read(text, kind, value):
    got = _number(text, kind)
    assert got == value and type(got) is type(value)
