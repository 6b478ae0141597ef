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
    monkeypatch.setenv(env_name(slug, "BSRE_PASSPHRASE"), "p")
    body = 'signer = "bsre"\nbsre_url = "https://x"\nnik = "env:BSRE_NIK"\npassphrase = "env:BSRE_PASSPHRASE"'
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


@pytest.mark.parametrize("key", ["passphrase", "totp", "client_password"])
def test_a_secret_written_in_place_is_refused_at_apply(run, tmp_path, monkeypatch, key):
    """Issue 13 trial: the passphrase was stored and shown in plain text. A signer's secret takes
    only a reference env:NAME; the secret itself is refused, naming the key, and not echoed."""
    from core.tenant_secrets import env_name

    slug = unique("tn")
    monkeypatch.setenv(env_name(slug, "TOTP"), "JBSWY3DPEHPK3PXP")
    body = f'signer = "bsre"\nbsre_url = "https://x"\nnik = "{NIK}"\n{key} = "rahasia-sekali"'
    if key != "totp":
        body += '\ntotp = "env:TOTP"'
    result = run("tenant", "apply", str(tenant_file(tmp_path, slug, body)))
    assert result.exit_code == 2, result.output
    assert f"extra.documents.{key}" in result.output and "env:NAME" in result.output
    assert "rahasia-sekali" not in result.output
    assert run("documents", "list", slug).exit_code == 2  # nothing applied


def test_export_never_prints_a_secret_stored_in_place(app, run, tmp_path, monkeypatch):
    """A passphrase stored before references were required is exported as a reference only."""
    from core.extensions import db
    from core.tenancy.models import Tenant
    from core.tenancy.service import get_tenant
    from core.tenant_secrets import env_name

    slug = unique("tn")
    monkeypatch.setenv(env_name(slug, "BSRE_PASSPHRASE"), "rahasia-sekali")
    body = f'signer = "bsre"\nbsre_url = "https://x"\nnik = "{NIK}"\npassphrase = "env:BSRE_PASSPHRASE"'
    assert run("tenant", "apply", str(tenant_file(tmp_path, slug, body))).exit_code == 0
    exported = run("tenant", "export", slug).output
    assert 'passphrase = "env:BSRE_PASSPHRASE"' in exported and "rahasia-sekali" not in exported
    with app.app_context():  # stored in place by an older version
        tenant = db.session.get(Tenant, get_tenant(slug).id)
        tenant.extra = {**tenant.extra, "documents": {**tenant.extra["documents"], "passphrase": "lama-rahasia"}}
        db.session.commit()
    exported = run("tenant", "export", slug)
    assert exported.exit_code == 0 and "lama-rahasia" not in exported.output
    assert 'passphrase = "env:DOCUMENTS_PASSPHRASE"' in exported.output


def test_every_problem_at_once_each_in_the_readers_language(app):
    """URL and NIK wrong together: both reported; each error's words for people are in the
    reader's language (no English sentence on an Indonesian page), the CLI's in English."""
    from flask_babel import force_locale

    from core.documents.settings import problems

    table = {"signer": "bsre", "bsre_url": "not a url", "nik": "12345", "passphrase": "env:NOPE"}
    found = problems(table, "extra.documents", unique("tn"))
    assert [e.where for e in found] == ["extra.documents.bsre_url", "extra.documents.nik",
                                        "extra.documents.passphrase"], found
    assert "not an http(s) URL" in found[0].message and "NIK" in found[1].message and "not set" in found[2].message
    with app.test_request_context(), force_locale("id"):
        words = [str(e.local) for e in found]
    assert words[0] == "not a url bukan alamat yang diawali http:// atau https://.", words[0]
    assert words[1].startswith("NIK penanda tangan tidak sah: ") and "NIK harus" in words[1], words[1]
    assert words[2].startswith("Rahasia ini belum diatur") and "__NOPE" in words[2], words[2]
    for text in words:
        assert not any(w in text for w in ("is not", "needs", "the deployment", "must set")), text
    with app.test_request_context(), force_locale("en"):
        assert "is not valid" in str(found[1].local) and "NIK harus" not in found[1].message
