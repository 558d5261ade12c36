"""Benchmark of the pages at seed scale: server time of each page's main callback, and the time
from navigation to all charts drawn (cold and warm) and from a filter change to all charts
redrawn, in headless Chromium against the real app served by gunicorn on 127.0.0.1.

Run:  .venv/bin/python bench/pages.py [--runs 40] [--browser-runs 7] [--workers 2] [--synthetic 3]
(``--synthetic N`` adds N generated quarters after the seed, as ``python -m dashboard synth`` does,
so the trend sections and the changes page have several quarters to show.)
Prints a table; numbers are measurements on this machine, not assertions.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.client import AppClient  # noqa: E402

PAGES = {
    "overzicht": "/",
    "pijler": "/pijler/people",
    "sdg": "/sdg/3",
    "actieplan": "/sdg/3/ap/02",
    "taak": "/sdg/3/ap/02/taak/04-1",
    "wijzigingen": "/wijzigingen",
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_ms(client: AppClient, path: str, search: str = "") -> tuple[float, float]:
    """(server time from the Server-Timing header, wall time seen by the client) in ms."""
    response = client.page(path, search)
    assert response.status == 200, (response.status, response.text[:200])
    return response.server_ms, response.wall_ms


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


WAIT_CHARTS = """
async (t0) => {
  // Resolves when every Dash graph on the page has drawn its SVG and no graph from before t0 is left.
  const done = () => {
    if (!document.getElementById('main-content')) return false;  // the page itself has arrived
    if (document.querySelector('[data-bench-old]')) return false;
    const graphs = [...document.querySelectorAll('div[id*="chart"]')];
    return graphs.every(g => g.querySelector('.main-svg'));  // pages without charts: done on arrival
  };
  while (!done()) { await new Promise(r => requestAnimationFrame(r)); }
  return performance.now() - t0;
}
"""


MARK_OLD_CHARTS = "document.querySelectorAll('div[id*=\"chart\"]').forEach(g => g.setAttribute('data-bench-old', '1'))"


def browser_benchmark(base: str, runs: int) -> dict[str, dict[str, list[float]]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, list[float]]] = {name: {"cold": [], "warm": []} for name in PAGES}
    out["filterwissel (sdg)"] = {"filter": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        for _ in range(runs):
            for name, path in PAGES.items():
                context = browser.new_context(viewport={"width": 1600, "height": 1000})  # empty HTTP cache
                page = context.new_page()
                for kind in ("cold", "warm"):
                    page.goto(base + path)
                    # measured from the navigation's start (performance.now() is 0 there)
                    out[name][kind].append(page.evaluate(WAIT_CHARTS, 0))
                context.close()
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            page = context.new_page()
            page.goto(base + "/sdg/3")
            page.evaluate(WAIT_CHARTS, 0)
            for search in ("?status=Bezig", "?departement=Welzijn", ""):
                page.evaluate(MARK_OLD_CHARTS)
                t0 = page.evaluate(
                    """(search) => { const t0 = performance.now();
                    window.history.pushState({}, '', '/sdg/3' + search);
                    window.dispatchEvent(new CustomEvent('_dashprivate_pushstate')); return t0; }""",
                    search,
                )
                out["filterwissel (sdg)"]["filter"].append(page.evaluate(WAIT_CHARTS, t0))
            context.close()
        browser.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40, help="server requests per page")
    ap.add_argument("--browser-runs", type=int, default=7, help="browser navigations per page")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--synthetic", type=int, default=0, help="synthetic quarters to add after the seed")
    args = ap.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        # Sign-in off: this measures the pages, not the session check (one indexed lookup per request).
        env = {**os.environ, "DASHBOARD_DB_URL": f"sqlite:///{tmp}/bench.sqlite", "DASHBOARD_AUTH": "off"}
        subprocess.run([python, "-m", "dashboard", "build"], cwd=ROOT, env=env, check=True, capture_output=True)
        if args.synthetic:
            out = Path(tmp) / "synthetic"
            for command in (
                ["synth", "--quarters", str(args.synthetic), "--out", str(out)],
                ["import", str(out / "taken.csv"), str(out / "budget.csv")],
            ):
                subprocess.run(
                    [python, "-m", "dashboard", *command], cwd=ROOT, env=env, check=True, capture_output=True
                )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(Path(python).parent / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "app:server"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/health").read()
                    break
                except OSError:
                    time.sleep(0.2)
            print(
                f"Beleidsmonitor page benchmark — seed store"
                f"{f' + {args.synthetic} synthetic quarters' if args.synthetic else ''}, "
                f"gunicorn -w {args.workers} on 127.0.0.1, "
                f"{os.cpu_count()} cores"
            )
            print("\nServer time of each page's main callback (Dash Pages router), ms")
            print(f"{'page':<12}{'first':>8}{'median':>9}{'p95':>8}{'client median':>15}  (n={args.runs})")
            client = AppClient(base)
            for name, path in PAGES.items():
                first = server_ms(client, path)[0]
                for _ in range(args.workers * 2):  # let every worker build and cache the page once
                    server_ms(client, path)
                samples = [server_ms(client, path) for _ in range(args.runs)]
                srv = [s for s, _ in samples]
                wall = [w for _, w in samples]
                print(
                    f"{name:<12}{first:>8.1f}{statistics.median(srv):>9.2f}{p95(srv):>8.2f}"
                    f"{statistics.median(wall):>15.2f}"
                )
            print("\nBrowser (headless Chromium): navigation start → all charts drawn, ms")
            results = browser_benchmark(base, args.browser_runs)
            print(f"{'page':<22}{'kind':<8}{'median':>8}{'p95':>8}{'min':>8}  (n={args.browser_runs})")
            for name, kinds in results.items():
                for kind, values in kinds.items():
                    print(f"{name:<22}{kind:<8}{statistics.median(values):>8.0f}{p95(values):>8.0f}{min(values):>8.0f}")
            print(
                "\ncold = new browser context (empty HTTP cache); warm = the same page again; filter = a filter "
                "change on /sdg/3 (URL query) until every chart is redrawn."
            )
            print("Rerun: .venv/bin/python bench/pages.py")
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
