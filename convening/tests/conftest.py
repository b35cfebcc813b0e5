import datetime

import pytest
from django.utils import timezone

from .factories import make_convening


@pytest.fixture
def convening(world):
    return make_convening(world.cohort)


@pytest.fixture
def live(world):
    """A convening whose first segment started ten minutes ago."""
    return make_convening(world.cohort, start=timezone.now() - datetime.timedelta(minutes=10))


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.users["staff"])
    return client
