"""Benchmark of search and aandachtspunten: the cost of keeping the full-text index inside imports,
a full rebuild of the index, search latency (ranked, in the database's index) and the time to
compute every attention rule, on the seed plus generated (synthetic) quarters.

Run:  .venv/bin/python bench/search.py [--quarters 11] [--runs 30] [--db-url URL]
Prints a table; numbers are measurements on this machine, not assertions. Without --db-url it
uses a SQLite file in a temporary folder (an existing --db-url store is rebuilt from the seed).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from dashboard import attention, search  # noqa: E402
from dashboard.config import SEED_DIR  # noqa: E402
from dashboard.importer import import_files  # noqa: E402
from dashboard.queries import Filters, list_quarters  # noqa: E402
from dashboard.store import build_from_seed, create_schema, get_engine  # noqa: E402

QUERIES = ("Oekraine", "beek", "opvang vluchtelingen", "Harelbeke", "fietspaden", "de", "qwertyuiop")


def timed(fn, runs: int) -> tuple[float, float]:
    """Median and maximum milliseconds of ``runs`` calls."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarters", type=int, default=11, help="synthetic quarters after 2023KW1")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        engine = get_engine(url)
        start = time.perf_counter()
        build_from_seed(engine, SEED_DIR)
        build_ms = (time.perf_counter() - start) * 1000
        out = Path(tmp) / "synthetic"
        subprocess.run(
            [sys.executable, "-m", "dashboard", "synth", "--quarters", str(args.quarters), "--out", str(out)],
            cwd=ROOT,
            env={"DASHBOARD_DB_URL": url, "PATH": ""},
            check=True,
            capture_output=True,
        )
        start = time.perf_counter()
        import_files(engine, sorted(out.glob("*.csv")))
        import_ms = (time.perf_counter() - start) * 1000
        with engine.connect() as conn:
            rows = conn.execute(text(f"SELECT count(*) FROM {search.INDEX_TABLE}")).scalar_one()
        search.drop_index(engine)
        search.stem.cache_clear()  # a cold rebuild: no word stemmed yet
        start = time.perf_counter()
        create_schema(engine)
        rebuild_ms = (time.perf_counter() - start) * 1000
        quarters = list_quarters(engine, "harelbeke")
        latest = Filters("harelbeke", quarters[-1])
        print(f"backend: {engine.dialect.name}; {len(quarters)} quarters; {rows} indexed task updates")
        print(f"build from seed (incl. index):          {build_ms:8.1f} ms")
        print(f"import of {args.quarters} synthetic quarters (incl. index): {import_ms:8.1f} ms")
        print(f"full index rebuild (cold stem cache):   {rebuild_ms:8.1f} ms")
        print(f"{'search':<28} {'results':>7} {'median ms':>10} {'max ms':>8}")
        for q in QUERIES:
            count = len(search.search(engine, latest, q))
            median, worst = timed(lambda q=q: search.search(engine, latest, q), args.runs)
            print(f"{q:<28} {count:>7} {median:>10.2f} {worst:>8.2f}")
        median, worst = timed(lambda: attention.collect(engine, latest, attention.Thresholds()), args.runs)
        found = attention.collect(engine, latest, attention.Thresholds())
        print(f"aandachtspunten, all rules ({len(found.items)} items): median {median:.1f} ms, max {worst:.1f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
