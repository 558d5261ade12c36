"""WCAG 2.1 AA in the real app: axe-core on every page kind, and a text alternative with the chart's
own figures for every chart.

axe-core runs in headless Chromium (bundled by axe-playwright-python, no network) with the WCAG 2.0 and
2.1 A and AA rules, after the page's charts have drawn. A page kind passes with zero serious and zero
critical violations. The per-page-kind report (URL, violations per impact, rule ids) is printed in
pytest's terminal summary and written to ``axe-report.txt`` and ``axe-report.json`` in pytest's base
temp folder, so CI's log shows it.

This module serves its own store, the seed plus three synthetic quarters, so the changes page and the
trend charts (*Verloop over de kwartalen* on the pillar, SDG and action-plan pages) have content. The
sign-in page is checked on a second app with sign-in on; it is skipped while the app has no such page.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import urlsplit

import conftest as browser_conftest  # tests/browser/conftest.py, loaded just before this module
import pytest
from axe_playwright_python.sync_playwright import Axe
from browserkit import GRAPH_SELECTOR, euro, open_page, wait_for_charts
from playwright.sync_api import Page, expect

from dashboard import queries

assert Path(browser_conftest.__file__).resolve() == Path(__file__).with_name("conftest.py").resolve()

pytestmark = pytest.mark.browser

ORG = browser_conftest.ORG
QUARTERS = browser_conftest.SYNTHETIC_QUARTERS
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")
SEARCH_WORD = "school"  # occurs in task names and toelichtingen of the seed
SIGN_IN_PATH = "/aanmelden"
IMPORT_PATH = "/beheer/import"


# --- the app on a store with several quarters ------------------------------------------------------


# This module's tests (and conftest's ``page`` / ``browser_problems``) use the several-quarter app.
@pytest.fixture(scope="session")
def store(synthetic_app_store):
    return synthetic_app_store


@pytest.fixture(scope="session")
def server(synthetic_app):
    return synthetic_app


@pytest.fixture(scope="session")
def app_url(synthetic_app) -> str:
    return synthetic_app.url


# --- the report ------------------------------------------------------------------------------------


@dataclass
class AxeRow:
    """What axe found on one page kind."""

    kind: str
    url: str
    counts: dict[str, int]
    rules: list[str]  # 'color-contrast (serious, 3)'
    details: str = ""


@dataclass
class AxeReport:
    """The rows of this run, printed in the terminal summary and written to the temp folder."""

    folder: Path
    rows: list[AxeRow] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = f"{'page kind':<30} {'crit':>4} {'ser':>4} {'mod':>4} {'min':>4}  rules / URL"
        out = [f"axe-core {_axe_version()} · tags {', '.join(WCAG_TAGS)}", head, "-" * len(head)]
        for row in self.rows:
            c = row.counts
            rules = ", ".join(row.rules) or "none"
            out.append(
                f"{row.kind:<30} {c['critical']:>4} {c['serious']:>4} {c['moderate']:>4} {c['minor']:>4}  {rules}"
            )
            out.append(f"{'':<30} {'':>19}  {row.url}")
        return out

    def write(self) -> Path:
        text = self.folder / "axe-report.txt"
        text.write_text("\n".join(self.lines()) + "\n\n" + "\n".join(r.details for r in self.rows if r.details))
        data = [{"kind": r.kind, "url": r.url, "counts": r.counts, "rules": r.rules} for r in self.rows]
        (self.folder / "axe-report.json").write_text(json.dumps(data, indent=2, ensure_ascii=False))
        return text


class _ReportPlugin:
    """Prints the axe report at the end of the run (registered by the ``axe_report`` fixture)."""

    def __init__(self, report: AxeReport):
        self.report = report

    def pytest_terminal_summary(self, terminalreporter):
        if not self.report.rows:
            return
        path = self.report.write()
        terminalreporter.section("accessibility: axe-core per page kind")
        for line in self.report.lines():
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"report: {path}")


@pytest.fixture(scope="session")
def axe_report(request, tmp_path_factory) -> AxeReport:
    report = AxeReport(tmp_path_factory.getbasetemp())
    request.config.pluginmanager.register(_ReportPlugin(report), "beleidsmonitor-axe-report")
    return report


def _axe_version() -> str:
    match = re.search(r"axe v([\d.]+)", Axe().axe_script[:200])
    return match.group(1) if match else "?"


def _describe(violations: list[dict]) -> str:
    """The violations with their elements and axe's messages, for a failing assertion."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:8]:
            messages = "; ".join(c["message"] for c in node["any"] + node["all"] + node["none"])
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append(f"        {messages[:300]}")
    return "\n".join(lines)


