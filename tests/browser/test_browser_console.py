"""No browser-console errors, page errors or failed requests on any page kind, on a laptop screen
(1280×720) and a large one (1600×1000). The ``page`` fixture also fails any test that logs one."""

from __future__ import annotations

import pytest
from browserkit import open_page
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = {
    "/": "Meerjarenplan 2020–2025",
    "/pijler/people": "People",
    "/pijler/planet": "Planet",
    "/pijler/prosperity": "Prosperity",
    "/pijler/peace": "Peace",
    "/pijler/partnership": "Partnership",
    "/sdg/3": "SDG 03:",  # with action plans
    "/sdg/5": "SDG 05:",  # without action plans
    "/sdg/3/ap/02": "AP02 ",
    "/sdg/3/ap/02/taak/04-1": "D03/AP02/04| ",
    "/bestaat-niet": "Pagina niet gevonden",
}


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 720}, {"width": 1600, "height": 1000}], ids=["1280x720", "1600x1000"]
)
def test_no_console_errors_on_any_page_kind(page, app_url, browser_problems, viewport):
    assert page.viewport_size == viewport
    errors_by_page = {}
    for path, title in PAGES.items():
        before = len(browser_problems.console) + len(browser_problems.requests)
        open_page(page, app_url, path)
        expect(page.locator("main h1, main .empty-state h2").first).to_contain_text(title)
        page.wait_for_timeout(150)  # late console messages of this page arrive before the next load
        found = (browser_problems.console + browser_problems.requests)[before:]
        if found:
            errors_by_page[path] = found
    assert errors_by_page == {}
