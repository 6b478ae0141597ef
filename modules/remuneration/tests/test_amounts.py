"""Re-trial of issue 16: an upheld objection's correction "1.5" was taken as Rp 15 and "2.500,00" as
Rp 250,000. One reading of rupiah for the form, the API and the CLI (``amounts.parse_rupiah``)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.kit import ValidationError


@pytest.mark.parametrize("text, amount", [
    ("2.500.000", 2_500_000), ("2500000", 2_500_000), ("-25.000", -25_000), (" 150000 ", 150_000), (-7, -7),
])
def test_a_correction_in_whole_rupiah_is_read(app_ctx, text, amount):
    from ..objections import _amount

    assert _amount(text) == amount


@pytest.mark.parametrize("text", ["1.5", "2.500,00", "1,5", "1e5", "007", "25.00", "2.5000", "1.000,5", "0.5"])
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


# A second re-trial of issue 16: rupiah typed with the currency were refused by the objection form
# and the CLI's ``adjust``; the form's HTML pattern (-?[0-9.,]+) blocked them in the browser too.
@pytest.mark.parametrize("text, amount", [
    ("Rp 100.000", 100_000), ("Rp100.000", 100_000), ("Rp. 1.500.000", 1_500_000), ("rp 1.500.000", 1_500_000),
    ("RP.1.500.000", 1_500_000), ("Rp\u00a0100.000", 100_000), ("-Rp 25.000", -25_000), ("Rp -25.000", -25_000),
    ("Rp 1,250,000", 1_250_000), ("1,250,000", 1_250_000), ("Rp 5", 5),
])
def test_rupiah_written_with_the_currency_is_read(app_ctx, text, amount):
    from ..amounts import parse_rupiah
    from ..objections import _amount

    assert parse_rupiah(text) == amount and _amount(text) == amount


@pytest.mark.parametrize("text", ["Rp", "Rp.", "Rp Rp 5", "Rp 1.5", "Rp 2.500,00", "2.500,000", "1,000.000",
                                  "Rp 1,5", "USD 5", "Rp.. 5", "- Rp 5", "-Rp -5", "5 Rp", "Rp 007", "IDR 5"])
def test_the_currency_does_not_make_a_fraction_or_junk_an_amount(app_ctx, text):
    from ..amounts import parse_rupiah

    with pytest.raises(ValidationError) as exc:
        parse_rupiah(text)
    assert exc.value.code == "not_rupiah" and repr(text) in exc.value.message


@given(amount=st.integers(min_value=-10 ** 15, max_value=10 ** 15), language=st.sampled_from(["id", "en"]))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_what_rupiah_writes_reads_back_as_the_same_amount(app_ctx, amount, language):
    """Property: the core's ``rupiah()`` in either language ("Rp 1.250.000", "-Rp 25,000"), read by
    the module's one parser, is the amount it wrote."""
    from flask_babel import force_locale

    from core.kit import rupiah

    from ..amounts import parse_rupiah

    with force_locale(language):
        written = rupiah(amount)
    assert parse_rupiah(written) == amount, written


def test_the_cli_adjust_takes_rupiah_with_the_currency(app, create_tenant, tmp_path, audit_entries):
    from .helpers import MODULE, NIPS, SETTINGS, three_employees
    from .test_commands import pamong

    tenant = create_tenant(modules={MODULE: SETTINGS})
    (tmp_path / "pegawai.csv").write_bytes(three_employees())
    assert pamong(app, "import-employees", tenant.slug, str(tmp_path / "pegawai.csv")).exit_code == 0
    assert pamong(app, "run", tenant.slug, "2026-03", "--force").exit_code == 0
    assert pamong(app, "close", tenant.slug, "2026-03", "--force").exit_code == 0
    done = pamong(app, "adjust", tenant.slug, NIPS[0], "2026-03", "2026-05", "Rp 150.000", "Dinas luar 2 Maret")
    assert done.exit_code == 0 and "Rp 150,000" in done.output, done.output
    back = pamong(app, "adjust", tenant.slug, NIPS[1], "2026-03", "2026-05", "Rp. -25.000", "Lebih bayar")
    assert back.exit_code == 0, back.output
    bad = pamong(app, "adjust", tenant.slug, NIPS[2], "2026-03", "2026-05", "Rp 1,5", "x")
    assert bad.exit_code == 2 and bad.output.startswith("error: amount:") and len(bad.output.strip().splitlines()) == 1
    assert [e["summary"]["after"]["amount"] for e in audit_entries(tenant, "remuneration.adjustment")] == [150_000, -25_000]


