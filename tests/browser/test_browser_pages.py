"""Every page kind opens on the real app and shows the figures the store computes (2023KW1 seed)."""

from __future__ import annotations

import re

import pytest
from browserkit import (
    GRID_ROWS,
    euro,
    expect_grid_rows,
    grid_column,
    heading,
    kpi,
    normalise_space,
    open_page,
    task_label,
)
from playwright.sync_api import expect

from dashboard import queries

pytestmark = pytest.mark.browser

PILLAR_ORDER = ["people", "planet", "prosperity", "peace", "partnership"]


def has_class(name: str) -> re.Pattern:
    """A pattern for ``to_have_class`` that matches ``name`` as one of the element's classes."""
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def budget_table_rows(page, name: str) -> list[list[str]]:
    """The body rows of a report-style budget table (group row left out), as cell texts."""
    return page.eval_on_selector_all(
        f"[data-table='{name}'] tbody tr:not(.group-row)",
        "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.innerText.trim()))",
    )


def test_overview_shows_the_five_pillars_with_store_task_counts_and_partnership_empty(page, app_url, store):
    expected = queries.pillar_overview(store.engine, store.filters()).set_index("key")
    assert [int(expected.loc[s, "tasks"]) for s in PILLAR_ORDER[:4]] == [50, 37, 46, 31]  # the report's counts

    open_page(page, app_url, "/")

    expect(page.locator("[data-pillar]")).to_have_count(5)
    assert page.eval_on_selector_all("[data-pillar]", "cards => cards.map(c => c.dataset.pillar)") == PILLAR_ORDER
    for slug in PILLAR_ORDER[:4]:
        expect(page.locator(f"[data-testid=tasks-{slug}]")).to_have_text(str(int(expected.loc[slug, "tasks"])))
    expect(kpi(page, "tasks")).to_have_text(str(int(expected["tasks"].sum())))
    expect(kpi(page, "uitgaven")).to_have_text(euro(expected["uitgaven_totaal"].sum()))
    # A drawn status donut in each of the four pillar cards with tasks (open_page waited for every chart).
    for slug in PILLAR_ORDER[:4]:
        donut = page.locator(f"[data-pillar={slug}] .js-plotly-plot")
        expect(donut).to_have_count(1)
        expect(donut.locator("g.slice")).to_have_count(3)

    partnership = page.locator("[data-pillar=partnership]")
    expect(partnership).to_have_class(has_class("pillar-empty"))
    expect(partnership).to_contain_text("Geen actieplannen")
    expect(partnership.locator(".js-plotly-plot")).to_have_count(0)
    expect(page.locator("[data-testid=tasks-partnership]")).to_have_count(0)


def test_sdg_page_shows_the_uitgaven_table_and_kpis_from_the_store(page, app_url, store):
    rows = queries.action_plan_overview(store.engine, store.filters(), 3)
    total, ordered = rows["uitgaven_totaal"].sum(), rows["uitgaven_besteld"].sum()
    assert (euro(total), euro(ordered)) == ("7.035.739 €", "2.489.310 €")  # the report's SDG 03 row
    task_ids = queries.tasks(store.engine, store.filters(), sdg=3)["task_id"].tolist()

    open_page(page, app_url, "/sdg/3")

    expect(heading(page)).to_have_text(
        "SDG 03: " + queries.sdgs(store.engine, store.org).set_index("number").loc[3, "title"]
    )
    table = budget_table_rows(page, "SDG03-uitgaven")
    plans = rows[rows["level"] == "actieplan"]
    assert [r[0] for r in table[:-1]] == [f"{k[-4:]} {label}" for k, label in zip(plans["key"], plans["label"])]
    assert [r[1] for r in table[:-1]] == [euro(v) for v in plans["uitgaven_totaal"]]
    assert [r[2] for r in table[:-1]] == [euro(v) for v in plans["uitgaven_besteld"]]
    assert table[-1][:3] == ["Totaal", "7.035.739 €", "2.489.310 €"]
    assert table[-1][5] == str(len(task_ids))

    expect(kpi(page, "uitgaven")).to_have_text("7.035.739 €")
    expect(page.locator(".kpi-card:has([data-testid=kpi-uitgaven]) .kpi-detail")).to_contain_text("2.489.310 € besteld")
    expect(kpi(page, "tasks")).to_have_text(str(len(task_ids)))
    expect_grid_rows(page, task_ids)


def test_pillar_page_people_shows_its_50_tasks(page, app_url, store):
    tasks = queries.tasks(store.engine, store.filters(), pillar="people")
    assert len(tasks) == 50
    sdgs = queries.sdg_overview(store.engine, store.filters(), pillar="people")

    open_page(page, app_url, "/pijler/people")

    expect(heading(page)).to_have_text("People")
    expect(kpi(page, "tasks")).to_have_text("50")
    expect(kpi(page, "uitgaven")).to_have_text(euro(sdgs["uitgaven_totaal"].sum()))
    tiles = page.locator(".sdg-tile")
    expect(tiles.locator(".sdg-tile-number")).to_have_text([str(int(k)) for k in sdgs["key"]])
    expect(page.locator(".sdg-tile-empty .sdg-tile-number")).to_have_text(
        [str(int(k)) for k in sdgs.loc[sdgs["action_plans"] == 0, "key"]]
    )
    expect_grid_rows(page, tasks["task_id"].tolist())


