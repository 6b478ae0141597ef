"""How ``core.api.schemas.read_body`` names a body's first problem (issue 19.7): the stable code
from the model's ``error_codes`` (text, or a dict by pydantic error type), a nested model's own
codes, ``where`` as the field's path without a union's member tags, and a signed webhook's body
read exactly as signed."""
from __future__ import annotations

import json
from typing import Annotated, ClassVar

import pytest
from flask import g
from pydantic import Field, StrictInt

from core.api.schemas import ApiModel, read_body
from core.errors import ValidationError
from core.webhooks import SignedRequest


class Item(ApiModel):
    code: str = Field(pattern=r"^[A-Z]+$")
    size: StrictInt = 1
    error_codes: ClassVar = {"code": "bad_code"}


class Order(ApiModel):
    amount: StrictInt = Field(ge=1)
    note: str = ""
    items: list[Item] = Field(default_factory=list, max_length=2)
    price: Annotated[StrictInt, Field(ge=1)] | Annotated[str, Field(pattern=r"^[0-9]+$")] = 1
    error_codes: ClassVar = {
        "amount": {"greater_than_equal": "amount_not_positive", "missing": "amount_missing",
                   "*": "amount_not_integer"},
        "items": {"too_long": "too_many", "*": "bad_items"},
        "*": "invalid_other",
    }


class Plain(ApiModel):
    name: str
    count: int = 0
    error_codes: ClassVar = {"count": "bad_count"}


def _problem(app, model, body) -> tuple[str, str]:
    with app.test_request_context("/", method="POST", json=body):
        with pytest.raises(ValidationError) as caught:
            read_body(model)
    return caught.value.code, caught.value.where


@pytest.mark.parametrize("body,code,where", [
    ({"amount": 0}, "amount_not_positive", "amount"),
    ({"amount": 1.0}, "amount_not_integer", "amount"),
    ({"amount": "1"}, "amount_not_integer", "amount"),
    ({}, "amount_missing", "amount"),                              # a dict's 'missing' entry
    ({"amount": 1, "note": 5}, "invalid_other", "note"),           # '*' for the fields not named
    ({"amount": 1, "items": "x"}, "bad_items", "items"),
    ({"amount": 1, "items": [{"code": "A"}] * 3}, "too_many", "items"),
    ({"amount": 1, "items": [{"code": "A"}, 7]}, "bad_items", "items.1"),   # the item itself
    ({"amount": 1, "items": [{"code": "A"}, {"code": "a"}]}, "bad_code", "items.1.code"),  # the nested model's
    ({"amount": 1, "items": [{}]}, "required", "items.0.code"),    # a text code leaves 'missing' required
    ({"amount": 1, "items": [{"code": "A", "size": "2"}]}, "bad_items", "items.0.size"),  # else the enclosing field's
    ({"amount": 1, "price": "1.5"}, "invalid_other", "price"),      # no 'price.int' / 'price.str'
    ({"amount": 1, "price": 0}, "invalid_other", "price"),
])
def test_the_first_problem_gets_its_stable_code_and_path(app, body, code, where):
    assert _problem(app, Order, body) == (code, where)


def test_a_text_code_is_for_type_errors_and_a_missing_field_stays_required(app):
    assert _problem(app, Plain, {"name": "x", "count": "many"}) == ("bad_count", "count")
    assert _problem(app, Plain, {"count": 1}) == ("required", "name")
    assert _problem(app, Plain, {"name": 3}) == ("invalid_field", "name")


def test_good_bodies_pass_with_unknown_keys_ignored(app):
    with app.test_request_context("/", method="POST", json={"amount": 2, "price": "15", "extra": True,
                                                            "items": [{"code": "AB", "size": 3}]}):
        order = read_body(Order)
    assert (order.amount, order.price, order.items[0].size) == (2, "15", 3)


def test_a_signed_body_is_read_as_signed_whatever_the_content_type(app):
    raw = json.dumps({"amount": 3}).encode()
    with app.test_request_context("/", method="POST", data=b"ignored", content_type="text/plain"):
        g.webhook = SignedRequest(raw, "digest", 0)
        assert read_body(Order).amount == 3
        g.webhook = SignedRequest(b"[1]", "digest", 0)
        with pytest.raises(ValidationError) as caught:
            read_body(Order)
    assert caught.value.code == "invalid_json"
    with app.test_request_context("/", method="POST", data=raw, content_type="text/plain"):
        with pytest.raises(ValidationError) as unsigned:  # not signed: the Content-Type must say JSON
            read_body(Order)
    assert unsigned.value.code == "invalid_json"