def run_axe(page: Page, report: AxeReport, kind: str, context: str | None = None) -> list[dict]:
    """Run axe-core with the WCAG A/AA rules on the page as it is now; record it; return the violations
    that are serious or critical."""
    results = Axe().run(page, context=context, options=AXE_OPTIONS).response
    violations = results["violations"]
    counts = {impact: 0 for impact in IMPACTS}
    for v in violations:
        counts[v["impact"] or "minor"] += 1
    rules = [f"{v['id']} ({v['impact']}, {len(v['nodes'])})" for v in violations]
    parts = urlsplit(page.url)  # the path and query, not the test server's random port
    url = parts.path + (f"?{parts.query}" if parts.query else "") + (f" [{context}]" if context else "")
    report.rows.append(AxeRow(kind, url, counts, rules, f"== {kind} {url}\n{_describe(violations)}"))
    return [v for v in violations if v["impact"] in BLOCKING]


def settle(page: Page) -> None:
    """Wait until the charts are drawn and the task grid (if any) shows its rows or says it has none."""
    wait_for_charts(page)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.task-grid')].every(g =>
             g.querySelector('.ag-center-cols-container [role=row], .ag-overlay-no-rows-center'))"""
    )


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# --- axe per page kind -----------------------------------------------------------------------------

PAGE_KINDS = [
    ("overzicht", "/"),
    ("pijler", "/pijler/people"),
    ("sdg", "/sdg/3"),
    ("actieplan", "/sdg/3/ap/02"),
    ("taak", "/sdg/3/ap/02/taak/04-1"),
    ("wijzigingen", "/wijzigingen"),
    ("zoeken", f"/zoeken?q={SEARCH_WORD}"),
    ("aandachtspunten", "/aandachtspunten"),
    ("404", "/bestaat-niet"),
    ("presentatie (sdg)", "/sdg/3?presentatie=1"),
    ("presentatie (overzicht)", "/?presentatie=1"),
]


@pytest.mark.parametrize(("kind", "path"), PAGE_KINDS, ids=[k for k, _ in PAGE_KINDS])
def test_page_kind_has_no_serious_or_critical_axe_violations(page, app_url, axe_report, kind, path):
    open_page(page, app_url, path)
    settle(page)
    expect(page.locator("main#main-content")).to_have_count(1)
    blocking = run_axe(page, axe_report, kind)
    assert not blocking, f"{kind} ({path}):\n{_describe(blocking)}"


def test_trend_section_has_no_serious_or_critical_axe_violations(page, app_url, axe_report):
    open_page(page, app_url, "/pijler/people")
    settle(page)
    section = page.locator("#verloop")
    expect(section.locator(GRAPH_SELECTOR)).to_have_count(2)  # the store has several quarters
    blocking = run_axe(page, axe_report, "verloop (trends)", "#verloop")
    assert not blocking, _describe(blocking)


def test_filtered_view_has_no_serious_or_critical_axe_violations(page, app_url, store, axe_report):
    department = "Welzijn"
    tasks = queries.tasks(store.engine, store.filters([department]), sdg=3)
    status = tasks["status"].value_counts().index[0]  # the filter shows tasks, not an empty state
    open_page(page, app_url, f"/sdg/3?departement={department}&status={status.replace(' ', '+')}")
    settle(page)
    expect(page.locator("#filter-department-value")).to_have_text(department)
    blocking = run_axe(page, axe_report, "sdg gefilterd")
    assert not blocking, _describe(blocking)


@pytest.mark.parametrize("dropdown", ["filter-department", "filter-quarter"])
def test_open_filter_dropdown_has_no_serious_or_critical_axe_violations(page, app_url, axe_report, dropdown):
    open_page(page, app_url, "/sdg/3")
    settle(page)
    page.locator(f"#{dropdown}").click()
    expect(page.locator(".dash-dropdown-content")).to_be_visible()
    expect(page.locator(".dash-dropdown-content input").first).to_be_visible()
    blocking = run_axe(page, axe_report, f"sdg, {dropdown} open")
    assert not blocking, _describe(blocking)


def test_import_page_has_no_serious_or_critical_axe_violations(page, app_url, axe_report):
    if _status(app_url + IMPORT_PATH) == 404:
        pytest.skip(f"the app has no {IMPORT_PATH} page yet")
    page.goto(app_url + IMPORT_PATH)
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_have_count(1)
    blocking = run_axe(page, axe_report, "import")
    assert not blocking, _describe(blocking)


@pytest.fixture(scope="session")
def sign_in_app(synthetic_app_store, tmp_path_factory):
    """The app with sign-in on (the default), for the sign-in page itself."""
    folder = tmp_path_factory.mktemp("a11y-sign-in")
    with browser_conftest.run_app(synthetic_app_store.url, folder, workers=1, DASHBOARD_AUTH="on") as server:
        yield server


def test_sign_in_page_has_no_serious_or_critical_axe_violations(browser, sign_in_app, axe_report):
    if _status(sign_in_app.url + SIGN_IN_PATH) == 404:
        pytest.skip(f"the app has no {SIGN_IN_PATH} page yet")
    context = browser.new_context(viewport=browser_conftest.DEFAULT_VIEWPORT, locale="nl-BE")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(sign_in_app.url + SIGN_IN_PATH)
        page.wait_for_load_state("networkidle")
        expect(page.locator("input[type=password]")).to_have_count(1)
        blocking = run_axe(page, axe_report, "aanmelden")
        assert not blocking, _describe(blocking)
        assert not errors, errors
    finally:
        context.close()


# --- text alternatives of the charts ---------------------------------------------------------------

# Every chart: the accessible name of its role=img wrapper, the chart's title and every number it draws.
_CHART_TEXTS = """(selector) => [...document.querySelectorAll(selector)].map(holder => {
  const gd = holder.classList.contains('js-plotly-plot') ? holder : holder.querySelector('.js-plotly-plot');
  const img = holder.closest('[role=img]');
  const numbers = [];
  for (const trace of gd.data) {
    for (const key of ['values', 'x', 'y']) {
      for (const v of (trace[key] || [])) if (typeof v === 'number' && isFinite(v)) numbers.push(v);
    }
  }
  return {
    id: holder.id,
    role: img && img.getAttribute('role'),
    name: img ? (img.getAttribute('aria-label') || '') : '',
    title: (gd.layout.title && gd.layout.title.text) || '',
    numbers: numbers,
    empty: gd.data.length === 0,
  };
})"""


def shown_forms(value: float) -> set[str]:
    """How a number from a chart's data may be written in Belgian format: '12', '1.234.568 €', '64%'."""
    whole = int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))  # as people round
    forms = {euro(value), f"{whole:,}".replace(",", ".")}
    if 0 <= value <= 100 and value != whole:  # a percentage (trend lines carry one decimal)
        forms.add(f"{whole}%")
    return forms


