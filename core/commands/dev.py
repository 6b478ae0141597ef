"""``pamong dev``: Flask's own development commands (``run``, ``shell``, ``routes``, and those its
extensions add, such as Flask-Limiter's ``limiter``), kept apart from Pamong's commands.

The app is always Pamong's (``core.create_app``): Flask's ``-A/--app`` and ``-e/--env-file``
options are not offered.
"""
from __future__ import annotations

from flask.cli import FlaskGroup


def _create_app():
    from .. import create_app

    return create_app()


dev_group = FlaskGroup(name="dev", help="Flask's development commands (run, shell, routes, ...).",
                       create_app=_create_app, add_default_commands=True, add_version_option=False,
                       load_dotenv=False, set_debug_flag=False)
dev_group.params = [p for p in dev_group.params if p.name not in ("env_file", "app")]
