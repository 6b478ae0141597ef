"""Figures in the reader's language (trial finding 1): Indonesian writes "4,0" and "1.250" where
English writes "4.0" and "1,250"; every number that reaches a page goes through core.i18n."""
from decimal import Decimal

import pytest
from flask import render_template_string
from flask_babel import force_locale
from hypothesis import given, settings, strategies as st

from core.i18n import local_decimal, local_number, local_percent


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield


@pytest.mark.parametrize("language, average, count, share, size", [
    ("id", "4,0", "1.250", "76%", "12,5"), ("en", "4.0", "1,250", "76%", "12.5"),
])
def test_the_filters_write_figures_as_the_language_does(ctx, language, average, count, share, size):
    with force_locale(language):
        html = render_template_string(
            "{{ a|decimal }}|{{ n|number }}|{{ s|percent }}|{{ kb|decimal }}|{{ none|decimal }}|{{ text|number }}",
            a=4.0, n=1250, s=0.756, kb=Decimal("12.5"), none=None, text="75%")
        assert html == f"{average}|{count}|{share}|{size}||75%"
        assert local_decimal(4, 2) == average + "0"
        assert local_decimal(3.14159, None) == ("3,142" if language == "id" else "3.142")
        assert local_percent(0.756, 1) == ("75,6%" if language == "id" else "75.6%")
        assert local_number(True) == "True" and local_number(7) == "7"


@settings(max_examples=200, deadline=None)
@given(value=st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       digits=st.integers(min_value=0, max_value=3))
def test_indonesian_is_english_with_the_separators_swapped(app, value, digits):
    """The same figure, the same digits: only the decimal and grouping marks trade places; and the
    Indonesian text read back (dots dropped, comma as the point) is the value rounded to ``digits``."""
    with app.test_request_context("/"):
        with force_locale("en"):
            english = local_decimal(value, digits)
        with force_locale("id"):
            indonesian = local_decimal(value, digits)
    assert indonesian == english.translate(str.maketrans({".": ",", ",": "."}))
    back = Decimal(indonesian.replace(".", "").replace(",", "."))
    assert back == value.quantize(Decimal(1).scaleb(-digits), rounding="ROUND_HALF_EVEN")
