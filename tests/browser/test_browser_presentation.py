"""Presentation mode for screen-sharing: large type, filters named, ← / → through the plan, Esc leaves,
and pillar and SDG pages that fit a 1280×720 projector without scrolling."""

from __future__ import annotations

import pytest
from browserkit import open_page, path_of, wait_for_charts
from playwright.sync_api import expect

from dashboard import queries, urls

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1280, "height": 720}


def plan_order(store) -> list[str]:
    """The sequence the arrow keys follow, computed from the store independently of the page."""
    pillars = queries.pillars(store.engine, store.org)
    sdgs = queries.sdgs(store.engine, store.org)
    return urls.presentation_sequence(pillars, sdgs)


def scroll_overflow(page) -> dict:
    return page.evaluate(
        """() => ({vertical: document.documentElement.scrollHeight - window.innerHeight,
                   horizontal: document.documentElement.scrollWidth - window.innerWidth})"""
    )


@pytest.mark.parametrize("viewport", [PROJECTOR])
def test_presentation_mode_hides_filter_chrome_and_names_the_active_filters(page, app_url, viewport):
    open_page(page, app_url, "/sdg/3?presentatie=1&status=Bezig")
    expect(page.locator("html")).to_have_class("presentation")
    expect(page.locator(".filter-bar")).to_be_hidden()
    expect(page.locator("#presentation-filters")).to_have_text(
        "Stand van zaken 2023 KW1 · Departement: alle · Status: Bezig"
    )
    font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 17  # larger than the 15 px of the normal view


@pytest.mark.parametrize("viewport", [PROJECTOR])
def test_arrow_keys_step_through_pillars_and_sdgs_in_plan_order_and_escape_leaves(page, app_url, store, viewport):
    sequence = plan_order(store)
    start = sequence.index("/sdg/3")
    open_page(page, app_url, "/sdg/3?presentatie=1")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(lambda url: path_of(url) == sequence[start + 1])
    wait_for_charts(page)
    expect(page.locator("h1")).to_contain_text(f"SDG {int(sequence[start + 1].split('/')[-1]):02d}")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(lambda url: path_of(url) == "/sdg/3")
    wait_for_charts(page)
    expect(page.locator("html")).to_have_class("presentation")  # survives navigation without the URL flag
    page.keyboard.press("Escape")
    expect(page.locator("html")).not_to_have_class("presentation")
    expect(page.locator(".filter-bar")).to_be_visible()
    page.keyboard.press("ArrowRight")  # keys do nothing outside presentation mode
    page.wait_for_timeout(300)
    assert path_of(page.url) == "/sdg/3"


def test_the_toggle_in_the_top_bar_switches_presentation_mode(page, app_url):
    open_page(page, app_url, "/pijler/people")
    page.get_by_role("button", name="Presentatie").click()
    expect(page.locator("html")).to_have_class("presentation")
    page.get_by_role("button", name="Presentatie stoppen (Esc)").click()
    expect(page.locator("html")).not_to_have_class("presentation")


@pytest.mark.parametrize("viewport", [PROJECTOR])
def test_every_pillar_and_sdg_page_fits_1280x720_without_scrollbars(page, app_url, store, viewport):
    too_big = {}
    for path in plan_order(store):
        open_page(page, app_url, path + "?presentatie=1")
        overflow = scroll_overflow(page)
        if overflow["vertical"] > 0 or overflow["horizontal"] > 0:
            too_big[path] = overflow
    assert not too_big, f"pages that scroll at 1280×720 in presentation mode: {too_big}"
