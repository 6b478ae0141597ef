"""Permit types are checked where they are written: a fee formula that does not parse (or names no
number field), a stage that names no position/role or an unknown agency, an unknown number-pattern
placeholder, a form-field code that clashes; and the formulas compute what the Perda's table says."""
from __future__ import annotations

import pytest

from core.kit import PamongError, ValidationError

from .. import fees
from .conftest import PBG, SETTINGS


def with_type(**changes):
    return {**SETTINGS, "types": [{**PBG, **changes}]}


@pytest.mark.parametrize("changes,where", [
    ({"fee": "fixed lots"}, "types[0].fee"),
    ({"fee": "per_unit 1000 * tinggi"}, "types[0].fee"),
    ({"fee": "table luas_m2 500:1 100:2"}, "types[0].fee"),
    ({"stages": [{"label_id": "A", "label_en": "A", "role": "officer", "unit": "NOPE"}]}, "types[0].stages[0].unit"),
    ({"stages": [{"label_id": "A", "label_en": "A"}]}, "types[0].stages[0]"),
    ({"stages": [{"label_id": "A", "label_en": "A", "position": "KADIS-X"}]}, "types[0].stages[0].position"),
    ({"number_pattern": "{type}/{nomor}"}, "types[0].number_pattern"),
    ({"requirements": [{"code": "nik", "label_id": "x", "label_en": "x", "kind": "field"}], "fee": "0"},
     "types[0].requirements"),
])
def test_a_bad_permit_type_is_refused_naming_its_key(make_tenant, changes, where):
    with pytest.raises(PamongError) as exc:
        make_tenant(with_type(**changes))
    assert where in f"{exc.value.where} {exc.value}"


def test_two_types_with_one_code_are_refused(make_tenant):
    with pytest.raises(PamongError, match="twice"):
        make_tenant({**SETTINGS, "types": [PBG, PBG]})


@pytest.mark.parametrize("formula,values,amount", [
    ("0", {}, 0), ("free", {}, 0), ("fixed 250000", {}, 250_000),
    ("per_unit 15000 * luas_m2 min 100000", {"luas_m2": "3"}, 100_000),
    ("per_unit 15000 * luas_m2", {"luas_m2": "10,5"}, 157_500),
    ("table luas_m2 100:500000 500:1500000 *:3000000", {"luas_m2": "100"}, 500_000),
    ("table luas_m2 100:500000 500:1500000 *:3000000", {"luas_m2": "100.01"}, 1_500_000),
    ("table luas_m2 100:500000 500:1500000 *:3000000", {"luas_m2": "9000"}, 3_000_000),
    ("table luas_m2 100:500000", {"luas_m2": "101"}, None),
])
def test_fee_formulas(formula, values, amount):
    parsed = fees.parse(formula)
    if amount is None:
        with pytest.raises(ValidationError):
            parsed.amount_for(values)
    else:
        assert parsed.amount_for(values) == amount


@pytest.mark.parametrize("value", ["", "abc", "-5", "NaN", "1e400"])
def test_a_fee_field_that_is_not_a_number_is_named(value):
    with pytest.raises(ValidationError) as exc:
        fees.parse("per_unit 10 * luas_m2").amount_for({"luas_m2": value})
    assert exc.value.where == "luas_m2"


def test_every_problem_of_every_type_is_named_at_once(make_tenant):
    broken = [{**PBG, "fee": "fixed lots"}, {**PBG, "code": "SKU", "number_pattern": "{type}/{nomor}"}]
    with pytest.raises(PamongError) as exc:
        make_tenant({**SETTINGS, "types": broken})
    text = str(exc.value)
    assert "types[0].fee" in text and "types[1].number_pattern" in text
