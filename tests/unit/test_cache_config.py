"""The query cache's configuration (services.cache_config): one SimpleCache per process by default, one
Redis shared by every instance when DASHBOARD_CACHE_URL names it, with a key prefix per store."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_caching import Cache
from flask_caching.backends import RedisCache, SimpleCache

from dashboard.config import load_settings
from dashboard.services import cache_config

PG = "postgresql+psycopg://monitor:geheim@db.example:5432/beleidsmonitor"


def settings(**env):
    return load_settings({"DASHBOARD_DB_URL": PG, **env})


def test_without_a_cache_url_each_process_keeps_its_own_simple_cache():
    config = cache_config(settings(DASHBOARD_CACHE_SECONDS="120"))
    assert config == {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 120, "CACHE_THRESHOLD": 2000}
    assert load_settings({}).cache_url == ""
    assert load_settings({"DASHBOARD_CACHE_URL": "  "}).cache_url == ""


def test_a_redis_url_gives_a_redis_cache_with_that_url_the_timeout_and_a_key_prefix():
    config = cache_config(settings(DASHBOARD_CACHE_URL=" redis://127.0.0.1:6390/2 ", DASHBOARD_CACHE_SECONDS="60"))
    assert config["CACHE_TYPE"] == "RedisCache"
    assert config["CACHE_REDIS_URL"] == "redis://127.0.0.1:6390/2"
    assert config["CACHE_DEFAULT_TIMEOUT"] == 60
    assert config["CACHE_KEY_PREFIX"].startswith("beleidsmonitor:") and config["CACHE_KEY_PREFIX"].endswith(":")


@pytest.mark.parametrize("url", ["rediss://cache.example:6380/0", "unix:///run/redis/redis.sock?db=1"])
def test_tls_and_socket_urls_are_redis_too(url):
    assert cache_config(settings(DASHBOARD_CACHE_URL=url))["CACHE_TYPE"] == "RedisCache"


def test_the_key_prefix_separates_stores_but_not_password_changes():
    prefix = lambda db_url: cache_config(  # noqa: E731
        load_settings({"DASHBOARD_DB_URL": db_url, "DASHBOARD_CACHE_URL": "redis://127.0.0.1:6379/0"})
    )["CACHE_KEY_PREFIX"]
    assert prefix(PG) == prefix(PG)
    assert prefix(PG) == prefix(PG.replace("geheim", "nieuw-wachtwoord"))
    assert prefix(PG) != prefix(PG.replace("/beleidsmonitor", "/beleidsmonitor_staging"))
    assert prefix(PG) != prefix("sqlite:///data/beleidsmonitor.sqlite")
    assert "geheim" not in prefix(PG)


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "127.0.0.1:6379", "http://redis"])
def test_a_cache_url_that_is_not_redis_is_refused_rather_than_silently_not_shared(url):
    with pytest.raises(ValueError, match="DASHBOARD_CACHE_URL"):
        cache_config(settings(DASHBOARD_CACHE_URL=url))


def test_flask_caching_accepts_both_configurations_as_they_are():
    simple = Cache(Flask("simple"), config=cache_config(settings()))
    assert isinstance(simple.cache, SimpleCache)
    # Building the Redis client does not connect yet, so no server is needed to check the wiring.
    redis = Cache(Flask("redis"), config=cache_config(settings(DASHBOARD_CACHE_URL="redis://127.0.0.1:6390/3")))
    assert isinstance(redis.cache, RedisCache)
    assert redis.cache.key_prefix == cache_config(settings(DASHBOARD_CACHE_URL="redis://x"))["CACHE_KEY_PREFIX"]
    connection = redis.cache._write_client.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("127.0.0.1", 6390, 3)
    assert connection["socket_timeout"] == 2 and connection["socket_connect_timeout"] == 2
