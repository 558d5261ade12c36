"""Load test: many users at once against the real app under gunicorn on 127.0.0.1 (locust, headless).

Run:  .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers 2] [--threads 4]
      [--think 1 3] [--url URL --user NAME --password PW]

Without --url it builds a temporary store from data/seed, creates an account with the CLI, and
starts `gunicorn -c gunicorn.conf.py app:server` with sign-in ON (the default). Each simulated user
signs in once, then browses as the management team does: the overview, a pillar, an SDG, an action
plan, a task, search, and changes the quarter/department/status filters — every page view is the
Dash Pages router callback (the request that builds a page), with the CSRF header as the browser
sends it. Users wait --think seconds between views (a person reading). Prints p50/p95/p99 and the
error count per kind of request and in total; numbers are measurements on this machine.
"""

# ruff: noqa: I001 -- locust must be imported first (below), so the import order is deliberate.
from __future__ import annotations

# locust patches the standard library with gevent: it must be imported before anything else.
import locust
import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import queries  # noqa: E402
from dashboard.client import router_payload  # noqa: E402
from dashboard.schema import PILLARS  # noqa: E402
from dashboard.store import get_engine  # noqa: E402
from dashboard.urls import task as task_path  # noqa: E402

PASSWORD = "load-test-wachtwoord-2023"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def plan_paths(db_url: str) -> dict[str, list]:
    """Pages and filter values to browse, read from the store the app serves."""
    engine = get_engine(db_url)
    org = queries.list_organisations(engine)["id"].iloc[0]
    quarter = queries.list_quarters(engine, org)[-1]
    tasks = queries.tasks(engine, queries.Filters(org, quarter))
    sdgs = sorted({int(code[1:3]) for code in tasks["action_plan"]})
    aps = sorted(set(tasks["action_plan"]))
    return {
        "pillars": [slug for slug, _, _ in PILLARS],
        "sdgs": sdgs,
        "action_plans": [f"/sdg/{int(ap[1:3])}/ap/{ap[-2:]}" for ap in aps],
        "tasks": [task_path(t) for t in tasks["task_id"]],
        "quarters": queries.list_quarters(engine, org),
        "departments": list(queries.list_departments(engine, org)),
        "statuses": list(queries.STATUSES),
        "words": ["kinderopvang", "fietspad", "beken", "oekraine", "subsidie", "energie", "personeel"],
    }


