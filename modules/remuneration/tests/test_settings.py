"""A rule file that breaks a rule is refused where it is written (the tenant file), naming the key,
and changes nothing; the Makassar file validates."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.kit import PamongError, module_settings

from .helpers import MODULE, SETTINGS

BANDS = [{"from_minutes": 1, "to_minutes": 30, "percent": 0.5}, {"from_minutes": 25, "percent": 1}]


@pytest.mark.parametrize("rule, where", [
    ({"effective_from": "2026-01-01", "performance_weight": 70, "discipline_weight": 40}, "rules[0].performance_weight"),
    ({"effective_from": "2026-01-01", "lateness_bands": BANDS}, "rules[0].lateness_bands[1]"),
    ({"effective_from": "2026-01-01", "absence_percent_per_day": 0.125}, "rules[0].absence_percent_per_day"),
])
def test_a_bad_rule_file_is_refused_naming_the_key(app_ctx, create_tenant, rule, where):
    with pytest.raises(PamongError) as exc:
        create_tenant(modules={MODULE: {**SETTINGS, "rules": [rule]}})
    assert f"modules.{MODULE}.settings.{where}" in str(exc.value)


def test_two_ceilings_for_one_class_and_year_are_refused(app_ctx, create_tenant):
    with pytest.raises(PamongError) as exc:
        create_tenant(modules={MODULE: {"ceilings": SETTINGS["ceilings"] + SETTINGS["ceilings"][:1]}})
    assert f"modules.{MODULE}.settings.ceilings[2]" in str(exc.value)


def test_the_makassar_settings_validate(app_ctx, create_tenant):
    path = Path(__file__).resolve().parents[3] / "tenants" / "makassar.toml"
    doc = tomllib.loads(path.read_text())
    settings = doc["modules"][MODULE]["settings"]
    # its position_classes name the file's positions (the core checks them): its agencies with them
    tenant = create_tenant(modules={MODULE: settings}, agencies=[
        {"code": a["code"], "name": a["name"], "positions": a.get("positions", [])} for a in doc["agencies"]])
    applied = module_settings(tenant, MODULE)
    assert applied["rules"][0]["performance_weight"] == 60 and len(applied["ceilings"]) == 10
    assert applied["position_classes"] == {"KADIS-DLH": "JPT", "SEK-DLH": "ADMINISTRATOR", "KADIS-PU": "JPT"}


@pytest.mark.parametrize("rule, indonesian, english", [
    ({"effective_from": "2026-01-01", "performance_weight": 70, "discipline_weight": 40},
     "Bobot kinerja 70 dan bobot disiplin 40 harus berjumlah 100 %.",
     "The performance weight 70 and the discipline weight 40 must add up to 100 %."),
    ({"effective_from": "2026-01-01", "lateness_bands": BANDS},
     "Rentang mulai 25 menit tumpang tindih dengan rentang mulai 1.",
     "The band from 25 minutes overlaps the band from 1."),
])
def test_a_bad_rule_is_said_in_the_admins_language(app_ctx, rule, indonesian, english):
    """The admin's settings form shows ``local`` (core/admin/views.py); the tenant file's check the English."""
    from flask_babel import force_locale

    from core.kit import ValidationError

    from ..settings import check_settings

    with pytest.raises(ValidationError) as exc:
        check_settings(None, {**SETTINGS, "rules": [rule]})
    assert exc.value.message == english
    for locale, words in (("id", indonesian), ("en", english)):
        with force_locale(locale):
            assert str(exc.value.local) == words


def test_a_rule_set_dated_into_a_closed_month_is_refused(app, create_tenant):
    """Trial (issue 16): ``tenant apply`` took a rule set from 2026-11-01 while November was closed."""
    import json

    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from cli import cli
    from core.kit import db

    from ..services import close_month, import_employees, run_month
    from .helpers import three_employees

    tenant = create_tenant(modules={MODULE: SETTINGS})
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        run_month(tenant, "test", 2026, 11)
        close_month(tenant, "test", 2026, 11)
        db.session.commit()
    first = {"effective_from": "2026-01-01"}

    def set_rules(*rules):
        return CliRunner().invoke(cli, ["tenant", "set", tenant.slug, MODULE, f"rules={json.dumps(list(rules))}"],
                                  obj=ScriptInfo(create_app=lambda: app))

    refused = set_rules(first, {"effective_from": "2026-11-01", "performance_weight": 70, "discipline_weight": 30})
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert refused.exit_code == 2 and len(lines) == 1, refused.output
    assert f"modules.{MODULE}.settings.rules[1].effective_from" in lines[0] and "2026-11 is closed" in lines[0]
    with app.app_context():
        assert len(module_settings(tenant, MODULE)["rules"]) <= 1
    later = set_rules(first, {"effective_from": "2026-12-01", "performance_weight": 70, "discipline_weight": 30})
    assert later.exit_code == 0, later.output
    assert set_rules(first, {"effective_from": "2026-12-01", "performance_weight": 70,
                             "discipline_weight": 30}).exit_code == 0   # unchanged for November: accepted again


def test_a_position_without_a_ceiling_is_said_in_indonesian(app_ctx):
    """Re-trial (issue 16): the admin's Indonesian settings page said it in English (the core's catalogue)."""
    from flask_babel import force_locale

    from core.kit import ValidationError

    from ..settings import check_position_classes

    with pytest.raises(ValidationError) as exc:
        check_position_classes({"KADIS-DLH": "NOPE"}, [{"position_class": "I", "year": 2026, "amount": 1}])
    with force_locale("id"):
        assert str(exc.value.local) == "Jabatan KADIS-DLH dipetakan ke kelas NOPE, yang tidak memiliki pagu TPP."
