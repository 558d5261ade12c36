"""Benchmark at region scale: a synthetic region of ~300 besturen × 24 quarters × ~300 tasks (~2 M task
updates; dashboard/region.py) — loading it (bulk and through the real importer), the query functions
behind each page for one bestuur, the region-wide aggregate with and without its indexes (and a
pre-aggregated table as the alternative), the Dash router callback through a gunicorn worker, and
peak memory (ru_maxrss of a fresh process per measurement; VmHWM of the gunicorn worker).

Run:  .venv/bin/python bench/region.py [--store /tmp/region/region.sqlite] [--files /tmp/region/files]
      [--besturen 300] [--quarters 24] [--runs 40] [--sections import,queries,indexes,http]
      [--import-slice 5] [--import-all] [--workers 1]
The store and the files are made once (``python -m dashboard region --load --out``) and reused; the
import section re-imports one bestuur's data into that store (same content, new data version). Prints
tables; numbers are measurements on this machine, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from sqlalchemy import text  # noqa: E402

from dashboard import attention, queries, region, search  # noqa: E402
from dashboard.client import AppClient  # noqa: E402
from dashboard.queries import Filters  # noqa: E402
from dashboard.store import create_schema, get_engine  # noqa: E402

SECTIONS = ("import", "queries", "indexes", "http")
# The indexes dashboard/schema.py adds for the region-wide aggregate; dropped and re-created to compare.
REGION_INDEXES = ("ix_task_update_region", "ix_budget_region")
SEARCHES = ("fietspaden", "opvolging evaluatie", "Oekraine")


# --- helpers -------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def stats(values: list[float]) -> str:
    return f"{statistics.median(values):>9.1f}{p95(values):>9.1f}{max(values):>9.1f}{len(values):>6}"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def peak_of(argv: list[str], env: dict) -> tuple[float, float, str]:
    """Run a command; (seconds, its peak RSS in MB from wait4, its output)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if proc.returncode:
        raise RuntimeError(output[-2000:])
    return time.perf_counter() - started, usage.ru_maxrss / 1024, output


def run_child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter and return the JSON it prints last."""
    _seconds, _peak, output = peak_of([sys.executable, "-c", code, *args], dict(os.environ))
    return json.loads(output.strip().splitlines()[-1])


IMPORT_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from dashboard.importer import import_files
from dashboard.store import get_engine
engine = get_engine(sys.argv[1])
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
groups = [g.split(",") for g in sys.argv[2:]]
started, updates, lines = time.perf_counter(), 0, 0
for paths in groups:
    result = import_files(engine, paths)
    updates, lines = updates + result.task_updates, lines + result.budget_lines
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "task_updates": updates, "budget_lines": lines, "baseline_mb": baseline,
                  "peak_mb": peak}}))
"""


def import_job(url: str, groups: list[list[Path]]) -> dict:
    """Import each group of files with ``import_files`` (one transaction per group) in a fresh process."""
    return run_child(IMPORT_CHILD.format(root=str(ROOT)), url, *(",".join(map(str, g)) for g in groups))


# --- sections ------------------------------------------------------------------------------------


def ensure_store(args, url: str) -> None:
    """Generate the region's files and bulk-load the store once (section 'build' measures it)."""
    store = Path(args.store)
    if store.exists() and (Path(args.files) / "region.json").exists():
        print(f"\nStore {store} and files {args.files} exist; reused (delete them to rebuild).")
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    print(f"\nBuilding the region (load average {load_average()}) …", flush=True)
    argv = [sys.executable, "-m", "dashboard", "region", "--besturen", str(args.besturen)]
    argv += ["--quarters", str(args.quarters), "--out", args.files, "--load"]
    seconds, peak, output = peak_of(argv, {**os.environ, "DASHBOARD_DB_URL": url})
    rows = json.loads((Path(args.files) / "region.json").read_text())["task_quarter_rows"]
    print(output.strip().splitlines()[0])
    print(
        f"generate + write files + bulk load: {seconds:.0f} s, {rows / seconds:,.0f} task updates/s, "
        f"peak RSS {peak:.0f} MB; store {store.stat().st_size / 2**30:.2f} GiB (load average after: {load_average()})"
    )