def test_action_plan_page_shows_the_full_title_and_its_8_tasks(page, app_url, store):
    plan = queries.action_plans(store.engine, store.org, 3).set_index("code").loc["D03/AP02"]
    title = "AP02 " + plan["title"]
    assert title == (
        "AP02 Het welzijn en de gezondheid van de Harelbeekse burger optimaliseren, "
        "met bijzondere aandacht voor de meest kwetsbaren"
    )
    tasks = queries.tasks(store.engine, store.filters(), action_plan="D03/AP02")
    assert len(tasks) == 8

    open_page(page, app_url, "/sdg/3/ap/02")

    expect(heading(page)).to_have_text(title)
    expect(kpi(page, "tasks")).to_have_text("8")
    expect_grid_rows(page, tasks["task_id"].tolist())
    assert grid_column(page, "Status") == tasks["status"].tolist()
    # The full toelichting of every task is in the table (wrapped, not cut off).
    shown = [normalise_space(t) for t in grid_column(page, "Toelichting")]
    assert shown == [normalise_space(t or "") for t in tasks["toelichting"]]


def test_task_page_shows_its_status_and_toelichting(page, app_url, store):
    detail = queries.task_detail(store.engine, store.org, "D03/AP02/04-1")
    history = queries.task_history(store.engine, store.org, "D03/AP02/04-1")
    assert len(history) == 1 and history["toelichting"].iloc[0]

    open_page(page, app_url, "/sdg/3/ap/02/taak/04-1")

    expect(heading(page)).to_have_text(f"{detail['code']}| {detail['name']}")
    entry = page.locator(".timeline-item")
    expect(entry).to_have_count(1)
    expect(entry.locator(".status-badge")).to_have_text(history["status"].iloc[0])
    expect(entry.locator(".toelichting")).to_have_text(history["toelichting"].iloc[0])
    expect(entry).to_contain_text("2023 KW1")
    expect(page.locator("main a", has_text=f"AP02 {detail['ap_title']}")).to_have_attribute("href", "/sdg/3/ap/02")


def test_sdg16_shows_a_single_budget_line_for_the_policy_goal(page, app_url, store):
    rows = queries.action_plan_overview(store.engine, store.filters(), 16)
    goal = rows[rows["level"] == "beleidsdoelstelling"]
    assert len(goal) == 1 and euro(goal["uitgaven_totaal"].iloc[0]) == "5.334.455 €"

    open_page(page, app_url, "/sdg/16")

    table = budget_table_rows(page, "SDG16-uitgaven")
    assert len(table) == 2, table  # the policy-goal line and the Totaal row, no invented split per plan
    assert table[0][:2] == [goal["label"].iloc[0], "5.334.455 €"]
    assert table[1][:2] == ["Totaal", "5.334.455 €"]
    expect(kpi(page, "uitgaven")).to_have_text("5.334.455 €")
    expect(page.locator("main")).to_contain_text("niveau van de beleidsdoelstelling")
    expect(kpi(page, "tasks")).to_have_text(str(len(queries.tasks(store.engine, store.filters(), sdg=16))))


def test_sdg_without_action_plans_shows_an_empty_state(page, app_url):
    open_page(page, app_url, "/sdg/5")
    expect(page.locator(".empty-state h2")).to_have_text("Geen actieplannen voor deze SDG")
    expect(page.locator(".js-plotly-plot")).to_have_count(0)


def test_partnership_pillar_shows_its_empty_state(page, app_url):
    open_page(page, app_url, "/pijler/partnership")
    expect(heading(page)).to_have_text("Partnership")
    expect(page.locator(".empty-state h2")).to_have_text("Geen actieplannen in deze pijler")
    expect(page.locator(".sdg-tile-number")).to_have_text(["17"])
    expect(page.locator(".js-plotly-plot")).to_have_count(0)


@pytest.mark.parametrize("path", ["/bestaat-niet", "/sdg/99", "/sdg/3/ap/99", "/pijler/onbekend"])
def test_unknown_path_shows_page_not_found(page, app_url, path):
    open_page(page, app_url, path)
    expect(page.locator("main h1")).to_have_text("Pagina niet gevonden")
    expect(page.get_by_role("link", name="← Terug naar het overzicht")).to_have_attribute("href", "/")


def test_task_without_code_shows_only_its_name_in_the_task_table(page, app_url, store):
    tasks = queries.tasks(store.engine, store.filters(), sdg=1)
    expected = [task_label(c, n) for c, n in zip(tasks["code"], tasks["name"])]
    # SDG 1 lists coded tasks (AP01) and the two tasks the report prints without a code (AP02); a missing
    # code must not show as 'nan| …' (pandas keeps it as NaN when the column also holds codes).
    assert "Juridische eerstelijnsbijstand in HvW" in expected and any("| " in t for t in expected)

    open_page(page, app_url, "/sdg/1")

    expect(page.locator(GRID_ROWS)).to_have_count(len(expected))
    assert grid_column(page, "Taak") == expected


def test_with_sign_in_off_every_page_says_so_in_a_banner(page, app_url):
    """The browser suite runs with DASHBOARD_AUTH=off; the app must then warn on every page."""
    for path in ("/", "/sdg/3", "/zoeken?q=kinderopvang"):
        open_page(page, app_url, path)
        banner = page.locator("#auth-off-banner")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Aanmelden staat uit (DASHBOARD_AUTH=off)")
    expect(page.get_by_role("link", name="Kwartaal importeren")).to_be_visible()  # demo = beheerder
