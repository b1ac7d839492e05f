"""One cache for every process (CACHE_URL=redis://…): the same pages, the same freshness.

These tests talk to the machine's Redis (127.0.0.1:6379, database 14, a prefix of their own)
and skip where there is none.
"""

import uuid

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assetmap.settings import cache_from_url
from residents.models import Audience
from tests.residents.factories import make_gift, make_person

REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def shared_cache(settings, monkeypatch):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    monkeypatch.setenv("CACHE_KEY_PREFIX", prefix)
    settings.CACHES = {"default": cache_from_url(REDIS)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield redis.Redis.from_url(REDIS)
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_cache_url_names_the_backend():
    assert cache_from_url("")["BACKEND"].endswith("LocMemCache")
    redis = cache_from_url("redis://cache.internal:6379/2")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/2"
    with pytest.raises(Exception, match="CACHE_URL scheme 'memcached'"):
        cache_from_url("memcached://127.0.0.1:11211")


def test_a_kept_list_is_kept_in_redis_for_every_process(world, client_for, shared_cache):
    for n in range(5):
        make_gift(make_person(world.a.neighbourhood, f"Buur {n}", shown=Audience.RESIDENTS), "Soep")
    client = client_for(world.a.builder)
    url = reverse("residents:people", args=[world.a.slug])
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url).content
    prefix = cache.key_prefix
    kept = [k for k in shared_cache.scan_iter(f"{prefix}:*") if b":kept" in k]
    assert kept, "the people list was not kept in Redis"
    # another process: a cache object of its own on the same server finds the same entry
    other = caches.create_connection("default")
    assert other is not cache
    assert other.get(kept[0].decode().split(":", 2)[2]) is not None
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url).content
    assert first.count(b"Buur ") == second.count(b"Buur ") == 5
    assert len(warm) < len(cold)


def test_a_change_shows_at_once_through_redis(world, client_for, shared_cache):
    client = client_for(world.a.builder)
    ans = make_person(world.a.neighbourhood, "Ans Kok", shown=Audience.RESIDENTS)
    url = reverse("residents:people", args=[world.a.slug])
    assert "Ans Kok" in client.get(url).content.decode()
    ans.name = "Ans de Kok"
    ans.save()
    assert "Ans de Kok" in client.get(url).content.decode()


def test_a_logout_ends_the_cached_session(world, client_for, shared_cache):
    client = client_for(world.a.builder)
    url = reverse("residents:people", args=[world.a.slug])
    assert client.get(url).status_code == 200
    cookie = client.cookies["sessionid"].value
    stolen = client_for(None)
    stolen.cookies["sessionid"] = cookie
    assert stolen.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        stolen.get(url)
    assert "django_session" not in " ".join(q["sql"] for q in queries.captured_queries)
    client.post("/accounts/logout/")
    response = stolen.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
