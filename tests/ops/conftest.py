"""The fault tests' own PostgreSQL cluster and Redis, on spare ports, gone after the test."""

import pytest

from tests.ops.servers import Postgres, Redis


@pytest.fixture
def services():
    pg, redis = Postgres(), Redis()
    pg.start()
    redis.start()
    yield pg, redis
    redis.stop()
    pg.destroy()
