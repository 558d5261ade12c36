"""Two app instances behind one PostgreSQL and one Redis (DASHBOARD_CACHE_URL): what one instance
cached the other reads from Redis, and an import is served by both at once (the data version).

Real processes only: Debian's ``redis-server`` on a free loopback port in a tmp folder, started here;
a schema of TEST_DB_URL's database built with ``python -m dashboard build``; two gunicorn instances
(``gunicorn -c gunicorn.conf.py app:server``, one worker each); ``python -m dashboard import``.
Skipped without redis-server or TEST_DB_URL, except under CI=true, where that fails.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from dashboard.client import router_payload
from dashboard.config import load_settings
from dashboard.services import cache_config

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = [ROOT / "examples" / "2023KW2_taken.csv", ROOT / "examples" / "2023KW2_budget.csv"]
SECRET = "the-same-secret-on-every-instance"


def _missing(reason: str) -> None:
    """Skip on a developer's machine; under CI=true what the test needs must be there."""
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(reason + " (CI=true: .ci/run installs it)", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, what: str, proc: subprocess.Popen, log: Path, seconds: float = 90):
    """``check()`` once it stops raising; fails with the log if ``proc`` dies or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            return check()
        except (OSError, redis.RedisError):
            if time.monotonic() > deadline:
                pytest.fail(f"{what} did not answer in {seconds:.0f} s:\n{log.read_text(errors='replace')[-4000:]}")
            time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A private redis-server (no persistence) on a free loopback port, stopped after the module."""
    binary = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if binary is None:
        _missing("redis-server not installed (Debian package redis-server)")
    folder = tmp_path_factory.mktemp("redis")
    port = _free_port()
    log = folder / "redis.log"
    args = ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "", "--appendonly", "no"]
    with log.open("wb") as out:
        proc = subprocess.Popen([binary, *args, "--logfile", ""], stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        _wait(client.ping, "redis-server", proc, log)
        yield url
    finally:
        client.close()
        _stop(proc)


@pytest.fixture(scope="module")
def pg_store_url():
    """A new schema of TEST_DB_URL's database with the seed built into it by the CLI; dropped after."""
    base = os.environ.get("TEST_DB_URL", "").strip()
    if not base:
        _missing("TEST_DB_URL not set (a PostgreSQL database, see README 'PostgreSQL')")
    admin = create_engine(base, connect_args={"connect_timeout": 5})
    schema_name = f"t_shared_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema_name}"')
    except Exception as exc:  # unreachable or refused: said plainly, as a skip or (CI) a failure
        admin.dispose()
        _missing(f"PostgreSQL at TEST_DB_URL unreachable: {type(exc).__name__}: {exc}")
    url = (
        make_url(base)
        .update_query_dict({"options": f"-csearch_path={schema_name}"})
        .render_as_string(hide_password=False)
    )
    try:
        build = cli(["build"], url)
        assert build.returncode == 0, build.stderr
        yield url
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
        admin.dispose()


def cli(args: list[str], db_url: str) -> subprocess.CompletedProcess:
    """``python -m dashboard ARGS`` against ``db_url``, as an operator runs it."""
    env = {**os.environ, "DASHBOARD_DB_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


class Client:
    """One browser's cookies, used with every instance as a load balancer without sticky sessions
    would: the session and CSRF cookies one instance sets must be good on the other."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, request, timeout: float = 60):
        return self.opener.open(request, timeout=timeout)

    def csrf_headers(self) -> dict[str, str]:
        """Dash's renderer copies the ``_csrf_token`` cookie into X-CSRFToken (dashboard/auth.py)."""
        token = next((c.value for c in self.jar if c.name == "_csrf_token"), None)
        return {"X-CSRFToken": token} if token else {}


@dataclass
class Instance:
    """One app instance: its base URL, its log and the client that talks to it."""

    url: str
    log: Path
    client: Client

    def get(self, path: str) -> dict:
        with self.client.open(self.url + path) as response:
            return json.loads(response.read())

    def page(self, path: str, search: str = "") -> str:
        """The content of page ``path`` as Dash's router callback returns it (JSON text)."""
        payload = router_payload(path, search)
        request = urllib.request.Request(
            self.url + "/_dash-update-component",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", **self.client.csrf_headers()},
        )
        with self.client.open(request) as response:
            return response.read().decode()

    def quarter_options(self) -> list[str]:
        """The values of the quarter filter in the shell (the layout is built per page load)."""
        layout = json.dumps(self.get("/_dash-layout"))
        return sorted(set(_quarter_values(json.loads(layout))))


def _quarter_values(node) -> list[str]:
    """Every dropdown option value that looks like a quarter code (2023KW1) in a Dash layout."""
    found = []
    if isinstance(node, dict):
        options = node.get("options")
        for option in options if isinstance(options, list) else []:
            value = option.get("value") if isinstance(option, dict) else option
            if isinstance(value, str) and len(value) == 7 and value[4:6] == "KW":
                found.append(value)
        for value in node.values():
            found += _quarter_values(value)
    elif isinstance(node, list):
        for item in node:
            found += _quarter_values(item)
    return found


@pytest.fixture(scope="module")
def instances(pg_store_url, redis_url, tmp_path_factory):
    """Two gunicorn instances on their own ports, same store, same Redis, same secret; one worker each."""
    started: list[tuple[subprocess.Popen, Instance]] = []
    client = Client()
    try:
        for number in (1, 2):
            folder = tmp_path_factory.mktemp(f"instance{number}")
            port = _free_port()
            env = {
                **os.environ,
                "DASHBOARD_DB_URL": pg_store_url,
                "DASHBOARD_CACHE_URL": redis_url,
                "DASHBOARD_BIND": f"127.0.0.1:{port}",
                "DASHBOARD_WORKERS": "1",
                "DASHBOARD_AUTH": "off",
                "DASHBOARD_SECRET_KEY": SECRET,
                "DASHBOARD_CACHE_SECONDS": "3600",  # far longer than the test: only the data version invalidates
            }
            env.pop("DASHBOARD_DEBUG", None)
            log = folder / "gunicorn.log"
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            instance = Instance(f"http://127.0.0.1:{port}", log, client)
            started.append((proc, instance))
            health = _wait(lambda i=instance: i.get("/health"), f"instance {number}", proc, log)
            assert health["status"] == "ok", health
        yield [instance for _, instance in started]
    finally:
        for proc, _ in started:
            _stop(proc)


@pytest.fixture(scope="module")
def cache(pg_store_url, redis_url):
    """The Redis the instances share, and the key prefix the app gives this store's entries."""
    prefix = cache_config(load_settings({"DASHBOARD_DB_URL": pg_store_url, "DASHBOARD_CACHE_URL": redis_url}))[
        "CACHE_KEY_PREFIX"
    ]
    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    yield client, prefix
    client.close()


def _keys(client: redis.Redis, prefix: str) -> set[bytes]:
    return set(client.scan_iter(match=prefix + "*", count=1000))


def _hits(client: redis.Redis) -> int:
    return int(client.info("stats")["keyspace_hits"])


def test_what_one_instance_cached_the_other_reads_from_redis_without_computing_it_again(instances, cache):
    first, second = instances
    client, prefix = cache
    first.quarter_options()  # the shell, as a browser loads it first (sets the session and CSRF cookies)
    before = _keys(client, prefix)
    content = first.page("/sdg/5", "?status=Bezig")  # a view nobody asked for yet
    written = _keys(client, prefix) - before
    assert written, "instance 1 wrote no entry with the app's key prefix into Redis"
    assert all(key.startswith(prefix.encode()) for key in client.scan_iter(count=1000)), "keys without the prefix"
    assert all(0 < client.ttl(key) <= 3600 for key in written), "entries must expire (DASHBOARD_CACHE_SECONDS)"

    hits = _hits(client)
    # Sent with the session and CSRF cookies instance 1 set: accepted, since both sign with the same
    # DASHBOARD_SECRET_KEY (no sticky sessions needed); and the same content.
    assert second.page("/sdg/5", "?status=Bezig") == content
    # The second instance found every entry it needed under the same keys: it wrote none of its own
    # (a per-process cache or another prefix would have) and Redis counted its reads as hits.
    assert _keys(client, prefix) - before == written
    assert _hits(client) - hits >= len(written)


def test_after_an_import_both_instances_serve_the_new_quarter_at_once(instances, cache, pg_store_url):
    client, prefix = cache
    for instance in instances:  # warm both: health, the shell's quarter list and a page
        health = instance.get("/health")
        assert health["quarters"] == ["2023KW1"]
        assert instance.quarter_options() == ["2023KW1"]
        assert "2023 KW1" in instance.page("/sdg/3") and "2023 KW2" not in instance.page("/sdg/3")
    version = health["data_version"]
    cached = _keys(client, prefix)
    assert cached, "the warm-up left nothing in Redis"

    result = cli(["import", *map(str, EXAMPLES), "--quarter", "2023KW2"], pg_store_url)
    assert result.returncode == 0, result.stderr

    for number, instance in enumerate(instances, start=1):
        health = instance.get("/health")
        assert health["data_version"] > version, f"instance {number} still reports the old data version"
        assert health["quarters"] == ["2023KW1", "2023KW2"], f"instance {number}: {health}"
        assert instance.quarter_options() == ["2023KW1", "2023KW2"], f"instance {number}"
        assert "2023 KW2" in instance.page("/sdg/3"), f"instance {number} does not show 2023 KW2 on /sdg/3"
    # The old entries are still in Redis (their time is not up): the new version's keys are new ones.
    assert cached <= _keys(client, prefix)
    assert len(_keys(client, prefix)) > len(cached)
