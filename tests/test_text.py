"""core/text.py and where it is applied: the request class, JSON bodies, tenant TOML, CLI arguments,
the admin's JSON settings fields, stored rows (data migration) and a failed transaction's teardown."""
import json
import unicodedata
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError, PendingRollbackError

from cli import cli
from core.admin.settings_form import parse as parse_settings
from core.extensions import db
from core.tenancy.models import OrgUnit, Tenant
from core.tenancy.scope import tenant_scope
from core.testing import unique
from core.text import BadJson, clean, is_clean, load_json, require_clean
from core.text_rows import clean_stored_text

XML_CHAR = ("\t", "\n", "\r")


def xml_allowed(ch: str) -> bool:
    """XML 1.0 §2.2 Char, less the non-characters (Unicode §23.7)."""
    cp = ord(ch)
    if ch in XML_CHAR or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF:
        return not (0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE)
    return False


@given(st.text(alphabet=st.characters(exclude_categories=[], min_codepoint=0, max_codepoint=0x10FFFF), max_size=60))
@settings(max_examples=400, deadline=None)
def test_clean_output_is_xml_safe_nfc_utf8_and_idempotent(raw):
    out = clean(raw)
    assert all(xml_allowed(ch) for ch in out), ascii(out)
    assert unicodedata.is_normalized("NFC", out) and is_clean(out) and clean(out) == out
    out.encode("utf-8")  # no lone surrogate left
    ET.fromstring(f"<a>{out.replace('&', '&amp;').replace('<', '&lt;')}</a>".encode())


@pytest.mark.parametrize("raw, expected", [
    ("a\uffffb", "ab"), ("a\ufffeb", "ab"), ("a\x00b", "ab"), ("\x01\x08\x0b\x0c\x0e\x1f\x7fok", "\x7fok"),
    ("tab\tlf\ncr\r", "tab\tlf\ncr\r"), ("\ud83d", "\ufffd"), ("x\udc00y", "x\ufffdy"), ("😀", "😀"),
    ("Cafe\u0301", "Café"), ("\ufdd0\U0001ffff\U0010fffe", ""), ("\u202eRTL", "RTL"), ("", ""),
])
def test_clean_examples(raw, expected):
    assert clean(raw) == expected


def test_require_clean_refuses_naming_the_field():
    assert require_clean("Cafe\u0301", "id") == "Café"
    for bad in ("a\x00", "\uffff", "\ud83d"):
        with pytest.raises(BadJson.__mro__[1]) as caught:  # ValidationError
            require_clean(bad, "message_id")
        assert caught.value.where == "message_id" and caught.value.code == "invalid_characters"


@pytest.mark.parametrize("raw, code", [
    (b"\xff{}", "invalid_encoding"), (b"{'a': 1}", "invalid_json"), (b"[NaN]", "invalid_json"),
    (b"[" * 100_000 + b"]" * 100_000, "json_too_deep"), (b"[" * 33 + b"]" * 33, "json_too_deep"),
    (b"9" * 5000, "invalid_json"), (b"", "invalid_json"),
])
def test_load_json_refuses_with_a_stable_code(raw, code):
    with pytest.raises(BadJson) as caught:
        load_json(raw)
    assert caught.value.code == code and isinstance(caught.value, ValueError)


def test_load_json_cleans_keys_and_values():
    assert load_json(b'\xef\xbb\xbf{"a\\u0000": ["\\ud83d", "e\\u0301", 1, null]}') == {"a": ["\ufffd", "é", 1, None]}
    assert load_json(b"[" * 32 + b"]" * 32) is not None


# -- the request class -----------------------------------------------------------------------------

def test_the_request_class_cleans_args_form_view_args_and_json(app):
    from flask import request

    with app.test_request_context("/x/a%00b?q=%EF%BF%BFx%00&e=Cafe%CC%81", method="POST",
                                  data={"name": "Rani\x00\uffff", "c": "e\u0301", "new_password": "e\u0301\x01"}):
        assert request.args["q"] == "x" and request.args["e"] == "Café"
        assert request.form["name"] == "Rani" and request.form["c"] == "é"
        assert request.form["new_password"] == "e\u0301\x01"  # compared, never stored: as typed
        request.view_args = {"number": "a\x00b", "id": 3}
        assert request.view_args == {"number": "ab", "id": 3}
    with app.test_request_context("/", method="POST", data=b'{"a": "\\ud83d\\u0000"}', content_type="application/json"):
        assert request.get_json() == {"a": "\ufffd"}
    with app.test_request_context("/", method="POST", data=b"[" * 50 + b"]" * 50, content_type="application/json"):
        assert request.get_json(silent=True) is None
        from core.web_request import JsonBodyError

        with pytest.raises(JsonBodyError) as caught:
            request.get_json()
        assert caught.value.code == 400 and caught.value.error_code == "json_too_deep"


def test_a_failed_flush_does_not_fail_again_in_teardown(app, create_tenant):
    """The kind behind issue 10 item 7's PendingRollbackError: a flush fails inside a request; the
    teardown (leaving the tenant scope) must not use the failed transaction again."""
    from core.tenancy.resolve import enter_tenant, release_tenant

    tenant = create_tenant()
    with app.test_request_context(f"/t/{tenant.slug}/"):
        enter_tenant(db.session.get(Tenant, tenant.id))
        db.session.add(OrgUnit(kind="agency", code=None, name=None))  # NOT NULL: the flush fails
        with pytest.raises(IntegrityError):
            db.session.flush()
        with pytest.raises(PendingRollbackError):
            db.session.connection()  # the session is unusable until rolled back...
        release_tenant(None)  # ...and the teardown copes: no second failure
        assert db.session.execute(sql("SELECT 1")).scalar() == 1