def describe_store(engine) -> dict:
    with engine.connect() as conn:
        counts = {
            name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
            for name in ("organisation", "task", "task_update", "budget", "search_index")
        }
    print("Store: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return counts


def import_section(args, url: str) -> None:
    """The real importer: one bestuur-quarter and one bestuur's 24 quarters into the full store, and a
    slice of besturen into an empty store (rate extrapolated to the region, labelled as such)."""
    files = Path(args.files)
    manifest = json.loads((files / "region.json").read_text())
    org = region.org_id(0)
    last = manifest["quarters"][-1]
    with tempfile.TemporaryDirectory() as tmp:
        one_quarter = Path(tmp) / "kwartaal"
        one_quarter.mkdir()
        fmt = manifest["format"]
        read = pd.read_parquet if fmt == "parquet" else lambda p: pd.read_csv(p, dtype=str, keep_default_na=False)
        for name in ("taken", "budget"):  # a quarterly export: the two tables that change every quarter
            frame = read(files / org / f"{name}.{fmt}")
            frame = frame[frame["kwartaal"] == last]
            frame.to_parquet(one_quarter / f"{name}.parquet", index=False)
        print("\nImport through import_files (a fresh process each; peak RSS = ru_maxrss of that process)")
        print(f"{'what':<58}{'s':>8}{'rows/s':>10}{'peak MB':>9}")

        def measured(label: str, target: str, groups: list[list[Path]]) -> dict:
            result = import_job(target, groups)
            rate = result["task_updates"] / result["seconds"]
            print(f"{label:<58}{result['seconds']:>8.2f}{rate:>10,.0f}{result['peak_mb']:>9.0f}")
            return result | {"rate": rate}

        quarter_files = [sorted(one_quarter.iterdir())]
        measured(f"1 bestuur-kwartaal ({org} {last}) into the full store", url, quarter_files)
        quarters = len(manifest["quarters"])
        measured(f"1 bestuur, {quarters} quarters ({org}) into the full store", url, [region.bestuur_files(files, org)])
        count = manifest["besturen"] if args.import_all else args.import_slice
        slice_url = f"sqlite:///{Path(tmp) / 'slice.sqlite'}"
        create_schema(get_engine(slice_url))
        groups = [region.bestuur_files(files, region.org_id(i)) for i in range(count)]
        result = measured(f"{count} besturen, one import each, into an empty store", slice_url, groups)
        measured(f"the same bestuur-kwartaal into that {count}-bestuur store", slice_url, quarter_files)
        print(f"(interpreter + importer modules before any import: {result['baseline_mb']:.0f} MB)")
        if not args.import_all:
            total = manifest["task_quarter_rows"]
            print(
                f"→ EXTRAPOLATED, not measured: the whole region ({total:,} task updates) through the importer at "
                f"this rate ≈ {total / result['rate'] / 60:.0f} min, plus each call's reading of every bestuur's keys "
                "(the gap between the two bestuur-kwartaal rows)"
            )
    print(f"(load average {load_average()})")


def page_calls(engine, f: Filters, plan: dict) -> dict:
    """The query functions behind each page (what services caches), as the page calls them."""
    thresholds = attention.Thresholds()

    def shell():
        queries.list_quarters(engine, f.org)
        queries.quarter_sources(engine, f.org)
        queries.list_departments(engine, f.org)
        queries.list_organisations(engine)
        queries.pillars(engine, f.org)
        queries.sdgs(engine, f.org)

    return {
        "shell + filters": shell,
        "overzicht": lambda: (
            queries.pillar_overview(engine, f),
            queries.sdg_overview(engine, f),
            attention.collect(engine, f, thresholds),
        ),
        "pijler": lambda: (
            queries.pillar_overview(engine, f),
            queries.sdg_overview(engine, f, pillar=plan["pillar"]),
            queries.tasks(engine, f, pillar=plan["pillar"]),
            queries.trends(engine, f.org, pillar=plan["pillar"]),
        ),
        "sdg": lambda: (
            queries.action_plan_overview(engine, f, plan["sdg"]),
            queries.tasks(engine, f, sdg=plan["sdg"]),
            queries.trends(engine, f.org, sdg=plan["sdg"]),
        ),
        "actieplan": lambda: (
            queries.action_plan_overview(engine, f, plan["sdg"]),
            queries.tasks(engine, f, action_plan=plan["action_plan"]),
            queries.trends(engine, f.org, action_plan=plan["action_plan"]),
        ),
        "taak": lambda: (
            queries.task_detail(engine, f.org, plan["task"]),
            queries.task_history(engine, f.org, plan["task"]),
        ),
        "wijzigingen": lambda: (
            queries.tasks(engine, Filters(f.org, plan["previous"])),
            queries.tasks(engine, f),
            queries.budget_lines(engine, Filters(f.org, plan["previous"])),
            queries.budget_lines(engine, f),
        ),
        "zoeken": lambda: search.search(engine, f, random.choice(SEARCHES)),
    }


def function_calls(engine, f: Filters, plan: dict, thresholds: attention.Thresholds) -> dict:
    """The query functions the pages are built from, one by one."""
    return {
        "tasks (one quarter)": lambda: queries.tasks(engine, f),
        "budget_lines": lambda: queries.budget_lines(engine, f),
        "pillar_overview": lambda: queries.pillar_overview(engine, f),
        "sdg_overview": lambda: queries.sdg_overview(engine, f),
        "action_plan_overview": lambda: queries.action_plan_overview(engine, f, plan["sdg"]),
        "trends (whole plan)": lambda: queries.trends(engine, f.org),
        "attention.collect": lambda: attention.collect(engine, f, thresholds),
    }


def pick_plan(engine, org: str, quarters: list[str], rng: random.Random) -> dict:
    """A random action plan and task of ``org``, and the pillar and SDG they belong to."""
    tasks = queries.tasks(engine, Filters(org, quarters[-1]))
    row = tasks.iloc[rng.randrange(len(tasks))]
    return {
        "pillar": row["pillar_id"],
        "sdg": int(row["sdg"]),
        "action_plan": row["action_plan"],
        "task": row["task_id"],
    }


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def random_view(engine, org: str, rng: random.Random, departments: list[str]) -> tuple[Filters, dict]:
    """A random quarter (not the first), sometimes a department or status filter, and a random plan item."""
    quarters = queries.list_quarters(engine, org)
    i = rng.randrange(1, len(quarters))
    depts = (rng.choice(departments),) if rng.random() < 0.3 else ()
    statuses = ("Bezig",) if rng.random() < 0.2 else ()
    return Filters(org, quarters[i], depts, statuses), pick_plan(engine, org, quarters, rng) | {
        "previous": quarters[i - 1]
    }


def queries_section(args, engine) -> None:
    """Median/p95 of each page's query functions (no cache: what a first view costs) over random
    besturen, quarters and filters; the same for one bestuur in the region store and in a store that
    holds only that bestuur (does the region's size cost anything?); and the region-wide aggregate."""
    rng = random.Random(7)
    orgs = list(queries.list_organisations(engine)["id"])
    samples: dict[str, list[float]] = {}
    departments: dict[str, list[str]] = {}
    for _ in range(args.runs):
        org = rng.choice(orgs)
        f, plan = random_view(engine, org, rng, departments.setdefault(org, queries.list_departments(engine, org)))
        for name, call in page_calls(engine, f, plan).items():
            samples.setdefault(name, []).append(timed(call))
    print(f"\nQuery functions per page (no cache; random bestuur, quarter and filters), ms (load {load_average()})")
    print(f"{'page':<24}{'median':>9}{'p95':>9}{'max':>9}{'n':>6}")
    for name, values in samples.items():
        print(f"{name:<24}{stats(values)}")
    region_samples = [timed(lambda: queries.region_overview(engine, f.quarter)) for _ in range(args.runs)]
    print(f"{'regio (region_overview)':<24}{stats(region_samples)}")

    with tempfile.TemporaryDirectory() as tmp:  # the same bestuur, alone in a store
        alone = get_engine(f"sqlite:///{Path(tmp) / 'one.sqlite'}")
        create_schema(alone)
        org = region.org_id(0)
        region.bulk_load(alone, region.plan_bestuur(region.load_template(), 0, quarters=args.quarters))
        depts = queries.list_departments(engine, org)
        both: dict[str, dict[str, list[float]]] = {}
        for _ in range(args.runs):
            f, plan = random_view(engine, org, rng, depts)
            for label, store in (("region", engine), ("alone", alone)):  # interleaved: same load for both
                for name, call in page_calls(store, f, plan).items():
                    both.setdefault(name, {}).setdefault(label, []).append(timed(call))
        alone.dispose()
    print(
        f"\nScale check: {org}'s pages with 300 besturen in the store vs alone in a store, ms (load {load_average()})"
    )
    print(f"{'page':<24}{'region median':>14}{'p95':>8}{'alone median':>14}{'p95':>8}")
    for name, by in both.items():
        r, a = by["region"], by["alone"]
        print(f"{name:<24}{statistics.median(r):>14.1f}{p95(r):>8.1f}{statistics.median(a):>14.1f}{p95(a):>8.1f}")
    functions: dict[str, list[float]] = {}
    thresholds = attention.Thresholds()
    for _ in range(args.runs):  # where a first view's time goes, function by function
        f, plan = random_view(engine, org, rng, depts)
        for name, call in function_calls(engine, f, plan, thresholds).items():
            functions.setdefault(name, []).append(timed(call))
    print(f"\nPer function, {org} in the region store, ms (load {load_average()})")
    print(f"{'function':<24}{'median':>9}{'p95':>9}{'max':>9}{'n':>6}")
    for name, values in functions.items():
        print(f"{name:<24}{stats(values)}")
    memory = Path(f"/proc/{os.getpid()}/status").read_text().split("VmHWM:")[1].split()[0]
    print(f"this process's peak RSS after the query runs: {int(memory) / 1024:.0f} MB")


STATUS_SQL = (
    "SELECT org_id, sum(CASE WHEN status = 'Niet gestart' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN status = 'Bezig' THEN 1 ELSE 0 END), sum(CASE WHEN status = 'Voltooid' THEN 1 ELSE 0 END) "
    "FROM task_update WHERE quarter = :q GROUP BY org_id"
)
BUDGET_SQL = (
    "SELECT org_id, sum(CASE WHEN kind = 'uitgaven' THEN total_cents ELSE 0 END), "
    "sum(CASE WHEN kind = 'uitgaven' THEN realised_cents ELSE 0 END), "
    "sum(CASE WHEN kind = 'ontvangsten' THEN total_cents ELSE 0 END), "
    "sum(CASE WHEN kind = 'ontvangsten' THEN realised_cents ELSE 0 END) FROM budget WHERE quarter = :q GROUP BY org_id"
)
PRE_AGGREGATED_SQL = "SELECT org_id, status, n FROM bench_status_totals WHERE quarter = :q"


def index_section(args, engine) -> None:
    """The region-wide aggregate's two statements and the whole region_overview() without the region
    indexes, with them, and (the alternative, not adopted) status counts from a pre-aggregated table."""
    quarters = queries.list_quarters(engine, region.org_id(0))
    rng = random.Random(3)

    def sql(*statements: str):
        def run(q: str) -> None:
            with engine.connect() as conn:
                for statement in statements:
                    conn.execute(text(statement), {"q": q}).all()

        return run

    def measure(label: str, fn) -> None:
        fn(quarters[-1])  # warms SQLite's page cache: every variant is measured warm
        values = [timed(lambda: fn(rng.choice(quarters))) for _ in range(args.runs)]
        print(f"{label:<58}{stats(values)}")

    def plan(statement: str) -> str:
        with engine.connect() as conn:
            rows = conn.execute(text("EXPLAIN QUERY PLAN " + statement), {"q": "2025KW4"}).all()
        return "; ".join(str(r[-1]) for r in rows)

    print(f"\nRegion-wide aggregate (every bestuur, one quarter), ms (load {load_average()})")
    print(f"{'variant':<58}{'median':>9}{'p95':>9}{'max':>9}{'n':>6}")
    with engine.begin() as conn:  # as the app runs: no ANALYZE statistics (they would change the plans)
        for name in REGION_INDEXES:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
    measure("SQL (status counts + budget sums), without region indexes", sql(STATUS_SQL, BUDGET_SQL))
    measure("region_overview(), without region indexes", lambda q: queries.region_overview(engine, q))
    plans_before = plan(STATUS_SQL), plan(BUDGET_SQL)
    started = time.perf_counter()
    create_schema(engine)  # re-creates the schema's missing indexes
    created = time.perf_counter() - started
    measure("SQL (status counts + budget sums), with region indexes", sql(STATUS_SQL, BUDGET_SQL))
    measure("region_overview(), with region indexes", lambda q: queries.region_overview(engine, q))
    with engine.begin() as conn:  # the alternative: a table every import would have to keep in step
        conn.exec_driver_sql("DROP TABLE IF EXISTS bench_status_totals")
        started = time.perf_counter()
        conn.exec_driver_sql(
            "CREATE TABLE bench_status_totals AS SELECT quarter, org_id, status, count(*) AS n "
            "FROM task_update GROUP BY quarter, org_id, status"
        )
        conn.exec_driver_sql("CREATE INDEX ix_bench_status_totals ON bench_status_totals (quarter, org_id)")
        filled = time.perf_counter() - started
    measure("SQL, pre-aggregated status counts + indexed budget sums", sql(PRE_AGGREGATED_SQL, BUDGET_SQL))
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE bench_status_totals")
    print(
        f"creating both region indexes on the full store: {created:.1f} s; filling the pre-aggregated table: "
        f"{filled:.1f} s"
    )
    print(f"plans without: {' | '.join(plans_before)}")
    print(f"plans with:    {plan(STATUS_SQL)} | {plan(BUDGET_SQL)}")


# --- through gunicorn ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def router_ms(client: AppClient, path: str, search_: str = "") -> float:
    """Server time (Server-Timing) of the Dash Pages router callback for ``path`` + ``search_``."""
    response = client.page(path, search_)
    if response.status != 200 or "Er ging iets mis" in response.text:
        raise RuntimeError(f"{path}{search_}: HTTP {response.status} or a failed page (see the server log)")
    return response.server_ms


def worker_memory(master: int) -> list[tuple[int, float, float]]:
    """(pid, VmRSS MB, VmHWM MB) of each gunicorn worker."""
    out = []
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in map(int, children):
        fields = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
        )
        out.append((pid, int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024))
    return out


