"""Pytest set-up for the whole source tree: the core's tests/ and every in-tree module's tests.

The ``app`` fixture is created once per session and database; whichever tests run first, it must
be the same app, so the core's test module (``tests/testmodule``, the "notes" module) is plugged
in here, for every test of the tree, and not only for those under tests/.
"""
import pytest


@pytest.fixture(scope="session")
def pamong_extra_plugins():
    from tests import testmodule

    return [testmodule]
