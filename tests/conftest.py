import pytest

from tests import testmodule


@pytest.fixture(scope="session")
def pamong_extra_plugins():
    return [testmodule]
