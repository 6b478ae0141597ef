"""The settings form's shapes (core/admin/settings_form/), on a schema that has them all: a list
of rows with a list inside, a table named by codes with scalar values, grouped fields, checkboxes of
choices, one number a line; errors named by the row as it is shown again."""
import pytest
from werkzeug.datastructures import MultiDict

from core.admin import settings_form as sf

SCHEMA = {"type": "object", "properties": {
    "rows": {"type": "array", "default": [], "items": {
        "type": "object", "additionalProperties": False, "required": ["code"],
        "properties": {"code": {"type": "string", "minLength": 1, "maxLength": 4},
                       "size": {"type": "integer", "minimum": 1, "maximum": 10},
                       "on": {"type": "boolean"},
                       "tags": {"type": "array", "items": {"type": "string"}},
                       "inner": {"type": "array", "items": {"type": "object", "properties": {
                           "k": {"type": "string"}}}}}}},
    "ratings": {"type": "object", "default": {}, "additionalProperties": {"type": "number", "minimum": 0, "maximum": 100}},
    "group": {"type": "object", "default": {}, "properties": {"a": {"type": "string", "default": ""},
                                                              "b": {"type": "integer", "default": 1}}},
    "days": {"type": "array", "default": [], "uniqueItems": True, "items": {"enum": ["mon", "tue", "wed"]}},
    "weekdays": {"type": "array", "default": [], "items": {"type": "integer", "minimum": 0, "maximum": 6}},
    "mode": {"enum": ["a", "b"], "default": "a"},
}}
VALUE = {"rows": [{"code": "A", "size": 2, "on": True, "tags": ["x", "y"], "inner": [{"k": "v"}]}, {"code": "B"}],
         "ratings": {"baik": 100, "cukup": 62.5}, "group": {"a": "hai", "b": 3}, "days": ["tue"],
         "weekdays": [0, 4], "mode": "b"}


@pytest.fixture
def ctx(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):  # the messages as written (they are translated)
        yield


def test_kinds(ctx):
    assert [f["widget"] for f in sf.fields(SCHEMA, VALUE)] == ["rows", "map", "group", "choices", "lines", "select"]
    assert [f["widget"] for f in sf.fields(SCHEMA, VALUE, advanced=True)][:3] == ["json", "json", "json"]


def test_what_the_form_shows_reads_back_as_it_was(ctx):
    settings, errors = sf.parse(SCHEMA, MultiDict(sf.as_form(SCHEMA, VALUE)))
    assert errors == {} and settings == VALUE and sf.check(SCHEMA, settings) == {}


def test_errors_are_named_by_the_row_as_shown_again(ctx):
    data = MultiDict(sf.as_form(SCHEMA, VALUE))
    data.setlist("rows.0.__del", ["1"])  # the first row removed: the second becomes row 0
    data.setlist("rows.1.size", ["11"])
    data.setlist("rows.2.code", ["TOOLONG"])  # the empty row, filled in
    data.setlist("ratings.1.__value", ["abc"])
    data.setlist("weekdays", ["1\nsenin\n9"])
    settings, errors = sf.parse(SCHEMA, data)
    assert [r["code"] for r in settings["rows"]] == ["B", "TOOLONG"]
    assert errors == {"ratings.1.__value": "Write a number.", "weekdays": "“senin” is not a number."}
    checked = sf.check(SCHEMA, settings)
    assert checked["rows.0.size"] == "At most 10."
    assert checked["rows.1.code"] == "At most 4 characters."
    assert checked["weekdays.2"] == "At most 6."
    placed = sf.place(sf.merge(errors, checked), sf.fields(SCHEMA, settings))
    assert placed["weekdays"] == "“senin” is not a number."  # not also its type error
    placed = sf.place(checked, sf.fields(SCHEMA, settings))
    assert "3: At most 6." in placed["weekdays"]  # no field per entry: on the list, the entry named


def test_a_table_named_by_codes(ctx):
    data = MultiDict(sf.as_form(SCHEMA, VALUE))
    data.setlist("ratings.1.__key", ["baik"])
    _settings, errors = sf.parse(SCHEMA, data)
    assert errors == {"ratings.1.__key": "This code appears twice."}
    data.setlist("ratings.1.__key", [""])
    assert sf.parse(SCHEMA, data)[1] == {"ratings.1.__key": "Required."}
    assert sf.name_of(SCHEMA, VALUE, ["ratings", "cukup"]) == "ratings.1.__value"


def test_a_forged_form_is_refused_not_followed(ctx):
    data = MultiDict(sf.as_form(SCHEMA, VALUE))
    data.setlist("rows.__n", ["999999999"])  # bounded: only the rows posted are read
    assert sf.parse(SCHEMA, data)[0]["rows"] == VALUE["rows"]
    data.setlist("rows.__n", ["many"])
    assert "rows" in sf.parse(SCHEMA, data)[1]
    data = MultiDict(sf.as_form(SCHEMA, VALUE))
    data.setlist("days", ["", "tue", "sun"])
    assert sf.check(SCHEMA, sf.parse(SCHEMA, data)[0]) == {"days.1": "Choose one of: mon, tue, wed."}
    data = MultiDict(sf.as_form(SCHEMA, VALUE))
    del data["group.b"]
    assert "group.b" in sf.parse(SCHEMA, data)[1]  # a field left out is an error, never its default


def test_advanced_json_names_line_and_column(ctx):
    data = MultiDict(sf.as_form(SCHEMA, VALUE, advanced=True))
    data.setlist("rows", ['[\n {"code": "A"\n]'])
    assert sf.parse(SCHEMA, data)[1] == {"rows": "Not valid JSON: line 3, column 1."}
    data.setlist("rows", ['[{"code": "A", "size": 0}]'])
    settings, errors = sf.parse(SCHEMA, data)
    assert errors == {} and settings["rows"] == [{"code": "A", "size": 0}]
    placed = sf.place(sf.check(SCHEMA, settings), sf.fields(SCHEMA, settings, advanced=True))
    assert placed == {"rows": "1.size: At least 1."}
