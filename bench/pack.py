"""Benchmark of the council pack (raadspakket) on the seed data: time, pages and size of the SDG 3
pack and of the whole plan, with the time split into collecting (queries), charts (Kaleido on
Chromium, SVG) and layout (svglib + reportlab).

Run:  .venv/bin/python bench/pack.py [--out /tmp]
Builds a temporary store from data/seed (or uses DASHBOARD_DB_URL when set). Prints a table;
numbers are measurements on this machine, not assertions. Rows in order: the first pack of a
process starts Chromium; later packs reuse it; a pack made again finds its charts in the cache.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import pack, queries  # noqa: E402
from dashboard.chart_images import ChartImager  # noqa: E402
from dashboard.config import SEED_DIR  # noqa: E402
from dashboard.store import build_from_seed, get_engine  # noqa: E402


def measure(engine, imager: ChartImager, scope_text: str, quarter: str, out: Path, label: str) -> None:
    """Make one pack and print a row: collect, charts, layout and total seconds, pages, size."""
    scope = pack.Scope.parse(scope_text)
    started = time.perf_counter()
    p = pack.collect(engine, scope, queries.Filters("harelbeke", quarter))
    collected = time.perf_counter()
    specs = [s for _, s in pack.chart_specs(p)]
    svgs = imager.render(specs)
    charted = time.perf_counter()
    rendered = pack.render_pdf(p, lambda _specs: svgs)
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kB
    path = out / p.filename
    path.write_bytes(rendered.pdf)
    print(
        f"{label:<34}{collected - started:>9.2f}{charted - collected:>9.2f}{done - charted:>9.2f}"
        f"{done - started:>9.2f}{rendered.pages:>7}{len(rendered.pdf) / 1024:>9.0f}{rendered.charts:>8}"
        f"{peak / 2**20:>10.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=tempfile.gettempdir(), help="folder for the PDFs (default: temp)")
    args = parser.parse_args()
    out = Path(args.out)
    url = os.environ.get("DASHBOARD_DB_URL")
    folder = None
    if not url:
        folder = tempfile.TemporaryDirectory()
        url = f"sqlite:///{folder.name}/bench.sqlite"
        build_from_seed(get_engine(url), SEED_DIR)
    engine = get_engine(url)
    quarter = queries.list_quarters(engine, "harelbeke")[-1]
    imager = ChartImager()
    print(f"store {url}, quarter {quarter}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(
        f"{'pack':<34}{'collect':>9}{'charts':>9}{'layout':>9}{'total s':>9}{'pages':>7}{'kB':>9}"
        f"{'charts':>8}{'RSS MB':>10}"
    )
    try:
        measure(engine, imager, "sdg:3", quarter, out, "SDG 3 (Chromium starts)")
        measure(engine, imager, "pillar:people", quarter, out, "People (warm, new charts)")
        measure(engine, imager, "plan", quarter, out, "whole plan (warm, 74 new charts)")
        measure(engine, imager, "plan", quarter, out, "whole plan again (charts cached)")
        measure(engine, imager, "sdg:3", quarter, out, "SDG 3 again (charts cached)")
    finally:
        imager.close()
        if folder is not None:
            engine.dispose()
            folder.cleanup()
    print(f"PDFs in {out}; RSS MB = the Python process's peak resident memory so far (Chromium not included)")


if __name__ == "__main__":
    main()
