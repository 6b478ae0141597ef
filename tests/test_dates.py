"""Dates and times as Indonesia writes them (issue 20.6): day month year in both languages, a
24-hour clock, the tenant's zone named beside every time (WIB/WITA/WIT), ISO 8601 in the tenant's
offset for machines; the same for every module through Flask-Babel's own formatters."""
from datetime import date, datetime, timezone

import pytest
from flask import g, render_template_string
from flask_babel import force_locale, format_date, format_datetime

from core.i18n import datetime_formatter, local_datetime, local_iso
from core.tenancy.zones import zone_name

MOMENT = datetime(2026, 11, 30, 14, 5, tzinfo=timezone.utc)


@pytest.mark.parametrize("zone, id_text, en_text", [
    ("Asia/Jakarta", "30 Nov 2026 21.05 WIB", "30 Nov 2026 21:05 WIB"),
    ("Asia/Makassar", "30 Nov 2026 22.05 WITA", "30 Nov 2026 22:05 WITA"),
    ("Asia/Jayapura", "30 Nov 2026 23.05 WIT", "30 Nov 2026 23:05 WIT"),
])
def test_times_carry_their_zone_in_both_languages(app, create_tenant, zone, id_text, en_text):
    tenant = create_tenant(timezone=zone)
    with app.test_request_context(f"/t/{tenant.slug}/"):
        g.tenant = tenant
        with force_locale("id"):
            assert local_datetime(MOMENT, "short") == id_text
            assert local_datetime(MOMENT) == id_text
            assert local_datetime(MOMENT, "full") == "Senin, 30 November 2026 " + id_text.split(" ", 3)[3]
            assert local_datetime(MOMENT, "short", zone=False) == id_text.rsplit(" ", 1)[0]
        with force_locale("en"):
            assert local_datetime(MOMENT, "short") == en_text
            assert local_datetime(MOMENT, "long") == "30 November 2026 " + en_text.split(" ", 3)[3]
            assert "PM" not in local_datetime(MOMENT, "medium") and "/" not in local_datetime(MOMENT, "short")
        assert local_iso(MOMENT) == MOMENT.astimezone(__import__("zoneinfo").ZoneInfo(zone)).isoformat()
        assert local_datetime(None) == "" and local_iso(None) is None


def test_english_dates_are_day_month_year_for_every_module(app, create_tenant):
    """Flask-Babel's formatters (used directly by modules, and its Jinja filters) write the same."""
    tenant = create_tenant(timezone="Asia/Makassar")
    with app.test_request_context(f"/t/{tenant.slug}/"):
        g.tenant = tenant
        with force_locale("en"):
            assert format_date(date(2026, 11, 30), "medium") == "30 Nov 2026"
            assert format_date(date(2026, 11, 30), "short") == "30 Nov 2026"
            assert format_datetime(MOMENT, "short") == "30 Nov 2026 22:05"
            assert format_date(date(2026, 11, 30), "y-MM-dd") == "2026-11-30"  # a pattern stays a pattern
        with force_locale("id"):
            assert format_date(date(2026, 11, 30), "short") == "30 Nov 2026"
            assert format_date(date(2026, 8, 17), "long") == "17 Agustus 2026"


def test_the_jinja_filter(app, create_tenant):
    tenant = create_tenant(timezone="Asia/Jayapura")
    with app.test_request_context(f"/t/{tenant.slug}/"):
        g.tenant = tenant
        with force_locale("en"):
            html = render_template_string('{{ when|local_datetime("short") }}|{{ local_datetime(when) }}', when=MOMENT)
    assert html == "30 Nov 2026 23:05 WIT|30 Nov 2026 23:05 WIT"


def test_zone_names():
    assert [zone_name(z) for z in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")] == ["WIB", "WITA", "WIT"]
    assert zone_name("Asia/Dili", MOMENT) == "UTC+09:00"
    assert zone_name("UTC", MOMENT) == "UTC"
    assert zone_name("America/Sao_Paulo", MOMENT) == "UTC-03:00"


@pytest.mark.parametrize("zone", ["Asia/Makassar", "Asia/Jayapura"])
def test_a_page_formatter_writes_what_local_datetime_writes(app, create_tenant, zone):
    """``datetime_formatter`` looks the locale, zone and pattern up once for a list's many times;
    its text is ``local_datetime``'s for every format, language, zone, a naive value and None."""
    tenant = create_tenant(timezone=zone)
    moments = [MOMENT, MOMENT.replace(tzinfo=None), datetime(2026, 7, 1, 23, 59, tzinfo=timezone.utc), None]
    with app.test_request_context(f"/t/{tenant.slug}/"):
        g.tenant = tenant
        for language in ("id", "en"):
            with force_locale(language):
                for fmt in ("short", "medium", "long", "full", "d MMM y HH:mm"):
                    for zone_shown in (True, False):
                        write = datetime_formatter(fmt, zone_shown)
                        assert [write(m) for m in moments] == [local_datetime(m, fmt, zone_shown) for m in moments]
        with force_locale("id"):
            assert datetime_formatter("short")(MOMENT) != datetime_formatter("short", zone=False)(MOMENT)
