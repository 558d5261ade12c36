"""Several quarters in the real app: the changes page between two synthetic quarters, the overview's
change counts, the synthetic label (dropdown, banner, captions) and the trend charts.

This module serves its own store: the seed plus three quarters from ``python -m dashboard synth``,
built and imported with the CLI as an operator would (fixtures ``store``, ``server`` and ``app_url``
are overridden here; ``page`` and its console-error check come from conftest.py and use them).
What the generator changed is known independently of the page: it is deterministic, so
``synthetic.from_store`` on the same store gives back the quarters that were imported.
"""

from __future__ import annotations

from pathlib import Path

import conftest as browser_conftest  # tests/browser/conftest.py, loaded just before this module
import pytest
from browserkit import choose, dropdown_text, graph, heading, kpi, open_page, path_of, query, wait_for_charts
from playwright.sync_api import expect

from dashboard import queries, synthetic, urls

assert Path(browser_conftest.__file__).resolve() == Path(__file__).with_name("conftest.py").resolve()

pytestmark = pytest.mark.browser

ORG = browser_conftest.ORG
QUARTERS = browser_conftest.SYNTHETIC_QUARTERS
BANNER = "Synthetische gegevens — gegenereerd voor test en demo, geen echte cijfers"


# This module's tests (and conftest's ``page`` / ``browser_problems``) use the synthetic app.
@pytest.fixture(scope="session")
def store(synthetic_app_store):
    return synthetic_app_store


@pytest.fixture(scope="session")
def server(synthetic_app):
    return synthetic_app


@pytest.fixture(scope="session")
def app_url(synthetic_app) -> str:
    return synthetic_app.url


def statuses(store, quarter: str) -> dict[str, str]:
    frame = queries.tasks(store.engine, queries.Filters(ORG, quarter))
    return dict(zip(frame["task_id"], frame["status"]))


def status_changes(store, van: str, tot: str) -> dict[str, tuple[str, str]]:
    """task id → (status in van, status in tot) for tasks in both quarters whose status differs."""
    before, after = statuses(store, van), statuses(store, tot)
    return {t: (before[t], after[t]) for t in before.keys() & after.keys() if before[t] != after[t]}


def test_changes_between_two_synthetic_quarters_list_a_status_change_with_both_statuses(page, app_url, store):
    generated = synthetic.from_store(store.engine, ORG)
    event = next(e for e in generated.events if e.kind == "status" and e.quarter == "2023KW3")
    expected = status_changes(store, "2023KW2", "2023KW3")
    assert expected[event.task_id] == (event.before, event.after)  # the store holds what the generator did

    open_page(page, app_url, "/wijzigingen?van=2023KW2&tot=2023KW3")

    expect(heading(page)).to_have_text("Wijzigingen 2023 KW2 → 2023 KW3")
    expect(page.get_by_test_id("synthetic-banner")).to_have_text(BANNER)
    expect(kpi(page, "status-changes")).to_have_text(str(len(expected)))
    row = page.locator(f"#statuswijzigingen tr[data-task-id='{event.task_id}']")
    expect(row).to_have_count(1)
    badges = row.locator(".status-transition .status-badge")
    expect(badges).to_have_text([event.before, event.after])
    expect(page.locator("#statuswijzigingen tbody tr")).to_have_count(len(expected))
    # The task's entry shows the same transition and its new toelichting as a word-level diff.
    entry = page.locator(f"article.change-item[data-task-id='{event.task_id}']")
    expect(entry.locator(".status-transition .status-badge")).to_have_text([event.before, event.after])
    expect(entry.locator(".toelichting-diff ins").first).to_be_visible()
    assert "[Synthetisch]" in entry.locator(".toelichting-diff").inner_text()

    # Each task links to its page in the later quarter, filters kept.
    row.get_by_role("link").click()
    page.wait_for_url(lambda url: path_of(url) == urls.task(event.task_id) and ("kwartaal", "2023KW3") in query(url))
    wait_for_charts(page)
    expect(page.get_by_test_id("synthetic-banner")).to_be_visible()


