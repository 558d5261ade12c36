"""Fixtures of the browser tests: the real app under gunicorn on a fresh store, one headless Chromium.

- ``store`` (session): a SQLite store built from data/seed with ``python -m dashboard build`` in a
  temp folder, plus an engine on it so tests compute expected figures with ``dashboard.queries``.
- ``app_url`` (session): ``gunicorn -w 2 app:server`` on a free port, started once, stopped at the end.
- ``browser`` (session): Debian's /usr/bin/chromium driven by Playwright (no browser download).
- ``page``: a fresh context and page per test (viewport from the ``viewport`` fixture, 1600×1000 by
  default; parametrize ``viewport`` to change it). Console errors, page errors, HTTP errors (≥ 400)
  and server tracebacks while the test runs make it fail (``pytest_runtest_call`` below).

Environment: ``BROWSER_EXECUTABLE`` overrides the Chromium path.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

pytest.register_assert_rewrite("browserkit")

from playwright.sync_api import expect, sync_playwright  # noqa: E402
from sqlalchemy import Engine  # noqa: E402

from dashboard import queries  # noqa: E402
from dashboard.store import get_engine  # noqa: E402

CHROMIUM = os.environ.get("BROWSER_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ORG = "harelbeke"
DEFAULT_VIEWPORT = {"width": 1600, "height": 1000}
TIMEOUT_MS = 20_000  # for actions and expect(): generous, a loaded 2-core machine draws slowly

expect.set_options(timeout=TIMEOUT_MS)


def _venv_tool(name: str) -> list[str]:
    """``.venv/bin/<name>`` of the project, else the one beside this interpreter, else ``python -m``."""
    for candidate in (PROJECT_ROOT / ".venv" / "bin" / name, Path(sys.executable).parent / name):
        if candidate.exists():
            return [str(candidate)]
    return [sys.executable, "-m", name]


@dataclass
class Store:
    """The store the app serves, and what the tests need to ask it the same questions."""

    url: str
    engine: Engine
    org: str
    quarter: str

    def filters(self, departments=(), statuses=()) -> queries.Filters:
        return queries.Filters(self.org, self.quarter, tuple(departments), tuple(statuses))


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> Store:
    """A fresh SQLite store built from the seed by the CLI, exactly as an operator would."""
    folder = tmp_path_factory.mktemp("browser-store")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    env = {**os.environ, "DASHBOARD_DB_URL": url}
    build = subprocess.run(
        [*_venv_tool("python"), "-m", "dashboard", "build"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert build.returncode == 0, f"store build failed:\n{build.stdout}\n{build.stderr}"
    engine = get_engine(url)
    quarters = queries.list_quarters(engine, ORG)
    assert quarters, "the seed store has no quarter"
    yield Store(url, engine, ORG, quarters[-1])
    engine.dispose()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    log: Path
    health: dict | None = None  # what /health answered once the app was up

    def log_size(self) -> int:
        return self.log.stat().st_size if self.log.exists() else 0

    def log_since(self, offset: int) -> str:
        with self.log.open("rb") as fh:
            fh.seek(offset)
            return fh.read().decode("utf-8", "replace")


@contextlib.contextmanager
def run_app(db_url: str, folder: Path, *, workers: int = 2, timeout: int = 60, **env_extra: str):
    """The real app under gunicorn on a free port against ``db_url``, until the block ends.

    Sign-in is off (``DASHBOARD_AUTH=off``) unless ``env_extra`` says otherwise: these tests are
    about the pages; tests/browser/test_browser_auth.py covers signing in.
    """
    log = folder / "gunicorn.log"
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DB_URL": db_url, "DASHBOARD_ORG": ORG, "DASHBOARD_AUTH": "off", **env_extra}
    env.pop("DASHBOARD_DEBUG", None)
    command = [*_venv_tool("gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", str(timeout)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "app:server"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        health = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"gunicorn exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(base + "/health", timeout=5) as response:
                    health = json.loads(response.read())
                break
            except OSError:
                time.sleep(0.2)
        assert health is not None, f"/health did not answer in time:\n{log.read_text(errors='replace')}"
        assert health["status"] == "ok", health
        yield Server(base, log, health)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(store, tmp_path_factory) -> Server:
    """The real app: gunicorn with 2 workers on a free port, against the fresh store."""
    with run_app(store.url, tmp_path_factory.mktemp("browser-server")) as running:
        assert running.health["quarters"] == [store.quarter], running.health
        yield running


SYNTHETIC_QUARTERS = ["2023KW1", "2023KW2", "2023KW3", "2023KW4"]


def run_cli(args: list[str], url: str, stdin: str | None = None) -> str:
    """``python -m dashboard ARGS`` against ``url``, as an operator runs it; fails the test on an error."""
    proc = subprocess.run(
        [*_venv_tool("python"), "-m", "dashboard", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DASHBOARD_DB_URL": url},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, f"dashboard {args[0]} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="session")
def synthetic_app_store(tmp_path_factory) -> Store:
    """Seed + 2023KW2–KW4 generated by ``synth`` into a temp folder and imported by the CLI
    (for modules that need several quarters: changes, accessibility)."""
    folder = tmp_path_factory.mktemp("synthetic-store")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    run_cli(["build"], url)
    run_cli(["synth", "--out", str(folder / "synthetic")], url)
    run_cli(["import", str(folder / "synthetic" / "taken.csv"), str(folder / "synthetic" / "budget.csv")], url)
    engine = get_engine(url)
    assert queries.list_quarters(engine, ORG) == SYNTHETIC_QUARTERS
    yield Store(url, engine, ORG, SYNTHETIC_QUARTERS[-1])
    engine.dispose()


@pytest.fixture(scope="session")
def synthetic_app(synthetic_app_store, tmp_path_factory) -> Server:
    """gunicorn (2 workers) on the synthetic store, like ``server``."""
    with run_app(synthetic_app_store.url, tmp_path_factory.mktemp("synthetic-server")) as running:
        assert running.health["quarters"] == SYNTHETIC_QUARTERS, running.health
        yield running


@pytest.fixture(scope="session")
def app_url(server) -> str:
    """Base URL of the running app, e.g. http://127.0.0.1:41234."""
    return server.url


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium or set BROWSER_EXECUTABLE)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def viewport() -> dict:
    """The window size of ``page``; parametrize ``viewport`` to test another one."""
    return dict(DEFAULT_VIEWPORT)


