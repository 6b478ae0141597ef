"""An API's validation errors in the request's language (core/api/error_messages.py): pydantic's
English ("Input should be a valid integer") never reaches a person; the stable codes stay."""
from typing import ClassVar, Literal

import pytest
from flask_babel import force_locale
from pydantic import BaseModel, Field, ValidationError as PydanticError, field_validator

from core.api.error_messages import message
from core.api.schemas import _problem


class Body(BaseModel):
    amount: int = Field(ge=1, le=1000)
    ratio: float = 0.5
    name: str = Field("x", min_length=2, max_length=5)
    kind: Literal["in", "out"] = "in"
    tags: list[str] = Field(default_factory=list, max_length=2)
    flag: bool = False
    error_codes: ClassVar = {"amount": {"greater_than_equal": "amount_not_positive", "*": "amount_invalid"}}

    @field_validator("ratio")
    @classmethod
    def _small(cls, v):
        if v > 1:
            raise ValueError("Rasio paling besar 1.")  # a validator's own (already translated) words
        return v


def first_error(data):
    with pytest.raises(PydanticError) as exc:
        Body.model_validate(data)
    return exc.value


CASES = [  # (body, Indonesian, English)
    ({}, "Kolom ini wajib diisi.", "This field is required."),
    ({"amount": "banyak"}, None, "Not a valid integer value."),
    ({"amount": 0}, None, "Number must be at least 1."),
    ({"amount": 5000}, None, "Number must be at most 1000."),
    ({"amount": 5, "name": "a"}, None, "Field must be at least 2 characters long."),
    ({"amount": 5, "name": "abcdefgh"}, None, "Field cannot be longer than 5 characters."),
    ({"amount": 5, "kind": "up"}, "Nilai tidak sah, harus salah satu dari: 'in', 'out'.",
     "Invalid value, must be one of: 'in', 'out'."),   # no English "or" inside another language
    ({"amount": 5, "tags": ["a", "b", "c"]}, None, "Must have at most 2 items."),
    ({"amount": 5, "flag": "maybe"}, None, "Must be true or false."),
    ({"amount": 5, "name": 12}, None, "Must be text."),
    ({"amount": 5, "ratio": 3}, "Rasio paling besar 1.", "Rasio paling besar 1."),
]


@pytest.mark.parametrize("body, indonesian, english", CASES)
def test_each_kind_of_error_is_in_words_of_the_page_language(app, body, indonesian, english):
    error = first_error(body).errors(include_url=False)[0]
    with app.test_request_context():
        with force_locale("en"):
            assert message(error) == english
        with force_locale("id"):
            said = message(error)
    assert said and "Input should" not in said and "should be" not in said
    if indonesian:
        assert said == indonesian
    elif english != said:  # translated: not the English words
        assert said != english
    else:
        pytest.fail(f"no Indonesian for {english!r}")


def test_the_answer_keeps_its_stable_code_and_field(app):
    with app.test_request_context(), force_locale("id"):
        problem = _problem(Body, first_error({"amount": 0}))
    assert (problem.code, problem.where) == ("amount_not_positive", "amount")
    assert str(problem) == "amount: Angka paling kecil 1."  # where: message, as every ValidationError
