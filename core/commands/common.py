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
