"""The tenant's [extra.documents] table checked where it is written (tenant apply: one line naming
the file and key, exit 2, nothing applied), and document numbers from the core's counter."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.testing import unique
from tests.documents_helpers import assert_valid, ca_pem
from tests.test_documents import count_documents, issue

NIK = "7371010101900001"


@pytest.fixture
def run(app):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info)


def tenant_file(tmp_path, slug, documents: str):
    path = tmp_path / f"{slug}.toml"
    path.write_text(f'slug = "{slug}"\nname = "Kota {slug}"\nkind = "city"\ntimezone = "Asia/Makassar"\n'
                    f"[extra.documents]\n{documents}\n")
    return path


BAD = [
    ('signer = "fax"', "extra.documents.signer", "fax"),
    ('colour = "red"', "extra.documents", "unknown key"),
    ('signer_name = 7', "extra.documents.signer_name", "string"),
    ('signer = "bsre"\nbsre_url = "ftp://x"\nnik = "%s"\npassphrase = "p"' % NIK, "extra.documents.bsre_url", "http"),
    ('signer = "bsre"\nbsre_url = "https://x"\npassphrase = "p"', "extra.documents.nik", "NIK"),
    ('signer = "bsre"\nbsre_url = "https://x"\nnik = "7371010101900000"\npassphrase = "p"',
     "extra.documents.nik", "NIK"),
    ('signer = "bsre"\nbsre_url = "https://x"\nnik = "12345"\npassphrase = "p"', "extra.documents.nik", "NIK"),
    ('signer = "bsre"\nbsre_url = "https://x"\nnik = "env:NOT_SET"\npassphrase = "p"',
     "extra.documents.nik", "not set"),
    ('signer = "bsre"\nbsre_url = "https://x"\nnik = "%s"' % NIK, "extra.documents.passphrase", "passphrase"),
    ('signer = "bsre"\nbsre_url = "https://x"\nnik = "%s"\npassphrase = "env:lower"' % NIK,
     "extra.documents.passphrase", "not a secret name"),
    ('number_pattern = "{kind}/{nomor}"', "extra.documents.number_pattern", "{nomor}"),
    ('number_pattern = "{kind}/{year}"', "extra.documents.number_pattern", "{serial}"),
    ('number_period = "week"', "extra.documents.number_period", "week"),
]


@pytest.mark.parametrize("documents, where, word", BAD)
def test_bad_documents_table_is_one_line_at_apply(run, tmp_path, documents, where, word):
    slug = unique("tn")
    path = tenant_file(tmp_path, slug, documents)
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert str(path) in lines[0] and where in lines[0] and word in lines[0], lines[0]
    assert run("documents", "list", slug).exit_code == 2  # no tenant was made


def test_nik_in_a_secret_is_checked_by_the_identity_rules(run, tmp_path, monkeypatch):
    from core.tenant_secrets import env_name

    slug = unique("tn")
    monkeypatch.setenv(env_name(slug, "BSRE_NIK"), "7371013201900001")  # day 32
    body = 'signer = "bsre"\nbsre_url = "https://x"\nnik = "env:BSRE_NIK"\npassphrase = "p"'
    result = run("tenant", "apply", str(tenant_file(tmp_path, slug, body)))
    assert result.exit_code == 2 and "extra.documents.nik" in result.output and "env:BSRE_NIK" in result.output
    assert "7371013201900001" not in result.output  # the secret's value is not echoed
    monkeypatch.setenv(env_name(slug, "BSRE_NIK"), "7371-0101-0190-0001")
    assert run("tenant", "apply", str(tenant_file(tmp_path, slug, body))).exit_code == 0


def test_good_documents_table_applies_and_exports_as_written(app, run, tmp_path):
    slug = unique("tn")
    body = 'signer_name = "Andi Wijaya"\nnumber_pattern = "SK-{serial:03}/{year}"'
    result = run("tenant", "apply", str(tenant_file(tmp_path, slug, body)))
    assert result.exit_code == 0, result.output
    exported = run("tenant", "export", slug)
    assert 'number_pattern = "SK-{serial:03}/{year}"' in exported.output
    assert "number_period" not in exported.output  # defaults are not written into the tenant's file


def test_numbers_come_from_the_counter_with_the_tenants_pattern(app, create_tenant):
    from core.documents.certs import ensure_tenant_cert
    from core.numbering import last_issued

    tenant = create_tenant(extra={"documents": {"number_pattern": "{kind}-{serial:03}/{year}"}})
    ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
    first, data = issue(app, tenant, number=None, kind="permit")
    second, _ = issue(app, tenant, number=None, kind="permit")
    other, _ = issue(app, tenant, number=None, kind="letter")
    assert_valid(data, ca_pem(app))
    from core.documents import listing

    with app.app_context():
        numbers = {d.id: d.number for d in listing(tenant)}
        assert last_issued(tenant, ("documents", "permit")) == 2
    year = numbers[first["id"]].rsplit("/", 1)[1]
    assert numbers[first["id"]] == f"PERMIT-001/{year}" and numbers[second["id"]] == f"PERMIT-002/{year}"
    assert numbers[other["id"]] == f"LETTER-001/{year}"


def test_a_failed_issue_gives_its_number_back(app, create_tenant):
    from core.documents import SigningError, issue as do_issue
    from core.documents.signing import Signer
    from core.extensions import db

    class Refusing(Signer):
        kind = "local"

        def sign(self, pdf, **kw):
            raise SigningError("refused", where="signer", code="signing_failed")

    tenant = create_tenant()
    with app.app_context():
        with pytest.raises(SigningError):
            do_issue(tenant, "permit", None, "Izin", "documents/sample.html", {}, "Kepala", "test", signer=Refusing())
        db.session.rollback()
    from core.documents.certs import ensure_tenant_cert

    ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
    doc, _ = issue(app, tenant, number=None, kind="permit")
    from core.documents import listing

    with app.app_context():
        assert [d.number.split("/")[1] for d in listing(tenant)] == ["0001"]  # the default pattern
    assert count_documents(app, tenant) == 1


def test_test_sign_numbers_from_the_counter(app, run, create_tenant, tmp_path):
    import json

    tenant = create_tenant(extra={"documents": {"number_pattern": "UJI/{serial}/{year}"}})
    assert run("documents", "init-signer", tenant.slug).exit_code == 0
    for n in (1, 2):
        assert run("documents", "test-sign", tenant.slug, str(tmp_path / f"{n}.pdf")).exit_code == 0
    rows = json.loads(run("documents", "list", tenant.slug, "--json").output)
    assert [r["number"].split("/")[:2] for r in rows] == [["UJI", "1"], ["UJI", "2"]]