# -- tenant TOML and CLI arguments ------------------------------------------------------------------

@pytest.fixture
def run(app):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info)


TOML = """slug = "{slug}"
name = "Kota \\u0000Hostile\\uFFFF Cafe\\u0301"
kind = "city"
timezone = "Asia/Makassar"
domains = ["{slug}.example.test"]
[[agencies]]
code = "DLH"
name = "Dinas \\u001bLingkungan\\uFFFE Hidup"
"""


def test_tenant_toml_is_cleaned_where_it_enters(app, run, tmp_path):
    slug = unique("tx")
    path = tmp_path / f"{slug}.toml"
    path.write_text(TOML.format(slug=slug), encoding="utf-8")
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 0, result.output
    with app.app_context():
        tenant = db.session.execute(db.select(Tenant).where(Tenant.slug == slug)).scalar_one()
        assert tenant.name == "Kota Hostile Café"
        with tenant_scope(tenant):
            assert db.session.execute(db.select(OrgUnit.name)).scalars().all() == ["Dinas Lingkungan Hidup"]


def test_a_tenant_file_that_is_not_utf8_is_one_line_exit_2(run, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_bytes(b'slug = "x\xff"\n')
    result = run("tenant", "apply", str(path))
    assert result.exit_code == 2 and f"{path}: is not UTF-8" in result.output
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    result = run("tenant", "apply", str(deep))
    assert result.exit_code == 2 and str(deep) in result.output and "Traceback" not in result.output


def test_cli_arguments_that_become_stored_text_are_cleaned(app, run):
    slug = unique("ta")
    result = run("tenant", "add", slug, "--name", "Kota\x00 Surrogate \udcff Cafe\u0301", "--kind", "city",
                 "--timezone", "Asia/Makassar")
    assert result.exit_code == 0, result.output
    with app.app_context():
        name = db.session.execute(db.select(Tenant.name).where(Tenant.slug == slug)).scalar_one()
    assert name == "Kota Surrogate \ufffd Café"


# -- the admin's JSON settings fields ----------------------------------------------------------------

def test_a_json_settings_field_that_is_too_deep_or_not_json_is_a_form_error(app):
    schema = {"properties": {"items": {"type": "array"}, "title": {"type": "string"}}}
    with app.test_request_context():
        for raw in ("[" * 100_000 + "]" * 100_000, "[" * 40 + "]" * 40, "[NaN]", "{'a': 1}"):
            settings_, errors = parse_settings(schema, {"items": raw, "title": "ok"})
            assert list(errors) == ["items"], raw[:10]
        settings_, errors = parse_settings(schema, {"items": '["a\\u0000", "\\ud83d"]', "title": "t"})
        assert errors == {} and settings_["items"] == ["a", "\ufffd"]


# -- rows stored before intake cleaned text ----------------------------------------------------------

def test_stored_rows_are_cleaned_by_the_data_migration(app, create_tenant):
    from core.migrate import owner_engine

    tenant = create_tenant()
    dirty = "Dinas \uffff Kebersihan\x01 Cafe\u0301"
    with app.app_context():
        with tenant_scope(tenant):
            unit = db.session.execute(db.select(OrgUnit)).scalars().first()
            unit_id = unit.id
        engine = owner_engine(app)
        try:
            with engine.begin() as conn:  # as an old release stored it, past every intake
                conn.execute(sql("UPDATE org_units SET name = :n WHERE id = :i"), {"n": dirty, "i": unit_id})
                conn.execute(sql("UPDATE tenants SET name = :n WHERE id = :i"), {"n": dirty, "i": tenant.id})
            with engine.begin() as conn:
                changed = clean_stored_text(conn, ["tenants", "org_units", "no_such_table"])
            with engine.begin() as conn:
                assert changed >= 2
                names = conn.execute(sql("SELECT name FROM org_units WHERE id = :i"), {"i": unit_id}).scalar_one()
                assert names == "Dinas  Kebersihan Café"
                assert conn.execute(sql("SELECT name FROM tenants WHERE id = :i"),
                                    {"i": tenant.id}).scalar_one() == "Dinas  Kebersihan Café"
                assert clean_stored_text(conn, ["tenants", "org_units"]) == 0  # idempotent
        finally:
            engine.dispose()


def test_json_columns_are_cleaned_too(app, create_tenant):
    from core.migrate import owner_engine

    tenant = create_tenant(modules={"notes": {"greeting": "Halo"}})
    with app.app_context():
        engine = owner_engine(app)
        try:
            with engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sql("SELECT set_config('pamong.tenant_ids', :t, true)"), {"t": str(tenant.id)})
                conn.execute(sql("UPDATE tenant_modules SET settings = :s WHERE tenant_id = :t"),
                             {"s": json.dumps({"greeting": "Halo\uffff\u0001"}), "t": tenant.id})
            with engine.begin() as conn:
                clean_stored_text(conn, ["tenant_modules"])
                if conn.dialect.name == "postgresql":
                    conn.execute(sql("SELECT set_config('pamong.tenant_ids', :t, true)"), {"t": str(tenant.id)})
                raw = conn.execute(sql("SELECT settings FROM tenant_modules WHERE tenant_id = :t"),
                                   {"t": tenant.id}).scalar_one()
            settings_ = raw if isinstance(raw, dict) else json.loads(raw)
            assert settings_["greeting"] == "Halo"
        finally:
            engine.dispose()