def make_user_class(plan: dict, username: str, password: str, think: tuple[float, float], filters: bool = True):
    class ManagementTeamMember(HttpUser):
        """One person of the management team browsing the plan."""

        wait_time = between(*think)

        def on_start(self):
            form = self.client.get("/aanmelden", name="GET /aanmelden")
            match = CSRF_FIELD.search(form.text)
            with self.client.post(
                "/aanmelden",
                data={
                    "csrf_token": match.group(1) if match else "",
                    "gebruikersnaam": username,
                    "wachtwoord": password,
                },
                name="POST /aanmelden",
                catch_response=True,
            ) as response:
                if response.status_code != 200 or "gebruikersnaam" in response.text:
                    response.failure(f"sign-in failed: {response.status_code}")
            self.client.get("/", name="GET / (shell)")
            self.filters = ""

        def view(self, kind: str, path: str, search: str = ""):
            token = self.client.cookies.get("_csrf_token", "")
            with self.client.post(
                "/_dash-update-component",
                json=router_payload(path, search or self.filters),
                headers={"X-CSRFToken": token},
                name=f"page {kind}",
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                elif "Er ging iets mis" in response.text:
                    response.failure("page reported an error")

        @task(3)
        def overview(self):
            self.view("overzicht", "/")

        @task(3)
        def pillar(self):
            self.view("pijler", f"/pijler/{random.choice(plan['pillars'])}")

        @task(5)
        def sdg(self):
            self.view("sdg", f"/sdg/{random.choice(plan['sdgs'])}")

        @task(4)
        def action_plan(self):
            self.view("actieplan", random.choice(plan["action_plans"]))

        @task(3)
        def task_page(self):
            self.view("taak", random.choice(plan["tasks"]))

        @task(1)
        def search(self):
            self.view("zoeken", "/zoeken", f"?q={random.choice(plan['words'])}")

        @task(3 if filters else 0)
        def change_filters(self):
            parts = []
            if random.random() < 0.5:
                parts.append(f"kwartaal={random.choice(plan['quarters'])}")
            if random.random() < 0.6:
                parts.append("departement=" + urllib.request.quote(random.choice(plan["departments"])))
            if random.random() < 0.4:
                parts.append("status=" + urllib.request.quote(random.choice(plan["statuses"])))
            self.filters = ("?" + "&".join(parts)) if parts else ""
            self.view("filter", f"/sdg/{random.choice(plan['sdgs'])}")

    return ManagementTeamMember


def start_app(tmp: Path, workers: int, threads: int, cache_url: str = "") -> tuple[subprocess.Popen, str, str]:
    db_url = f"sqlite:///{tmp}/load.sqlite"
    env = {**os.environ, "DASHBOARD_DB_URL": db_url, "DASHBOARD_CACHE_URL": cache_url}
    for command, stdin in (
        (["build"], None),
        (["user", "add", "last", "--role", "lezer", "--password-stdin"], PASSWORD),
    ):
        subprocess.run(
            [sys.executable, "-m", "dashboard", *command],
            cwd=ROOT,
            env=env,
            input=stdin,
            text=True,
            check=True,
            capture_output=True,
        )
    port = 18000 + os.getpid() % 1000
    env.update(
        DASHBOARD_BIND=f"127.0.0.1:{port}",
        DASHBOARD_WORKERS=str(workers),
        DASHBOARD_THREADS=str(threads),
        DASHBOARD_SECRET_KEY="load-test-" + "s" * 40,
        DASHBOARD_LOG_LEVEL="warning",
    )
    log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 - open for the server's lifetime
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "app:server"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/health", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    return server, base, db_url


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--spawn-rate", type=float, default=10.0, help="users started per second")
    ap.add_argument("--seconds", type=int, default=60, help="measured duration, after ramp-up and warm-up")
    ap.add_argument("--warmup", type=int, default=15, help="seconds after ramp-up before measuring (sign-ins)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    ap.add_argument(
        "--no-filters", action="store_true", help="never change filters (fewer distinct views: mostly cached pages)"
    )
    ap.add_argument("--cache-url", default="", help="DASHBOARD_CACHE_URL of the app started (e.g. a local Redis)")
    ap.add_argument("--url", help="test an app that is already running (then give --user, --password, --db-url)")
    ap.add_argument("--user", default="last")
    ap.add_argument("--password", default=PASSWORD)
    ap.add_argument("--db-url", help="the store of --url (to pick pages and filters)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        server = None
        if args.url:
            base, db_url = args.url, args.db_url
        else:
            server, base, db_url = start_app(Path(tmp), args.workers, args.threads, args.cache_url)
        try:
            plan = plan_paths(db_url)
            user_class = make_user_class(plan, args.user, args.password, tuple(args.think), not args.no_filters)
            env = Environment(user_classes=[user_class], host=base, events=events)
            runner = env.create_local_runner()
            runner.start(args.users, spawn_rate=args.spawn_rate)
            gevent.sleep(args.users / args.spawn_rate + args.warmup)
            env.stats.reset_all()  # measure the steady state, once every user is signed in and browsing
            started = time.time()
            gevent.sleep(args.seconds)
            runner.quit()
            elapsed = time.time() - started
            report(env, args, elapsed, base)
            total = env.stats.total
            return 1 if total.num_failures else 0
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)


def report(env: Environment, args, elapsed: float, base: str) -> None:
    """Print the figures per request kind and in total."""
    load = os.getloadavg()
    print(
        f"Beleidsmonitor load test — locust {locust.__version__}, {args.users} users, think {args.think[0]:g}–"
        f"{args.think[1]:g} s, {elapsed:.0f} s measured after ramp-up; gunicorn -w {args.workers} "
        f"--threads {args.threads} on {base}, cache {args.cache_url or 'per process'}; "
        f"{os.cpu_count()} cores, load average {load[0]:.1f}/{load[1]:.1f}"
    )
    print(f"{'request':<22}{'count':>7}{'fail':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>7}  (ms)")
    rows = sorted(env.stats.entries.values(), key=lambda s: s.name)
    for s in [*rows, env.stats.total]:
        name = "TOTAL" if s is env.stats.total else s.name
        print(
            f"{name:<22}{s.num_requests:>7}{s.num_failures:>6}{s.num_requests / max(elapsed, 1):>8.1f}"
            f"{s.get_response_time_percentile(0.5):>7.0f}{s.get_response_time_percentile(0.95):>7.0f}"
            f"{s.get_response_time_percentile(0.99):>7.0f}{s.max_response_time:>7.0f}"
        )
    for error in env.stats.errors.values():
        print(f"error: {error.occurrences}× {error.method} {error.name}: {error.error}")
    print(
        "rerun: .venv/bin/python bench/load.py "
        f"--users {args.users} --seconds {args.seconds} --warmup {args.warmup} --workers {args.workers} "
        f"--threads {args.threads}{' --no-filters' if args.no_filters else ''}"
        f"{f' --cache-url {args.cache_url}' if args.cache_url else ''}"
    )


if __name__ == "__main__":
    sys.exit(main())