def contains_figure(text: str, numbers: list[float]) -> bool:
    """Whether ``text`` names one of ``numbers`` as a whole token (so 12 does not match in 2012 or 1.123)."""
    for value in numbers:
        if value == 0:
            continue
        for form in shown_forms(value):
            if re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d,]|\.\d)", text):
                return True
    return False


CHART_PAGES = [
    ("overzicht", "/"),
    ("pijler", "/pijler/people"),
    ("sdg", "/sdg/3"),
    ("actieplan", "/sdg/3/ap/02"),
    ("sdg 16 (budget zonder actieplan)", "/sdg/16"),
    ("sdg gefilterd", "/sdg/3?departement=Welzijn&status=Voltooid"),
]


@pytest.mark.parametrize(("kind", "path"), CHART_PAGES, ids=[k for k, _ in CHART_PAGES])
def test_every_chart_has_a_text_alternative_naming_a_figure_of_its_data(page, app_url, kind, path):
    open_page(page, app_url, path)
    charts = page.evaluate(_CHART_TEXTS, GRAPH_SELECTOR)
    assert charts, f"{kind}: no charts found"
    for chart in charts:
        where = f"{kind} {chart['id']}"
        assert chart["role"] == "img", f"{where}: the chart is not wrapped in role=img"
        name = chart["name"]
        title = re.sub(r"<[^>]+>", "", chart["title"])
        assert name.startswith(title + ". "), f"{where}: the text alternative does not start with the title: {name!r}"
        summary = name[len(title) + 2 :]
        assert len(summary) > 10, f"{where}: empty summary {name!r}"
        if chart["empty"]:
            assert summary.startswith("Geen"), f"{where}: an empty chart must say so: {summary!r}"
        else:
            assert contains_figure(summary, chart["numbers"]), (
                f"{where}: the summary names none of the chart's figures {chart['numbers'][:12]}: {summary!r}"
            )


def test_text_alternative_of_the_status_donut_states_the_store_counts(page, app_url, store):
    counts = queries.tasks(store.engine, store.filters(), sdg=3)["status"].value_counts()
    open_page(page, app_url, "/sdg/3")
    name = page.locator('[role=img]:has([id=\'{"index":"SDG03-status","type":"chart"}\'])').get_attribute("aria-label")
    total = int(counts.sum())
    assert f"{total} taken:" in name
    for status in ("Niet gestart", "Bezig", "Voltooid"):
        assert f"{int(counts.get(status, 0))} {status.lower()}" in name