def http_section(args, url: str, engine) -> None:
    """The router callback of every page for one bestuur, each URL new to the worker (cold: nothing
    cached yet for that view) and then again (warm), and the worker's peak memory."""
    org = args.org
    quarters = queries.list_quarters(engine, org)
    plan = pick_plan(engine, org, quarters, random.Random(5))
    sdg, ap, task = plan["sdg"], plan["action_plan"][-2:], plan["task"].split("/")[-1]
    pages = {
        "overzicht": "/",
        "pijler": f"/pijler/{plan['pillar']}",
        "sdg": f"/sdg/{sdg}",
        "actieplan": f"/sdg/{sdg}/ap/{ap}",
        "taak": f"/sdg/{sdg}/ap/{ap}/taak/{task}",
        "wijzigingen": "/wijzigingen",
        "aandachtspunten": "/aandachtspunten",
        "zoeken": "/zoeken",
    }
    departments = queries.list_departments(engine, org)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DASHBOARD_DB_URL": url,
        "DASHBOARD_ORG": org,
        "DASHBOARD_AUTH": "off",  # the benchmark measures the pages, not sign-in
        "DASHBOARD_WORKERS": str(args.workers),
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-b", f"127.0.0.1:{port}", "app:server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health").read()
                break
            except OSError:
                time.sleep(0.2)
        client = AppClient(base)
        before = worker_memory(server.pid)
        cold: dict[str, list[float]] = {name: [] for name in pages}
        warm: dict[str, list[float]] = {name: [] for name in pages}
        variants = [""] + [f"&departement={urllib.parse.quote(d)}" for d in departments[:2]]
        views = [(q, v) for q in reversed(quarters) for v in variants][: args.http_views]
        for q, variant in views:
            for name, path in pages.items():
                extra = "&q=" + urllib.parse.quote(random.choice(SEARCHES)) if name == "zoeken" else ""
                cold[name].append(router_ms(client, path, f"?kwartaal={q}{variant}{extra}"))
        for q, variant in views[: max(3, len(views) // 4)]:
            for name, path in pages.items():
                extra = "&q=" + urllib.parse.quote(SEARCHES[0]) if name == "zoeken" else ""
                router_ms(client, path, f"?kwartaal={q}{variant}{extra}")  # fills the cache for this exact URL
                warm[name].append(router_ms(client, path, f"?kwartaal={q}{variant}{extra}"))
        after = worker_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(
        f"\nRouter callback through gunicorn (-w {args.workers}, bestuur {org}), server ms; cold = a URL the "
        f"worker has not rendered yet, warm = the same URL again (load {load_average()})"
    )
    print(f"{'page':<18}{'cold median':>12}{'cold p95':>10}{'cold max':>10}{'warm median':>13}{'n':>6}")
    for name in pages:
        c, w = cold[name], warm[name]
        print(
            f"{name:<18}{statistics.median(c):>12.1f}{p95(c):>10.1f}{max(c):>10.1f}{statistics.median(w):>13.2f}"
            f"{len(c):>6}"
        )
    for (pid, rss0, _), (_, rss, hwm) in zip(before, after):
        print(
            f"worker {pid}: RSS {rss0:.0f} MB after start → {rss:.0f} MB after {len(views) * len(pages)} cold views; "
            f"peak (VmHWM) {hwm:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="/tmp/region/region.sqlite", help="SQLite file of the region store")
    parser.add_argument("--files", default="/tmp/region/files", help="folder of the region's import files")
    parser.add_argument("--besturen", type=int, default=300)
    parser.add_argument("--quarters", type=int, default=24)
    parser.add_argument("--runs", type=int, default=40, help="samples per measurement")
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--import-slice", type=int, default=5, help="besturen imported into an empty store")
    parser.add_argument("--import-all", action="store_true", help="import the whole region (long)")
    parser.add_argument("--org", default=region.org_id(0), help="the bestuur of the gunicorn benchmark")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--http-views", type=int, default=48, help="distinct (quarter, filter) views per page")
    args = parser.parse_args()
    sections = set(args.sections.split(","))
    url = f"sqlite:///{Path(args.store).resolve()}"
    print(
        f"Beleidsmonitor region benchmark — {os.cpu_count()} cores (shared), load average {load_average()}, "
        f"SQLite {__import__('sqlite3').sqlite_version}"
    )
    ensure_store(args, url)
    engine = get_engine(url)
    create_schema(engine)
    describe_store(engine)
    if "import" in sections:
        import_section(args, url)
    if "queries" in sections:
        queries_section(args, engine)
    if "indexes" in sections:
        index_section(args, engine)
    if "http" in sections:
        http_section(args, url, engine)
    print("\nRerun: .venv/bin/python bench/region.py  (see bench/README.md)")


if __name__ == "__main__":
    main()
