"""Errors the core raises for bad input; each renders as one line naming where and what."""


class PamongError(Exception):
    """Base class: an error a user caused and can fix (CLI exit 2, HTTP 4xx)."""

    code = "invalid"

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


class NotFound(PamongError):
    code = "not_found"


class ModuleError(PamongError):
    """A module cannot be loaded: start-up stops with this error."""

    code = "module_error"
