"""Pytest set-up for the whole source tree: the core's tests/ and every in-tree module's tests.

The ``app`` fixture is created once per session and database; whichever tests run first, it must
be the same app, so the core's test module (``tests/testmodule``, the "notes" module) is plugged
in here, for every test of the tree, and not only for those under tests/.
"""
import pytest
from hypothesis import settings

# Property tests assert what holds, never how fast: speed lives in bench/ (the brief). Hypothesis's
# default 200 ms deadline per example failed a CI run on a loaded machine (a settings-pattern
# refusal took 416 ms once, 9 ms on its replay), so no example has a deadline.
settings.register_profile("pamong", deadline=None)
settings.load_profile("pamong")


@pytest.fixture(scope="session")
def pamong_extra_plugins():
    from tests import testmodule

    return [testmodule]
