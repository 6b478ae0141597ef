"""What every command shares: the CLI actor, one-line errors, JSON output."""
from __future__ import annotations

import getpass
import json
import sys

import click
from flask import current_app

from ..errors import PamongError


def actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "cli"


def fail(message: str, code: int = 2):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def cli_fail(message: str):
    """End a module's command on bad input: the transaction rolled back, one line
    ``error: <message>`` on stderr, exit status 2 (every ``pamong`` command's convention)."""
    from ..extensions import db

    db.session.rollback()
    fail(message)


def cli_tenant(slug: str, module: str | None = None):
    """The tenant ``slug`` for a module's command, or ``cli_fail`` in words a person reads (the
    argument named as what it is, not as the usage's placeholder): ``tenant 'x' not found``, or,
    with ``module``, ``tenant 'x' has not enabled the <module> module``."""
    from ..tenancy.service import enabled_modules, get_tenant

    tenant = get_tenant(slug)
    if tenant is None:
        cli_fail(f"tenant '{slug}' not found")
    if module is not None and module not in enabled_modules(tenant):
        cli_fail(f"tenant '{slug}' has not enabled the {module} module")
    return tenant


def emit_json(data) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str))


def manager():
    return current_app.extensions["pamong"]


def _clean_argument(value):
    """A command-line argument as text the kit may store (``core.text.clean``): undecodable bytes
    (Python's surrogate escapes) become U+FFFD, control characters go, NFC."""
    from ..text import clean

    if isinstance(value, str):
        return clean(value)
    if isinstance(value, (tuple, list)):
        return type(value)(_clean_argument(v) for v in value)
    return value


_NOT_TEXT = {"path", "paths"}


def transaction(fn):
    """Run a command in one transaction: commit on success, roll back and exit 2 on bad input."""
    import functools

    from ..extensions import db

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        # arguments become stored text: made safe where they enter (core.text)
        # (file paths are names on this machine, not text to store: kept as given)
        args = [_clean_argument(a) for a in args]
        kwargs = {k: v if k in _NOT_TEXT else _clean_argument(v) for k, v in kwargs.items()}
        try:
            result = fn(*args, **kwargs)
            db.session.commit()
            return result
        except PamongError as exc:
            db.session.rollback()
            fail(str(exc))
        except BaseException:
            db.session.rollback()
            raise

    return wrapper
