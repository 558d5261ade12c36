"""Filters live in the URL: choosing them rewrites the query string and the figures, a reload
reproduces the view, the top navigation keeps them, "Wis filters" clears them."""

from __future__ import annotations

import pytest
from browserkit import (
    GRID_ROWS,
    choose,
    dropdown_text,
    euro,
    expect_grid_rows,
    heading,
    kpi,
    open_page,
    path_of,
    query,
    wait_for_charts,
)
from playwright.sync_api import expect

from dashboard import queries

pytestmark = pytest.mark.browser

DEPARTMENT, STATUS = "Welzijn", "Bezig"


def uitgaven_total_cell(page, table: str):
    return page.locator(f"[data-table='{table}'] tr.total-row td:nth-child(2)")


def test_filters_live_in_the_url_survive_reload_and_navigation_and_can_be_cleared(page, app_url, store):
    chosen = store.filters([DEPARTMENT], [STATUS])
    sdg_tasks = queries.tasks(store.engine, chosen, sdg=3)
    all_sdg_tasks = queries.tasks(store.engine, store.filters(), sdg=3)
    assert 0 < len(sdg_tasks) < len(all_sdg_tasks)  # the filter really narrows the view
    # The status filter narrows tasks, not budgets; the department filter narrows both.
    sdg_budget = queries.action_plan_overview(store.engine, chosen, 3)["uitgaven_totaal"].sum()
    prosperity_tasks = queries.tasks(store.engine, chosen, pillar="prosperity")
    assert len(prosperity_tasks) > 0

    open_page(page, app_url, "/sdg/3")
    expect(kpi(page, "tasks")).to_have_text(str(len(all_sdg_tasks)))
    expect(dropdown_text(page, "filter-department")).to_have_text("Alle departementen")

    choose(page, "filter-department", DEPARTMENT)
    page.wait_for_url(lambda url: query(url) == [("departement", DEPARTMENT)])
    choose(page, "filter-status", STATUS)
    page.wait_for_url(lambda url: query(url) == [("departement", DEPARTMENT), ("status", STATUS)])
    assert page.url.endswith("/sdg/3?departement=Welzijn&status=Bezig")

    expect(kpi(page, "tasks")).to_have_text(str(len(sdg_tasks)))
    wait_for_charts(page)
    expect_grid_rows(page, sdg_tasks["task_id"].tolist())
    expect(uitgaven_total_cell(page, "SDG03-uitgaven")).to_have_text(euro(sdg_budget))

    # The link reproduces the view.
    page.reload()
    wait_for_charts(page)
    expect(dropdown_text(page, "filter-department")).to_have_text(DEPARTMENT)
    expect(dropdown_text(page, "filter-status")).to_have_text(STATUS)
    expect(kpi(page, "tasks")).to_have_text(str(len(sdg_tasks)))
    expect_grid_rows(page, sdg_tasks["task_id"].tolist())
    expect(uitgaven_total_cell(page, "SDG03-uitgaven")).to_have_text(euro(sdg_budget))

    # The top navigation keeps the filters.
    page.locator("#shell-nav a", has_text="Prosperity").click()
    page.wait_for_url(lambda url: path_of(url) == "/pijler/prosperity")
    assert query(page.url) == [("departement", DEPARTMENT), ("status", STATUS)]
    expect(heading(page)).to_have_text("Prosperity")
    expect(kpi(page, "tasks")).to_have_text(str(len(prosperity_tasks)))
    wait_for_charts(page)
    expect_grid_rows(page, prosperity_tasks["task_id"].tolist())
    expect(dropdown_text(page, "filter-department")).to_have_text(DEPARTMENT)
    expect(dropdown_text(page, "filter-status")).to_have_text(STATUS)

    # "Wis filters" clears them: URL, dropdowns and figures.
    all_prosperity = queries.tasks(store.engine, store.filters(), pillar="prosperity")
    page.get_by_role("button", name="Wis filters").click()
    page.wait_for_url(lambda url: path_of(url) == "/pijler/prosperity" and query(url) == [])
    expect(kpi(page, "tasks")).to_have_text(str(len(all_prosperity)))
    expect(dropdown_text(page, "filter-department")).to_have_text("Alle departementen")
    expect(dropdown_text(page, "filter-status")).to_have_text("Alle statussen")
    wait_for_charts(page)
    expect(page.locator(GRID_ROWS)).to_have_count(len(all_prosperity))


