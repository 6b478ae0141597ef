"""Errors the core raises for bad input; each renders as one line naming where and what."""


class PamongError(Exception):
    """Base class: an error a user caused and can fix (CLI exit 2, HTTP 4xx)."""

    code = "invalid"
    # the problem alone in the reader's language, where ``local`` names the place itself for a page
    # that shows it alone ("Baris 3, kolom nip: ..."): an API says it after ``where`` (``api_message``)
    problem = None

    def __init__(self, message: str, *, where: str = "", code: str | None = None, local=None):
        super().__init__(message)
        self.message = message
        self.where = where
        # the same message in the reader's language (a lazy gettext string), where the raiser has
        # it: pages show it, the CLI and logs keep ``message`` (issue 20.7)
        self.local = local
        if code:
            self.code = code

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ValidationError(PamongError):
    code = "validation_error"


class Problems(ValidationError):
    """Several refusals of one input, each a ``ValidationError`` with its own ``where``, ``code`` and
    ``local`` (``problems``, in the order found): a form shows each at its field and all in its
    summary. ``where``, ``code`` and ``local`` are the first one's, for a caller that answers one
    error; ``str()`` names them all, on one line (the CLI's)."""

    def __init__(self, problems: list):
        first = problems[0]
        super().__init__(first.message, where=first.where, code=first.code, local=first.local)
        self.problems = list(problems)

    def __str__(self) -> str:
        return join_problems([str(p) for p in self.problems])


def raise_all(problems: list) -> None:
    """Nothing when ``problems`` is empty; the one problem itself; else ``Problems``."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems)


class NotFound(PamongError):
    code = "not_found"


class ModuleError(PamongError):
    """A module cannot be loaded: start-up stops with this error."""

    code = "module_error"


def join_problems(texts: list[str], more: int = 0) -> str:
    """``texts`` joined with "; ", each without its own full stop but the last ("line 2: nip: ...;
    line 3: name: ..." never "...here.; line 3"); ``more`` problems not said counted after them,
    "(and 10 more)" in the reader's language (then the last loses its full stop too)."""
    cut = [t.rstrip().rstrip(".") for t in texts]
    if texts and not more:
        cut[-1] = texts[-1]
    said = "; ".join(cut)
    if more:
        from flask_babel import gettext

        said += " " + gettext("(and %(count)s more)", count=more)
    return said


def api_message(exc: PamongError, whole: str = "") -> str:
    """A refusal as an API says it, in the request's language: the problem (the raiser's ``problem``
    or ``local`` where given, else ``message``) after its ``where`` as written (a field, ``line 2:
    nip``: stable), except a ``where`` that is ``whole``, the name the module gives the request's
    object as a whole (no field of the request). An error carrying ``.problems`` (each a PamongError)
    and ``.more`` (how many were not said) is said problem by problem (``join_problems``)."""
    def one(p) -> str:
        text = p.problem if getattr(p, "problem", None) is not None else p.local if p.local is not None else p.message
        return f"{p.where}: {text}" if p.where and p.where != whole else str(text)

    return join_problems([one(p) for p in getattr(exc, "problems", None) or [exc]], getattr(exc, "more", 0))
