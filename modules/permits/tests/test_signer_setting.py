"""``signer_position`` (the default and each type's) is checked where it is written (DESIGN §5): a
value written as a position code that is no active position of the tenant is refused by the core's
check of references to the organisation (``unknown_position``): one line naming the setting at
``tenant apply`` (exit 2), the message on its field in the admin. A position's code or name, and a
title of words, are kept (issue 15, item 4)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from core.kit import OrgUnit, ValidationError, add_position, db, tenant_scope

from ..settings import check_settings, looks_like_code
from .conftest import SETTINGS, SKU
from .test_admin_pages import _error, _form, _stored, _url


@pytest.fixture
def run(app):
    from cli import cli

    info = ScriptInfo(create_app=lambda: app)
    return lambda *args: CliRunner().invoke(cli, list(args), obj=info)


def _with_head(app, tenant):
    with app.app_context():
        with tenant_scope(tenant):
            unit = db.session.execute(db.select(OrgUnit).where(OrgUnit.code == "DPM")).scalar_one()
        add_position(tenant, unit, "KADIS_DPM", "Kepala Dinas Penanaman Modal dan PTSP", True, "test")
        db.session.commit()


@pytest.mark.parametrize("text,code", [("KADIS_DPM", True), ("kadis-dpm", True), ("SEKDA", True), ("KADIS2", True),
                                       ("Camat", False), ("Kepala DPMPTSP", False), ("", False)])
def test_what_reads_as_a_position_code(text, code):
    assert looks_like_code(text) is code


def test_a_code_or_name_of_a_position_and_a_title_are_kept_an_unknown_code_refused(app, tenant):
    _with_head(app, tenant)
    with app.app_context():
        for value in ("KADIS_DPM", "kadis_dpm", "Kepala Dinas Penanaman Modal dan PTSP", "Kepala Kantor Pelayanan"):
            check_settings(tenant, {**SETTINGS, "signer_position": value,
                                    "types": [{**SKU, "signer_position": value}]})
        with pytest.raises(ValidationError) as refused:
            check_settings(tenant, {**SETTINGS, "types": [SETTINGS["types"][0], {**SKU, "signer_position": "KADIS_DPN"}]})
    assert refused.value.code == "unknown_position"
    assert refused.value.where == "modules.permits.settings.types.1.signer_position"
    assert "KADIS_DPN" in refused.value.message and "KADIS_DPM" in refused.value.message   # the codes there are


def test_tenant_apply_refuses_an_unknown_signer_code_in_one_line(app, run, tenant, tmp_path):
    exported = run("tenant", "export", tenant.slug).output
    assert 'signer_position = "Kepala DPMPTSP"' in exported
    path = tmp_path / f"{tenant.slug}.toml"
    path.write_text(exported.replace('signer_position = "Kepala DPMPTSP"', 'signer_position = "KADIS_DPM"', 1))
    before = _stored(app, tenant)
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("Applying")]
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: modules.permits.settings.types.0.signer_position: ")
    assert "KADIS_DPM" in lines[0]
    assert _stored(app, tenant) == before
    _with_head(app, tenant)   # once the organisation has the position, the file naming it applies
    exported = run("tenant", "export", tenant.slug).output
    assert 'code = "KADIS_DPM"' in exported
    path.write_text(exported.replace('signer_position = "Kepala DPMPTSP"', 'signer_position = "KADIS_DPM"', 1))
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 0, result.output
    assert _stored(app, tenant)["types"][0]["signer_position"] == "KADIS_DPM"


def test_the_admin_form_shows_the_unknown_signer_code_on_its_field(app, client, tenant, people, login):
    login(client, people["admin"], tenant)
    before = _stored(app, tenant)
    response = client.post(_url(tenant), data=_form(app, **{"signer_position": "KADIS_DPM"}),
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    message = _error(response.get_data(as_text=True), "signer_position")
    assert "KADIS_DPM" in message and "position" in message, message
    assert _stored(app, tenant) == before