def test_a_selection_without_data_says_so_plainly(page, app_url, store):
    # Planet has no task and no budget of the Vrije Tijd department: nothing at all to show.
    nothing = store.filters(["Vrije Tijd"])
    assert queries.tasks(store.engine, nothing, pillar="planet").empty
    assert queries.sdg_overview(store.engine, nothing, pillar="planet")["uitgaven_totaal"].sum() == 0

    open_page(page, app_url, "/pijler/planet")
    choose(page, "filter-department", "Vrije Tijd")
    page.wait_for_url(lambda url: query(url) == [("departement", "Vrije Tijd")])
    empty = page.locator(".empty-state", has_text="Geen gegevens")
    expect(empty).to_contain_text("Geen gegevens voor deze selectie (2023 KW1; departement Vrije Tijd).")
    expect(kpi(page, "tasks")).to_have_text("0")
    wait_for_charts(page)
    expect(page.locator(".task-grid")).to_contain_text("Geen taken voor deze selectie")
    expect(page.locator(GRID_ROWS)).to_have_count(0)

    # Tasks filtered away while the budget remains: the task table and the status chart say so.
    no_tasks = store.filters(["Welzijn"], ["Niet gestart"])
    assert queries.tasks(store.engine, no_tasks, sdg=3).empty
    budget = queries.action_plan_overview(store.engine, no_tasks, 3)["uitgaven_totaal"].sum()
    assert budget > 0

    open_page(page, app_url, f"/sdg/3?kwartaal={store.quarter}&departement=Welzijn&status=Niet+gestart")
    expect(dropdown_text(page, "filter-quarter")).to_have_text("2023 KW1")
    expect(dropdown_text(page, "filter-department")).to_have_text("Welzijn")
    expect(dropdown_text(page, "filter-status")).to_have_text("Niet gestart")
    expect(page.locator(".stand-van-zaken")).to_have_text("Stand van zaken: 2023 KW1")
    expect(kpi(page, "tasks")).to_have_text("0")
    expect(kpi(page, "uitgaven")).to_have_text(euro(budget))
    expect(page.locator(".task-grid")).to_contain_text("Geen taken voor deze selectie")
    expect(page.locator(GRID_ROWS)).to_have_count(0)
    expect(page.locator(".chart-card", has_text="SDG 3: taken per status")).to_contain_text(
        "Geen taken voor deze selectie"
    )
    # A link that names the quarter keeps naming it (the filters did not rewrite it away).
    assert query(page.url) == [
        ("kwartaal", store.quarter),
        ("departement", "Welzijn"),
        ("status", "Niet gestart"),
    ]


def test_link_with_unknown_quarter_says_so_and_shows_the_quarter_used(page, app_url, store):
    open_page(page, app_url, "/sdg/3?kwartaal=2099KW9")
    expect(page.locator(".stand-van-zaken")).to_have_text("Stand van zaken: 2023 KW1")
    expect(kpi(page, "tasks")).to_have_text(str(len(queries.tasks(store.engine, store.filters(), sdg=3))))
    # The filter bar names the quarter the page shows, and the page says the link's quarter does not exist.
    expect(dropdown_text(page, "filter-quarter")).to_have_text("2023 KW1", timeout=3_000)
    expect(page.locator("main .alert")).to_contain_text("Kwartaal '2099KW9' bestaat niet", timeout=3_000)
