"""Deleting an account takes the same time however much the cache holds.

It replaces a test that deleted an account against an empty Redis, where a scan of the whole
keyspace per assessment cost nothing: with 300k keys that scan made deleting an account of
twelve assessments outlast the worker's timeout. Here the machine's real Redis (database 14,
which the app never uses) holds 100,000 unrelated keys, the account has twelve submitted
assessments whose report, JSON and PDF were all opened, and the deletion must stay well under
a second.
"""

import time
import uuid

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from accounts.data import delete_account
from assessments.models import Assessment
from tests.assessments.helpers import submitted
from tests.factories import make_career, make_user

from .conftest import client_for

REDIS_FOR_TESTS = "redis://127.0.0.1:6379/14"
UNRELATED_KEYS = 100_000


@pytest.fixture
def full_redis(settings):
    prefix = f"test-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(REDIS_FOR_TESTS)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"this test needs the machine's Redis at {REDIS_FOR_TESTS}")
    pipe = client.pipeline(transaction=False)
    for start in range(0, UNRELATED_KEYS, 10_000):
        pipe.mset({f"{prefix}:unrelated:{n}": "x" for n in range(start, start + 10_000)})
    pipe.execute()
    # The cache as production configures it, on that database.
    settings.CACHES = {"default": {
        "BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_FOR_TESTS, "KEY_PREFIX": prefix,
        "OPTIONS": {**settings.CACHES["default"].get("OPTIONS", {}), "IGNORE_EXCEPTIONS": False},
    }}
    try:
        yield client
    finally:
        # Only this test's keys (the cache's own carry the prefix too): never a flush.
        for keys in batched(client.scan_iter(match=f"{prefix}:*", count=10_000), 10_000):
            client.unlink(*keys)


def batched(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def test_deleting_an_account_of_twelve_assessments_stays_fast_with_100k_keys(world, full_redis):
    assert full_redis.dbsize() >= UNRELATED_KEYS
    owner, owner_pk = world.owner, world.owner.pk
    careers = [make_career(f"Career {n}", requirements=[("Welding", "technical", 4, 2)]) for n in range(11)]
    reports = [world.report] + [submitted(owner, career, default=2) for career in careers]
    client = client_for(world, "owner")
    for report in reports:
        for name in ("report", "report_json", "report_pdf"):
            assert client.get(reverse(f"assessments:{name}", args=[report.pk])).status_code == 200
    cache.set("canary", 1)  # the test's cache is the full Redis
    assert full_redis.exists(cache.make_key("canary"))

    started = time.perf_counter()
    delete_account(user=owner)
    took = time.perf_counter() - started

    assert not Assessment.objects.filter(owner_id=owner_pk).exists()
    assert took < 1.0, f"deleting an account of 12 assessments took {took:.2f} s with {UNRELATED_KEYS:,} keys"
