"""WSGI entry point for production: ``gunicorn 'core.wsgi:app'``.

A database login that could bypass Row Level Security stops the worker at start-up with one line
(``core.rls.check_login``); a database that is merely unreachable does not (requests retry it).
"""
import sys

from sqlalchemy.exc import OperationalError

from . import create_app
from .errors import PamongError
from .rls import check_login

app = create_app()
try:
    check_login(app)
except PamongError as exc:
    sys.stderr.write(f"error: {exc}\n")
    raise SystemExit(2) from None
except OperationalError:
    pass
