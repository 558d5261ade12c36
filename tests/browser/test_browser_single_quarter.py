"""With one quarter in the store (the seed), the several-quarters features stay out of the way: the
changes page says plainly that there is nothing to compare, the overview has no change line, the SDG
page no trend section, and nothing is labelled synthetic."""

from __future__ import annotations

import pytest
from browserkit import dropdown_text, heading, open_page
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_changes_page_with_one_quarter_says_there_is_nothing_to_compare(page, app_url):
    open_page(page, app_url, "/wijzigingen")
    expect(heading(page)).to_have_text("Wijzigingen")
    expect(page.locator(".empty-state")).to_contain_text("Niets om te vergelijken")
    expect(page.locator(".empty-state")).to_contain_text("één kwartaal (2023 KW1)")
    expect(page.locator("#changes-from")).to_have_count(0)


def test_one_real_quarter_shows_no_change_line_no_trends_and_no_synthetic_label(page, app_url):
    open_page(page, app_url, "/")
    expect(page.locator(".changes-summary")).to_have_count(0)
    expect(dropdown_text(page, "filter-quarter")).to_have_text("2023 KW1")
    open_page(page, app_url, "/sdg/3")
    expect(page.locator("#verloop")).to_have_count(0)
    expect(page.get_by_test_id("synthetic-banner")).to_have_count(0)