def test_the_quarter_pickers_rewrite_the_link_and_the_comparison(page, app_url, store):
    open_page(page, app_url, "/wijzigingen")
    expect(heading(page)).to_have_text("Wijzigingen 2023 KW3 → 2023 KW4")  # the two latest by default
    expect(dropdown_text(page, "changes-from")).to_have_text("2023 KW3 · synthetisch")

    choose(page, "changes-from", "2023 KW1")
    page.wait_for_url(lambda url: ("van", "2023KW1") in query(url) and ("tot", "2023KW4") in query(url))
    expect(heading(page)).to_have_text("Wijzigingen 2023 KW1 → 2023 KW4")
    expect(kpi(page, "status-changes")).to_have_text(str(len(status_changes(store, "2023KW1", "2023KW4"))))
    expect(dropdown_text(page, "filter-quarter")).to_have_text("2023 KW4 · synthetisch")

    page.reload()  # the comparison is a link
    wait_for_charts(page)
    expect(heading(page)).to_have_text("Wijzigingen 2023 KW1 → 2023 KW4")


def test_the_status_filter_narrows_the_changes_to_tasks_with_that_status_in_either_quarter(page, app_url, store):
    expected = {t for t, pair in status_changes(store, "2023KW2", "2023KW3").items() if "Voltooid" in pair}
    open_page(page, app_url, "/wijzigingen?van=2023KW2&tot=2023KW3&status=Voltooid")
    rows = page.locator("#statuswijzigingen tbody tr")
    expect(rows).to_have_count(len(expected))
    assert set(rows.evaluate_all("rows => rows.map(r => r.dataset.taskId)")) == expected


def test_the_overview_counts_the_changes_since_the_previous_quarter_and_links_to_them(page, app_url, store):
    expected = len(status_changes(store, "2023KW2", "2023KW3"))
    open_page(page, app_url, "/?kwartaal=2023KW3")
    summary = page.locator(".changes-summary")
    expect(summary).to_contain_text("Sinds 2023 KW2:")
    expect(page.get_by_test_id("change-counts")).to_contain_text(f"{expected} statuswijzigingen")
    link = summary.get_by_role("link", name="Bekijk wat veranderde →")
    href = link.get_attribute("href")
    assert path_of(href) == "/wijzigingen"
    assert query(href) == [("kwartaal", "2023KW3"), ("van", "2023KW2"), ("tot", "2023KW3")]
    link.click()
    page.wait_for_url(lambda url: path_of(url) == "/wijzigingen" and ("van", "2023KW2") in query(url))
    wait_for_charts(page)
    expect(heading(page)).to_have_text("Wijzigingen 2023 KW2 → 2023 KW3")
    expect(kpi(page, "status-changes")).to_have_text(str(expected))


def test_synthetic_quarters_are_labelled_and_the_sdg_page_shows_the_trends(page, app_url, store):
    open_page(page, app_url, "/sdg/3")
    expect(dropdown_text(page, "filter-quarter")).to_have_text("2023 KW4 · synthetisch")
    expect(page.get_by_test_id("synthetic-banner")).to_have_text(BANNER)
    expect(page.locator(".stand-van-zaken")).to_have_text("Stand van zaken: 2023 KW4 · synthetisch")
    status_chart = graph(page, "SDG03-trend-status")
    status_chart.scroll_into_view_if_needed()
    ticks = status_chart.locator(".xtick text").all_text_contents()
    assert [t.replace("synthetisch", "").strip() for t in ticks] == ["2023 KW1", "2023 KW2", "2023 KW3", "2023 KW4"]
    expect(status_chart.locator(".annotation-text").first).to_contain_text("SYNTHETISCHE GEGEVENS")
    trend = queries.trends(store.engine, ORG, sdg=3)
    done = page.evaluate(
        """() => {
      const gd = document.getElementById(JSON.stringify({index: "SDG03-trend-status", type: "chart"}))
        .querySelector('.js-plotly-plot');
      return gd.data.find(t => t.name === 'Voltooid').y;
    }"""
    )
    assert done == trend["Voltooid"].tolist()
    expect(graph(page, "SDG03-trend-besteld")).to_be_visible()

    open_page(page, app_url, "/sdg/3?kwartaal=2023KW1")  # the real quarter: no banner
    expect(page.get_by_test_id("synthetic-banner")).to_have_count(0)
    expect(page.locator(".stand-van-zaken")).to_have_text("Stand van zaken: 2023 KW1")
