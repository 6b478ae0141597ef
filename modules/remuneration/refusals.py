"""A refused input file, said twice from one message of the module's catalogue: ``message`` (its
English) and ``where`` in the command line's one line (``error: FILE: line N: field: problem``,
English like every ``pamong`` command), and ``local`` in the reader's language for the page
("Baris 3, kolom nip: Tidak ada pegawai dengan NIP ...").

The file's column names (``nip``, ``timestamp``, ``first_day``) are the format's and are written as
they are in both languages; everything around them goes through the module's catalogue.
"""
from __future__ import annotations

from contextlib import contextmanager

from core.kit import ValidationError, join_problems

from . import _l  # the module's own domain: also right outside its pages (a background job, the CLI)


def at_row(line: int, column: str, local) -> ValidationError:
    """A refused cell: ``where`` ``line N: column`` (or ``line N`` for the whole row); the message
    is ``local``'s English. ``line`` 0: a field of the admin's form (``where`` the field's name)."""
    if line == 0:
        refusal = ValidationError(_english(local), where=column, local=local)
    else:
        where = f"line {line}: {column}" if column else f"line {line}"
        said_here = (_l("Line %(line)s, column %(column)s: %(problem)s", line=line, column=column, problem=local)
                     if column else _l("Line %(line)s: %(problem)s", line=line, problem=local))
        refusal = ValidationError(_english(local), where=where, local=said_here)
    refusal.problem = local   # the problem alone in the reader's language: the API says it after ``where``
    return refusal


MAX_SAID = 50  # a file's problems said at once; the rest counted


class _Joined:
    """The problems' local texts joined with "; " in the reader's language when read (lazy)."""

    def __init__(self, problems, more: int):
        self.problems, self.more = problems, more

    def __str__(self) -> str:
        return join_problems([str(said(p)) for p in self.problems], self.more)


def all_at_once(problems: list[ValidationError]) -> ValidationError:
    """Every problem of a file or a form in one refusal: the first ``MAX_SAID`` joined with "; "
    in ``message`` (English, the CLI's one line: ``line 2: nip: ...; line 3: agency: ...``) and in
    ``local``; ``.problems`` (those said, each with its ``where``) and ``.more`` (how many were not
    said) for a page that lists them. One problem: that problem itself."""
    shown, more = problems[:MAX_SAID], max(0, len(problems) - MAX_SAID)
    if len(problems) == 1:
        refusal = problems[0]
    else:
        from flask_babel import force_locale

        with force_locale("en"):
            message = join_problems([str(p) for p in shown], more)
        refusal = ValidationError(message, local=_Joined(shown, more))
    refusal.problems, refusal.more = shown, more
    return refusal


class Problems:
    """A file's refused rows collected, so that every bad line is said at once (``all_at_once``)::

        problems = Problems()
        for row in rows:
            with problems.row():   # a ValidationError of the row: kept, the row skipped
                ...
        problems.raise_any()       # nothing written when any row was refused
    """

    def __init__(self):
        self.found: list[ValidationError] = []

    @contextmanager
    def row(self):
        try:
            yield
        except ValidationError as exc:
            self.found.append(exc)

    def raise_any(self) -> None:
        if self.found:
            raise all_at_once(self.found)


def in_file(local) -> ValidationError:
    """A refused file as a whole (not readable, empty): no ``where``, as the CLI's line and the page
    name the file themselves."""
    return ValidationError(_english(local), local=local)


def _english(local) -> str:
    from flask_babel import force_locale

    with force_locale("en"):
        return str(local)


def said(exc: ValidationError):
    """What a page shows of a refusal: its ``local`` where the raiser gave one, else its message."""
    return exc.local if getattr(exc, "local", None) is not None else exc.message


def refuse(cls, local, *, where: str = "", code: str | None = None):
    """``cls`` (a ``PamongError``) from one lazy message of the module's catalogue: ``local`` for
    the reader, ``message`` the same words in English (the CLI's line, the logs)."""
    return cls(_english(local), where=where, code=code, local=local)


def in_each_language(local, locales) -> dict[str, str]:
    """``{locale: text}`` of a lazy message: kept by a background job for a page read later in
    the reader's language."""
    from flask_babel import force_locale

    said_in = {}
    for locale in locales:
        with force_locale(locale):
            said_in[locale] = str(local)
    return said_in
