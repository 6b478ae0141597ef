"""`pamong documents ...`: init-signer, test-sign, list, revoke; bad input is one line, exit 2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from tests.documents_helpers import assert_tampered_fails, assert_valid, ca_pem, decode_qr


@pytest.fixture
def run(app):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)

    def invoke(*args):
        return runner.invoke(cli, list(args), obj=info)

    return invoke


def one_line_error(result, *words):
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    for word in words:
        assert word in lines[0], lines[0]


def test_init_signer_test_sign_and_list(app, run, create_tenant, tmp_path):
    tenant = create_tenant(extra={"address": "Jl. Ahmad Yani 1"})
    result = run("documents", "init-signer", tenant.slug)
    assert result.exit_code == 0, result.output
    cert = Path(app.config["INSTANCE_DIR"]) / "signing" / f"{tenant.slug}.pem"
    assert cert.is_file() and (cert.stat().st_mode & 0o077) == 0
    first = cert.read_bytes()
    assert run("documents", "init-signer", tenant.slug).exit_code == 0
    assert cert.read_bytes() == first  # kept when present

    out = tmp_path / "test.pdf"
    result = run("documents", "test-sign", tenant.slug, str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert_valid(data, ca_pem(app))
    assert_tampered_fails(data, ca_pem(app))
    url = result.output.strip().splitlines()[-1]
    assert url.startswith(f"https://{tenant.slug}.example.test/verify/")  # the tenant's own domain (core/links)
    assert decode_qr(data) == [url]

    listed = run("documents", "list", tenant.slug, "--json")
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.output)
    assert row["kind"] == "test" and row["status"] == "valid" and row["verification_url"] == url
    # the tenant's language (Indonesian), not English, on its letter and register (issue 13 trial)
    assert row["signer_position"] == "Penanda tangan uji" and row["subject"] == "Tanda tangan uji"
    # signed_at: ISO 8601 with the tenant's offset (Asia/Makassar)
    assert row["signed_at"].endswith("+08:00") and "T" in row["signed_at"], row["signed_at"]
    assert Path(row["file"]).read_bytes() == data  # the stored file (local storage)
    plain = run("documents", "list", tenant.slug)
    assert plain.exit_code == 0 and url in plain.output and "valid" in plain.output
    header, first = plain.output.splitlines()
    assert header.split("\t")[:3] == ["kind", "number", "subject"] and "Tanda tangan uji" in first

    code = url.rsplit("/", 1)[1]
    revoked = run("documents", "revoke", tenant.slug, code, "--reason", "uji selesai")
    assert revoked.exit_code == 0, revoked.output
    [row] = json.loads(run("documents", "list", tenant.slug, "--json").output)
    assert row["status"] == "revoked" and row["revoked_reason"] == "uji selesai"
    one_line_error(run("documents", "revoke", tenant.slug, code, "--reason", "again"), "already revoked")


def test_bad_input_is_one_line_and_exit_2(app, run, create_tenant, tmp_path):
    tenant = create_tenant()
    one_line_error(run("documents", "list", "no-such-tenant"), "tenant 'no-such-tenant' not found")
    one_line_error(run("documents", "test-sign", "no-such-tenant", str(tmp_path / "x.pdf")), "no-such-tenant")
    one_line_error(run("documents", "init-signer", "no-such-tenant"), "no-such-tenant")
    # no local certificate yet: the message names the command that makes one
    one_line_error(run("documents", "test-sign", tenant.slug, str(tmp_path / "x.pdf")), "init-signer")
    assert run("documents", "init-signer", tenant.slug).exit_code == 0
    one_line_error(run("documents", "test-sign", tenant.slug, str(tmp_path / "missing" / "x.pdf")),
                   "OUT", "does not exist")
    one_line_error(run("documents", "test-sign", tenant.slug, str(tmp_path)), "OUT", "is a directory")
    one_line_error(run("documents", "revoke", tenant.slug, "A" * 32, "--reason", "x"), "CODE")
    one_line_error(run("documents", "revoke", tenant.slug, "../etc", "--reason", "x"), "CODE")
    assert json.loads(run("documents", "list", tenant.slug, "--json").output) == []
    assert not list(tmp_path.rglob("*.pdf"))


def test_unknown_signer_in_the_tenants_file_is_one_line(app, run, tmp_path):
    from core.testing import unique

    slug = unique("tn")
    path = tmp_path / f"{slug}.toml"
    path.write_text(f'slug = "{slug}"\nname = "Kota {slug}"\nkind = "city"\ntimezone = "Asia/Makassar"\n'
                    '[extra.documents]\nsigner = "fax"\n')
    one_line_error(run("tenant", "apply", str(path)), str(path), "extra.documents.signer", "fax")
    assert run("documents", "list", slug).exit_code == 2  # nothing applied: no such tenant


def test_list_of_an_empty_register_says_so_on_stderr(app, run, create_tenant):
    tenant = create_tenant()
    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    result = runner.invoke(cli, ["documents", "list", tenant.slug], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0 and result.stdout == ""  # stdout stays parseable: no rows, nothing
    assert "no documents" in result.stderr


def test_test_sign_speaks_the_tenants_language(app, run, create_tenant, tmp_path):
    tenant = create_tenant(locales=["en", "id"])
    assert run("documents", "init-signer", tenant.slug).exit_code == 0
    assert run("documents", "test-sign", tenant.slug, str(tmp_path / "t.pdf")).exit_code == 0
    [row] = json.loads(run("documents", "list", tenant.slug, "--json").output)
    assert row["subject"] == "Test signature" and row["signer_position"] == "Test signer"
