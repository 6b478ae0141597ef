"""Every setting of every module (and the core's documents settings) has a label in both
languages, and no help text shows in English on an Indonesian page (issue 19.3): the admin form is
built from these words (core/admin/settings_form/)."""
import pytest
from flask_babel.speaklater import LazyString


def _properties(schema, path=""):
    if not isinstance(schema, dict):
        return
    for key, sub in (schema.get("properties") or {}).items():
        yield f"{path}{key}", sub
        yield from _walk(sub, f"{path}{key}.")


def _walk(sub, path):
    if not isinstance(sub, dict):
        return
    yield from _properties(sub, path)
    if isinstance(sub.get("items"), dict):
        yield from _properties(sub["items"], path)
    if isinstance(sub.get("additionalProperties"), dict):
        yield from _properties(sub["additionalProperties"], path)


def _schemas(app):
    from core.documents.settings import SCHEMA

    yield "core.documents", SCHEMA
    for name, spec in app.extensions["pamong"].modules.items():
        if name != "notes":  # the test module
            yield name, spec.schema


def test_every_setting_has_a_label_in_both_languages_and_no_english_only_help(app):
    problems = []
    for module, schema in _schemas(app):
        for path, sub in _properties(schema):
            label = sub.get("x-label")
            if not (isinstance(label, dict) and label.get("id") and label.get("en")) \
                    and not isinstance(sub.get("title"), LazyString):
                problems.append(f"{module}: {path}: no x-label {{id, en}}")
            help_ = sub.get("x-help")
            if help_ is not None and not (isinstance(help_, dict) and help_.get("id") and help_.get("en")):
                problems.append(f"{module}: {path}: x-help lacks a language")
            description = sub.get("description")
            if description and help_ is None and not isinstance(description, LazyString):
                problems.append(f"{module}: {path}: English-only description and no x-help")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("locale, expected", [("id", "Kategori pengaduan"), ("en", "Complaint categories")])
def test_labels_and_help_follow_the_locale(app, locale, expected):
    from flask_babel import force_locale

    from core.admin.settings_form import fields, help_of, label_of

    schema = {"type": "object", "properties": {
        "categories": {"type": "array", "items": {"type": "string"},
                       "x-label": {"id": "Kategori pengaduan", "en": "Complaint categories"},
                       "x-help": {"id": "Satu per baris.", "en": "One a line."}},
        "reopen_days": {"type": "integer", "description": "Days a citizen may reopen"},
    }}
    with app.test_request_context(), force_locale(locale):
        (categories, reopen) = fields(schema, {})
        assert categories["label"] == expected
        assert categories["help"] == ("Satu per baris." if locale == "id" else "One a line.")
        assert reopen["label"] == "Reopen days"  # no label: the humanised key, never the raw one
        assert reopen["help"] == ("" if locale == "id" else "Days a citizen may reopen")  # no English on id pages
        assert label_of("x", {"title": "T"}) == "T" and help_of({}) == ""
