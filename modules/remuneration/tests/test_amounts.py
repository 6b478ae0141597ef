"""Re-trial of issue 16: an upheld objection's correction "1.5" was taken as Rp 15 and "2.500,00" as
Rp 250,000. One reading of rupiah for the form, the API and the CLI (``amounts.parse_rupiah``)."""
from __future__ import annotations

import pytest

from core.kit import ValidationError


@pytest.mark.parametrize("text, amount", [
    ("2.500.000", 2_500_000), ("2500000", 2_500_000), ("-25.000", -25_000), (" 150000 ", 150_000), (-7, -7),
])
def test_a_correction_in_whole_rupiah_is_read(app_ctx, text, amount):
    from ..objections import _amount

    assert _amount(text) == amount


@pytest.mark.parametrize("text", ["1.5", "2.500,00", "1,5", "1e5", "007", "25.00", "2.5000", "1.000,5", "Rp 5", "0.5"])
def test_anything_but_whole_rupiah_is_refused_naming_it(app_ctx, text):
    from flask_babel import force_locale

    from ..objections import _amount

    with pytest.raises(ValidationError) as exc:
        _amount(text)
    assert exc.value.where == "amount" and exc.value.code == "not_rupiah"
    assert repr(text) in exc.value.message and "whole number of rupiah" in exc.value.message
    with force_locale("id"):
        assert text in str(exc.value.local) and "bilangan bulat rupiah" in str(exc.value.local)


@pytest.mark.parametrize("text", ["-0", "0", "", None])
def test_no_correction_of_zero(app_ctx, text):
    from ..objections import _amount

    with pytest.raises(ValidationError) as exc:
        _amount(text)
    assert exc.value.where == "amount" and "other than 0" in exc.value.message


@pytest.mark.parametrize("text", ["1.5", "2.500,00", "007", "1e5"])
def test_the_cli_adjust_refuses_the_same_in_one_line(app, create_tenant, text):
    from .helpers import MODULE, NIPS, SETTINGS
    from .test_commands import pamong

    tenant = create_tenant(modules={MODULE: SETTINGS})
    bad = pamong(app, "adjust", tenant.slug, NIPS[0], "2026-03", "2026-05", text, "alasan")
    assert bad.exit_code == 2 and bad.output.startswith("error: amount:") and "whole number of rupiah" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