# A third trial of issue 16: "Rp 100.000,-" (the ",-" that ends Indonesian money writing: no sen)
# was refused, and the objection form's amount field opened a digits-only keyboard on a phone.
@pytest.mark.parametrize("text, amount", [
    ("Rp 100.000,-", 100_000), ("Rp100.000,-", 100_000), ("Rp. 1.500.000,-", 1_500_000), ("100.000,-", 100_000),
    ("100000,-", 100_000), ("-Rp 25.000,-", -25_000), ("Rp -25.000,-", -25_000), ("Rp 5,-", 5), (" Rp 100.000,- ", 100_000),
])
def test_rupiah_ending_in_comma_dash_is_read(app_ctx, text, amount):
    from ..amounts import parse_rupiah
    from ..objections import _amount

    assert parse_rupiah(text) == amount and _amount(text) == amount


@pytest.mark.parametrize("text", [",-", "Rp ,-", "Rp 100.000,--", "Rp 100.000,-,-", "Rp 1,250,000,-", "100.000,00,-",
                                  "100.000 ,-", "100.000-", "100.000,", "Rp 1.5,-", "Rp 007,-", "100.000.-", ",-100.000"])
def test_comma_dash_makes_no_fraction_or_junk_an_amount(app_ctx, text):
    from ..amounts import parse_rupiah

    with pytest.raises(ValidationError) as exc:
        parse_rupiah(text)
    assert exc.value.code == "not_rupiah" and repr(text) in exc.value.message


@given(amount=st.integers(min_value=-10 ** 15, max_value=10 ** 15), currency=st.sampled_from(["", "Rp ", "Rp", "Rp. "]),
       grouped=st.booleans())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_amount_written_the_indonesian_way_with_comma_dash_reads_back(app_ctx, amount, currency, grouped):
    """Property: an amount written as on an Indonesian invoice ("Rp 1.250.000,-", "-Rp 25000,-")
    reads as that amount; the same text with ",-" twice is refused."""
    from ..amounts import parse_rupiah

    digits = f"{abs(amount):,}".replace(",", ".") if grouped else str(abs(amount))
    written = f"{'-' if amount < 0 else ''}{currency}{digits},-"
    assert parse_rupiah(written) == amount, written
    with pytest.raises(ValidationError):
        parse_rupiah(written + ",-")


def test_the_objection_form_amount_field_takes_text_on_a_phone(app, client, create_tenant, create_user, login,
                                                                frozen_clock):
    """The personnel agency's amount field: ``inputmode="text"`` (a phone's numeric keyboard has no
    "Rp" nor ","), no pattern; "Rp 100.000,-" typed there upholds the objection with Rp 100,000."""
    import re

    from core.kit import db, tenant_scope

    from ..models import Adjustment
    from .helpers import MODULE
    from .test_objection_flow import decide, objected

    tenant, _andi, kabid, bkpsdm, objection_id = objected(app, create_tenant, create_user, frozen_clock)
    login(client, kabid, tenant)
    decide(client, tenant, objection_id, 0, "Benar.")
    client.get(f"/t/{tenant.slug}/logout")
    login(client, bkpsdm, tenant)
    listed = client.get(f"/t/{tenant.slug}/{MODULE}/objections").get_data(as_text=True)
    [field] = re.findall(r'<input[^>]*name="amount"[^>]*>', listed)
    assert 'inputmode="text"' in field and "pattern=" not in field and 'type="number"' not in field
    done = client.post(f"/t/{tenant.slug}/{MODULE}/objections/{objection_id}/decide",
                       data={"step": 1, "note": "Diterima.", "decision": "approve", "amount": "Rp 100.000,-"})
    assert done.status_code == 302, done.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert [a.amount for a in db.session.execute(db.select(Adjustment)).scalars()] == [100_000]
