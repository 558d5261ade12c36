"""Drill-down with the mouse: overview donut slice → pillar, SDG bar → SDG, action-plan bar → action
plan, task link → the task's toelichting; the status picked on the way stays in the URL."""

from __future__ import annotations

import pytest
from browserkit import (
    click_bar,
    click_slice,
    dropdown_text,
    expect_grid_rows,
    heading,
    kpi,
    open_page,
    path_of,
    query,
    task_label,
    wait_for_charts,
)
from playwright.sync_api import expect

from dashboard import queries

pytestmark = pytest.mark.browser

STATUS = "Bezig"
TASK = "D03/AP02/04-1"


def test_drill_down_by_clicking_charts_from_the_overview_to_a_task_toelichting(page, app_url, store):
    bezig = store.filters(statuses=[STATUS])
    people = queries.tasks(store.engine, bezig, pillar="people")
    sdg3 = queries.tasks(store.engine, bezig, sdg=3)
    ap02 = queries.tasks(store.engine, bezig, action_plan="D03/AP02")
    assert TASK in set(ap02["task_id"])
    task = ap02.set_index("task_id").loc[TASK]
    history = queries.task_history(store.engine, store.org, TASK)

    open_page(page, app_url, "/")

    # 1. A slice of People's status donut → the People page filtered on that status.
    click_slice(page, "pillar-people-status", STATUS)
    page.wait_for_url(lambda url: path_of(url) == "/pijler/people")
    assert query(page.url) == [("status", STATUS)]
    expect(heading(page)).to_have_text("People")
    expect(kpi(page, "tasks")).to_have_text(str(len(people)))
    expect(dropdown_text(page, "filter-status")).to_have_text(STATUS)
    wait_for_charts(page)
    expect_grid_rows(page, people["task_id"].tolist())

    # 2. SDG 3's bar in "uitgaven per SDG" → the SDG 3 page, status kept.
    click_bar(page, "people-uitgaven-bars", "/sdg/3")
    page.wait_for_url(lambda url: path_of(url) == "/sdg/3")
    assert query(page.url) == [("status", STATUS)]
    expect(heading(page)).to_contain_text("SDG 03:")
    expect(kpi(page, "tasks")).to_have_text(str(len(sdg3)))
    wait_for_charts(page)

    # 3. AP02's bar in "uitgaven per actieplan" → the action plan page.
    click_bar(page, "SDG03-uitgaven-bars", "/sdg/3/ap/02")
    page.wait_for_url(lambda url: path_of(url) == "/sdg/3/ap/02")
    assert query(page.url) == [("status", STATUS)]
    expect(heading(page)).to_contain_text("AP02 Het welzijn en de gezondheid")
    expect(kpi(page, "tasks")).to_have_text(str(len(ap02)))
    wait_for_charts(page)
    expect_grid_rows(page, ap02["task_id"].tolist())

    # 4. The task's link in the task table → its page with the toelichting from the store.
    page.locator(".task-grid a.task-link", has_text=task_label(task["code"], task["name"])).click()
    page.wait_for_url(lambda url: path_of(url) == "/sdg/3/ap/02/taak/04-1")
    assert query(page.url) == [("status", STATUS)]
    expect(heading(page)).to_have_text(task_label(task["code"], task["name"]))
    expect(page.locator(".timeline-item .toelichting")).to_have_text(history["toelichting"].iloc[-1])
    expect(page.locator(".timeline-item .status-badge")).to_have_text(history["status"].iloc[-1])

    # Breadcrumbs lead back up, still with the filter.
    page.locator("nav[aria-label=Kruimelpad] a", has_text="SDG 3").click()
    page.wait_for_url(lambda url: path_of(url) == "/sdg/3")
    assert query(page.url) == [("status", STATUS)]
    expect(kpi(page, "tasks")).to_have_text(str(len(sdg3)))
    wait_for_charts(page)


def test_a_budget_table_label_opens_its_action_plan_inside_the_app(page, app_url, store):
    """In-app navigation (no reload) from an SDG page to an action plan page: the label in the UITGAVEN
    table is a link, the new page is drawn, and nothing is logged to the console on the way."""
    ap02 = queries.tasks(store.engine, store.filters(), action_plan="D03/AP02")
    open_page(page, app_url, "/sdg/3")
    page.evaluate("window.__sameDocument = true")  # gone after a full page load

    page.locator("[data-table='SDG03-uitgaven'] a", has_text="AP02").click()
    page.wait_for_url(lambda url: path_of(url) == "/sdg/3/ap/02")
    expect(heading(page)).to_contain_text("AP02 Het welzijn en de gezondheid")
    wait_for_charts(page)
    expect_grid_rows(page, ap02["task_id"].tolist())
    assert page.evaluate("window.__sameDocument === true"), "the link reloaded the whole page"
    page.wait_for_timeout(500)  # callbacks that follow the navigation (and any error they log) have run
