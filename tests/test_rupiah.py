"""core.i18n.rupiah for every amount a form can give (a trial: amounts above 10^28 raised, the
decimal context's 28 digits): written then read back (Babel's own CLDR parser, strict about the
grouping) it is the amount, in both languages; what is not a finite amount is refused clearly."""
from decimal import Decimal, localcontext

import pytest
from babel.numbers import parse_decimal
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st

from core.i18n import MAX_DIGITS, rupiah

AMOUNTS = st.one_of(
    st.integers(-10**40, 10**40),
    st.integers(min_value=-10**MAX_DIGITS + 1, max_value=10**MAX_DIGITS - 1),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**60, max_value=10**60),
    st.decimals(allow_nan=False, allow_infinity=False, places=0),
)


def read_back(text: str, locale: str) -> Decimal:
    """What a reader makes of ``rupiah``'s text: the sign, "Rp ", then the locale's number."""
    sign = -1 if text.startswith("-") else 1
    number = text.removeprefix("-")
    assert number.startswith("Rp "), text
    with localcontext() as context:
        context.prec = MAX_DIGITS * 2  # the parser's own arithmetic, not rupiah's
        return sign * parse_decimal(number.removeprefix("Rp "), locale=locale, strict=True)


@given(amount=AMOUNTS, locale=st.sampled_from(["id", "en"]))
@settings(max_examples=300, deadline=None)
def test_written_then_read_back_it_is_the_amount(app, amount, locale):
    with app.test_request_context("/"), force_locale(locale):
        if isinstance(amount, Decimal) and max(amount.adjusted() + 1, 1) - min(amount.as_tuple().exponent, 0) > MAX_DIGITS:
            with pytest.raises(ValueError):
                rupiah(amount)
            return
        text = rupiah(amount)
    assert read_back(text, locale) == amount, (amount, text)
    assert "E" not in text and "e" not in text.lower().replace("rp", "")


@pytest.mark.parametrize("amount, id_text, en_text", [
    (10**28, "Rp 10.000.000.000.000.000.000.000.000.000", "Rp 10,000,000,000,000,000,000,000,000,000"),
    (-(10**30) - 1, "-Rp 1.000.000.000.000.000.000.000.000.000.001", "-Rp 1,000,000,000,000,000,000,000,000,000,001"),
    (Decimal("1E+30"), "Rp 1.000.000.000.000.000.000.000.000.000.000", "Rp 1,000,000,000,000,000,000,000,000,000,000"),
    (Decimal("1250000.00"), "Rp 1.250.000", "Rp 1,250,000"),
    (Decimal("1250.50"), "Rp 1.250,50", "Rp 1,250.50"),
    (Decimal("-0"), "Rp 0", "Rp 0"),
])
def test_large_and_decimal_amounts(app, amount, id_text, en_text):
    with app.test_request_context("/"):
        with force_locale("id"):
            assert rupiah(amount) == id_text
        with force_locale("en"):
            assert rupiah(amount) == en_text


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("-Infinity"), Decimal("Infinity"), Decimal("sNaN"),
                                    10**MAX_DIGITS, Decimal("1E+100000"), Decimal("1E-5000")],
                         ids=["nan", "-inf", "inf", "snan", "10^max", "1E+100000", "1E-5000"])
def test_what_is_not_a_finite_amount_is_refused(app, amount):
    with app.test_request_context("/"), force_locale("id"):
        with pytest.raises(ValueError, match="finite|digits"):
            rupiah(amount)
