"""A refusal as an API says it (``core.errors.api_message``, used by ``unit_of_work(api=True)``): the
raiser's words in the request's language after its ``where``, a file's problems one by one."""
import pytest
from flask_babel import force_locale
from werkzeug.exceptions import HTTPException

from core.errors import NotFound, ValidationError, api_message, join_problems
from core.unit_of_work import unit_of_work


def _file_refused(more: int) -> ValidationError:
    first = ValidationError("No employee has this NIP.", where="line 2: nip", local="Tidak ada pegawai dengan NIP ini.")
    second = ValidationError("Not a date.", where="line 3: first_day", local="Baris 3, kolom first_day: Bukan tanggal.")
    second.problem = "Bukan tanggal."   # ``local`` names the place itself for a page: the API says the problem alone
    refused = ValidationError("line 2: nip: ...; line 3: first_day: ...")
    refused.problems, refused.more = [first, second], more
    return refused


def test_the_raisers_words_after_the_field_and_a_whole_object_without_one(app):
    with app.test_request_context():
        assert api_message(ValidationError("Too long.", where="title", local="Terlalu panjang.")) == \
            "title: Terlalu panjang."
        assert api_message(ValidationError("Too long.", where="title")) == "title: Too long."
        assert api_message(NotFound("No such permit.")) == "No such permit."
        revoked = ValidationError("Already revoked.", where="application", local="Sudah dicabut.")
        assert api_message(revoked) == "application: Sudah dicabut."
        assert api_message(revoked, whole="application") == "Sudah dicabut."


def test_a_files_problems_joined_one_by_one_in_the_readers_language(app):
    with app.test_request_context():
        assert api_message(_file_refused(0)) == ("line 2: nip: Tidak ada pegawai dengan NIP ini; "
                                                 "line 3: first_day: Bukan tanggal.")
        with force_locale("id"):
            assert api_message(_file_refused(2)).endswith("line 3: first_day: Bukan tanggal (dan 2 lainnya)")
        with force_locale("en"):
            assert join_problems(["a.", "b."], 3) == "a; b (and 3 more)"
        assert join_problems([]) == ""


def test_unit_of_work_answers_the_api_in_those_words(app, create_tenant):
    from flask import g

    from core.kit import Tenant, db

    tenant = create_tenant()
    with app.test_request_context():
        g.tenant = db.session.get(Tenant, tenant.id)
        with pytest.raises(HTTPException) as refused, unit_of_work(api=True, whole="application"):
            raise ValidationError("Already revoked.", where="application", local="Sudah dicabut.",
                                  code="already_revoked")
        assert (refused.value.code, refused.value.pamong_code, refused.value.pamong_message) == \
            (400, "already_revoked", "Sudah dicabut.")
        with pytest.raises(HTTPException) as refused, unit_of_work(api=True):
            raise _file_refused(0)
        assert refused.value.pamong_message.startswith("line 2: nip: Tidak ada pegawai")
