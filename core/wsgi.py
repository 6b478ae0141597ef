"""WSGI entry point for production: ``gunicorn 'core.wsgi:app'``."""
from . import create_app

app = create_app()
