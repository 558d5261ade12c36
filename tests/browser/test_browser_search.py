"""Search from the top bar and the aandachtspunten, in a real browser against the real app.

The seed has "Oekraïnecrisis" but no "Oekraïne" as a word and no "beken", so this module serves its
own store: the seed plus a small 2023KW2 for SDG 10 (imported with the CLI, as an operator would)
whose toelichtingen hold the accent, inflection and HTML examples. The seed itself is not changed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from browserkit import path_of, query, wait_for_charts
from conftest import run_app
from playwright.sync_api import expect

from dashboard import attention
from dashboard.queries import Filters
from dashboard.store import get_engine

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ORG, Q1, Q2 = "harelbeke", "2023KW1", "2023KW2"
XSS = 'Verslag <img src=x onerror="window.__xss=1"> en <script>window.__xss=2</script> bijgevoegd.'
KW2_TEXT = {
    "D10/AP03/05-1": "Opvang van gezinnen uit Oekraïne loopt verder in het Huis van Welzijn.",
    "D10/AP01/01-1": "De beken in Hulste worden geruimd voor de intocht.",
    "D10/AP01/02-1": "Het programma is bekend gemaakt op de markt.",
    "D10/AP03/06-1": XSS,
}


def _tool(name: str) -> str:
    return str(PROJECT_ROOT / ".venv" / "bin" / name)


@pytest.fixture(scope="module")
def search_store(tmp_path_factory) -> str:
    """The seed plus 2023KW2 for SDG 10 with the example toelichtingen; returns its URL."""
    folder = tmp_path_factory.mktemp("search-store")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    env = {**os.environ, "DASHBOARD_DB_URL": url}
    taken = pd.read_csv(PROJECT_ROOT / "data" / "seed" / "taken.csv", dtype=str, keep_default_na=False)
    kw2 = taken[taken["sdg"] == "10"].copy()
    kw2["kwartaal"] = Q2
    for task_id, text in KW2_TEXT.items():
        kw2.loc[kw2["taak_id"] == task_id, "toelichting"] = text
    kw2.to_csv(folder / "taken.csv", index=False)
    for args in (["build"], ["import", str(folder / "taken.csv")]):
        proc = subprocess.run(
            [_tool("python"), "-m", "dashboard", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return url


@pytest.fixture(scope="module")
def search_app(search_store, tmp_path_factory):
    """The app under gunicorn (one worker) on that store: (base URL, log file)."""
    with run_app(search_store, tmp_path_factory.mktemp("search-server"), workers=1) as running:
        assert running.health["quarters"] == [Q1, Q2], running.health
        yield running.url, running.log


@pytest.fixture
def spage(browser, search_app):
    """A page on that app; console errors, failed requests, dialogs and server tracebacks fail the test."""
    base, log = search_app
    offset = log.stat().st_size
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="nl-BE")
    context.set_default_timeout(20_000)
    pg = context.new_page()
    pg.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.base = base
    yield pg
    pg.wait_for_timeout(100)
    context.close()
    with log.open("rb") as fh:
        fh.seek(offset)
        server_log = fh.read().decode("utf-8", "replace")
    if "Traceback" in server_log or "[ERROR]" in server_log:
        problems.append("server log:\n" + server_log[-3000:])
    assert not problems, "\n".join(problems)


def search_from_top_bar(page, text: str) -> None:
    box = page.get_by_role("searchbox", name="Zoeken in taken en toelichtingen")
    box.fill(text)
    box.press("Enter")
    page.wait_for_url(lambda url: path_of(url) == "/zoeken" and ("q", text) in query(url))
    wait_for_charts(page)


def marks(page) -> list[str]:
    return [t.strip() for t in page.locator(".search-results mark").all_inner_texts()]


def test_oekraine_typed_without_its_accent_finds_oekraine_and_keeps_the_filters(spage):
    spage.goto(spage.base + "/sdg/10?status=Bezig")
    wait_for_charts(spage)
    search_from_top_bar(spage, "Oekraine")
    assert query(spage.url) == [("q", "Oekraine"), ("status", "Bezig")]
    expect(spage.locator("h1.page-title")).to_have_text("Zoeken: Oekraine")
    groups = spage.locator(".search-group")
    expect(groups).to_have_count(2)
    assert [g.get_attribute("data-quarter") for g in groups.all()] == [Q2, Q1]  # newest quarter first
    first = groups.nth(0).locator(".search-hit").first
    assert first.get_attribute("data-task") == "D10/AP03/05-1"
    expect(first.locator("mark")).to_have_text(["Oekraïnecrisis", "Oekraïne"])
    assert "Oekraïne" in marks(spage) and "Oekraïnecrisis" in marks(spage)
    expect(spage.get_by_role("searchbox", name="Zoeken in taken en toelichtingen")).to_have_value("Oekraine")

    # Each result opens its task in context: the quarter of the hit, the filters of the view.
    groups.nth(1).locator(".search-hit-link").first.click()
    spage.wait_for_url(lambda url: path_of(url) == "/sdg/10/ap/03/taak/05-1")
    assert query(spage.url) == [("kwartaal", Q1), ("status", "Bezig")]
    expect(spage.locator(".timeline-item.current")).to_contain_text("2023 KW1")


def test_beek_finds_beken_but_not_bekend(spage):
    spage.goto(spage.base + "/")
    wait_for_charts(spage)
    search_from_top_bar(spage, "beek")
    tasks = spage.locator(".search-hit").evaluate_all("hits => hits.map(h => h.dataset.task)")
    assert "D10/AP01/01-1" in tasks  # "De beken in Hulste …"
    assert "D10/AP01/02-1" not in tasks  # "bekend" is another word
    assert "beken" in marks(spage) and "bekend" not in marks(spage)


def test_a_toelichting_with_html_is_shown_as_text(spage):
    spage.goto(spage.base + "/zoeken?q=onerror")
    wait_for_charts(spage)
    hit = spage.locator(".search-hit-text").first
    expect(hit).to_have_text(XSS)
    assert spage.locator(".search-results img, .search-results script").count() == 0
    assert spage.evaluate("window.__xss") is None


def test_an_empty_or_fruitless_search_says_so_plainly(spage):
    spage.goto(spage.base + "/zoeken")
    wait_for_charts(spage)
    expect(spage.locator(".empty-state")).to_contain_text("Typ een zoekterm")
    spage.goto(spage.base + "/zoeken?q=qwertyuiop")
    wait_for_charts(spage)
    expect(spage.locator(".empty-state")).to_contain_text("Niets gevonden voor ‘qwertyuiop’")


def test_aandachtspunten_counts_on_the_overview_lead_to_their_items(spage, search_store):
    engine = get_engine(search_store)
    found = attention.collect(engine, Filters(ORG, Q2), attention.Thresholds())
    counts = attention.counts(found.items)
    spage.goto(spage.base + "/")
    wait_for_charts(spage)
    for rule, count in counts.items():
        expect(spage.locator(f".attention-count-row[data-rule='{rule}']")).to_have_attribute("data-count", str(count))
    missing = counts["geen-toelichting"]
    assert missing > 0
    spage.locator(".attention-count-row[data-rule='geen-toelichting'] .attention-count-link").click()
    spage.wait_for_url(lambda url: path_of(url) == "/aandachtspunten")
    assert query(spage.url) == [("regel", "geen-toelichting")]
    wait_for_charts(spage)
    expect(spage.locator(".attention-rule")).to_have_count(1)
    expect(spage.locator(".attention-item")).to_have_count(missing)
    expect(spage.locator(".attention-explanation")).to_have_text(
        "Deze taken hebben dit kwartaal geen toelichting, dus niemand kan lezen hoe ze vorderen."
    )


def test_a_page_lists_its_own_aandachtspunten_in_a_collapsible_card(spage, search_store):
    engine = get_engine(search_store)
    items = attention.collect(engine, Filters(ORG, Q1), attention.Thresholds()).items
    sdg3 = attention.in_scope(items, sdg=3)
    spage.goto(spage.base + f"/sdg/3?kwartaal={Q1}")
    wait_for_charts(spage)
    card = spage.locator("details.attention-card")
    expect(card.locator("summary")).to_have_text(f"Aandachtspunten ({len(sdg3)})")
    expect(card.locator(".attention-body")).to_be_hidden()
    card.locator("summary").click()
    link = card.locator("[data-rule='ontvangen-boven-totaal'] .attention-link")
    expect(link).to_have_text("SDG 3 · AP06 Kwalitatieve ouderenzorg")
    link.click()
    spage.wait_for_url(lambda url: path_of(url) == "/sdg/3/ap/06")
    assert query(spage.url) == [("kwartaal", Q1)]


def test_a_long_list_in_the_card_continues_on_the_page_of_that_rule_and_scope(spage, search_store):
    engine = get_engine(search_store)
    items = attention.collect(engine, Filters(ORG, Q1), attention.Thresholds()).items
    mine = attention.in_scope(items, pillar="prosperity")
    missing = int((mine["rule"] == "geen-toelichting").sum())
    assert missing > 8  # more than the card lists
    spage.goto(spage.base + f"/pijler/prosperity?kwartaal={Q1}")
    wait_for_charts(spage)
    card = spage.locator("details.attention-card")
    card.locator("summary").click()
    block = card.locator("[data-rule='geen-toelichting']")
    expect(block.locator(".attention-item")).to_have_count(8)
    block.get_by_role("link", name=f"Alle {missing} tonen").click()
    spage.wait_for_url(lambda url: path_of(url) == "/aandachtspunten")
    assert query(spage.url) == [("kwartaal", Q1), ("regel", "geen-toelichting"), ("pijler", "prosperity")]
    wait_for_charts(spage)
    expect(spage.locator("h1.page-title")).to_have_text("Aandachtspunten · Prosperity: Geen toelichting")
    expect(spage.locator(".attention-item")).to_have_count(missing)
