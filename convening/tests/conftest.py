import pytest

from .factories import make_convening


@pytest.fixture
def convening(world):
    return make_convening(world.cohort)
