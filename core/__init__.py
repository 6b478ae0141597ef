"""Pamong's core: the host every module plugs into."""
from .app import create_app

__all__ = ["create_app"]