@dataclass
class BrowserProblems:
    """What went wrong in the browser (and on the server) while one test ran."""

    server: Server
    log_offset: int
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    server_log: str = ""

    def all(self) -> list[str]:
        problems = self.console + self.requests
        if any(marker in self.server_log for marker in ("Traceback", "[ERROR]", "[CRITICAL]", "WORKER TIMEOUT")):
            problems.append("server log:\n" + self.server_log[-4000:])
        return problems


@pytest.fixture
def browser_problems(server) -> BrowserProblems:
    return BrowserProblems(server, server.log_size())


@pytest.fixture
def page(browser, viewport, browser_problems):
    """A fresh browser context and page on the app; errors in it fail the test (see pytest_runtest_call)."""
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale="nl-BE")
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    pg.on(
        "console",
        lambda msg: browser_problems.console.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None,
    )
    pg.on("pageerror", lambda exc: browser_problems.console.append(f"page error: {exc}"))
    pg.on(
        "response",
        lambda r: (
            browser_problems.requests.append(f"HTTP {r.status} {r.request.method} {r.url}") if r.status >= 400 else None
        ),
    )
    yield pg
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a passing test body: fail it if the browser logged errors or the server a traceback."""
    result = yield
    problems = item.funcargs.get("browser_problems")
    pg = item.funcargs.get("page")
    if problems is not None and pg is not None:
        pg.wait_for_timeout(100)  # let the last console messages arrive
        problems.server_log = problems.server.log_since(problems.log_offset)
        found = problems.all()
        if found:
            raise AssertionError("errors while the test ran:\n" + "\n".join(found))
    return result
