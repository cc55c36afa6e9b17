"""Fixtures shared across test folders."""

import pytest
from django.core.cache import cache

from assessments import matching

from tests.appservers import AppServer, collect_static, database_url


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with nothing kept, as a fresh server would, in a cache of its own: never
    in a Redis that REDIS_URL may point at (clearing it would empty someone's database)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    cache.clear()
    matching.forget()


@pytest.fixture
def quick_passwords(settings):
    """A fast hasher for tests that make many users: the real one is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Once per run: collectstatic with compression takes about 20 s.
@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    return collect_static(tmp_path_factory.mktemp("static"))


@pytest.fixture(scope="module")
def running_servers(django_db_setup, static_root, tmp_path_factory):
    logs = tmp_path_factory.mktemp("gunicorn")
    started = []
    try:
        for name in ("a", "b"):
            started.append(AppServer(database_url(), static_root, logs / f"{name}.log", workers=2))
        for server in started:
            server.wait_until_ready()
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def servers(running_servers, transactional_db, django_db_serialized_rollback):
    # transactional_db: rows the test writes are committed, so the servers' connections see them.
    return running_servers
