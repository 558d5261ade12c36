"""Everything by keyboard (WCAG 2.1.1, 2.4.1, 2.4.7): Tab reaches every control with a focus ring you can
see, the skip link jumps to the content, filters open and change with keys, and drill-down works with
Enter on a chip, a tile, a table label and a task in the grid."""

from __future__ import annotations

import json

import pytest
from browserkit import heading, open_page, path_of, query, wait_for_charts
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.browser

# Marks every control a keyboard user must reach (visible, enabled, in the tab order) with data-kbd=<n>
# and remembers how it looks unfocused; AG Grid counts once (its cells are reached with arrow keys).
_MARK_CONTROLS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const controls = [...document.querySelectorAll(selector)].filter(el =>
    !el.closest('.ag-root-wrapper') && !el.disabled && el.tabIndex >= 0
    && el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true}));
  document.querySelectorAll('.ag-root-wrapper').forEach(grid => controls.push(grid));
  window.__bmUnfocused = {};
  return controls.map((el, i) => {
    el.dataset.kbd = String(i);
    const s = getComputedStyle(el);
    window.__bmUnfocused[i] = [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' ');
    return {
      kbd: String(i),
      tag: el.tagName,
      id: el.id || '',
      cls: typeof el.className === 'string' ? el.className : '',
      text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 60),
      href: el.getAttribute('href') || '',
    };
  });
}"""

# The focused control (its data-kbd, or the grid's when focus is inside it) and whether its focus is
# visible: an outline of at least 2px, or a box-shadow, that it does not have unfocused.
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {kbd: null};
  const grid = el.closest('.ag-root-wrapper');
  const holder = grid || el;
  const s = getComputedStyle(el);
  const now = [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' ');
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadow = s.boxShadow !== 'none' && !/rgba\\(0, 0, 0, 0\\)/.test(s.boxShadow);
  const before = grid ? null : window.__bmUnfocused[holder.dataset.kbd];
  return {
    kbd: holder.dataset.kbd || null,
    visible: (outline || shadow) && now !== before,
    describe: el.tagName + ' ' + (el.id || el.className || '') + ' ' + (el.textContent || '').trim().slice(0, 40),
  };
}"""

# True once the focused element is scrolled into the window (the page scrolls smoothly) and its centre
# is not covered by anything else, such as the sticky filter bar (WCAG 2.4.11).
_FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + Math.min(box.height / 2, 10);
  if (box.width === 0 || y < 0 || y > window.innerHeight) return false;
  const top = document.elementFromPoint(x, y);
  return !!top && (el === top || el.contains(top) || top.contains(el));
}"""


def tab_through(page: Page, limit: int) -> list[dict]:
    """Press Tab until focus comes back to the first control (or ``limit`` presses); what got focus,
    and whether it was shown on screen, uncovered."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if seen and focused["kbd"] == seen[0]["kbd"]:
            break
        if focused["kbd"] is not None:
            try:
                page.wait_for_function(_FOCUS_SHOWN, timeout=3_000)
                focused["onScreen"] = True
            except PlaywrightTimeoutError:
                focused["onScreen"] = False
        seen.append(focused)
    return seen


@pytest.mark.parametrize("path", ["/", "/sdg/3"])
def test_tab_reaches_every_control_and_shows_where_the_focus_is(page, app_url, path):
    open_page(page, app_url, path)
    page.wait_for_selector(".ag-center-cols-container [role=row]" if path != "/" else ".sdg-chip")
    controls = page.evaluate(_MARK_CONTROLS)
    by_kbd = {c["kbd"]: c for c in controls}
    kinds = {
        "nav link": [c for c in controls if "nav-link" in c["cls"]],
        "filter dropdown": [c for c in controls if c["id"] in ("filter-quarter", "filter-department", "filter-status")],
        "chart export": [c for c in controls if '"type":"chart-png"' in c["id"] or '"type":"chart-svg"' in c["id"]],
        "drill link": [c for c in controls if c["href"].startswith("/sdg/")],
    }
    if path == "/sdg/3":
        kinds["table download"] = [c for c in controls if '"type":"table-csv"' in c["id"]]
        kinds["grid"] = [c for c in controls if "ag-root-wrapper" in c["cls"]]
    for kind, found in kinds.items():
        assert found, f"no {kind} on {path}"  # the page has what the test claims to check

    focused = tab_through(page, limit=len(controls) + 40)
    reached = {f["kbd"] for f in focused if f["kbd"] is not None}
    missed = [by_kbd[k] for k in by_kbd if k not in reached]
    assert not missed, f"Tab never reached: {missed}"
    hidden = [f["describe"] for f in focused if f["kbd"] is not None and not (f["visible"] and f["onScreen"])]
    assert not hidden, f"focus not visible on: {hidden}"
    assert focused[0]["describe"].startswith("A skip-link")  # the first stop is the skip link


def test_skip_link_shows_first_and_moves_focus_to_the_page_content(page, app_url):
    open_page(page, app_url, "/sdg/3")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # shown on screen once focused
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("#main-content"))
    page.keyboard.press("Tab")
    inside_main = page.evaluate("() => !!document.activeElement.closest('main#main-content')")
    assert inside_main, page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    # The filter bar and navigation were skipped: the first stop in the content is the breadcrumb.
    expect(page.locator("nav[aria-label=Kruimelpad] a").first).to_be_focused()


def tab_to(page: Page, css: str, limit: int = 150) -> None:
    """Press Tab until the element matching ``css`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(css) => document.activeElement && document.activeElement.matches(css)", css):
            return
    raise AssertionError(f"Tab never reached {css}")


_FOCUSED_OPTION = "() => { const l = document.activeElement.closest('label'); return l ? l.innerText.trim() : null; }"


def test_filters_open_and_change_with_the_keyboard(page, app_url):
    open_page(page, app_url, "/sdg/3")
    tab_to(page, "#filter-status")
    page.keyboard.press("Enter")
    expect(page.locator(".dash-dropdown-content")).to_be_visible()
    for _ in range(5):  # arrow keys move through the options (the dropdown moves focus a frame later)
        before = page.evaluate(_FOCUSED_OPTION)
        page.keyboard.press("ArrowDown")
        page.wait_for_function(f"() => ({_FOCUSED_OPTION})() !== {json.dumps(before)}", timeout=3_000)
        if page.evaluate(_FOCUSED_OPTION) == "Bezig":
            break
    assert page.evaluate(_FOCUSED_OPTION) == "Bezig"
    expect(page.get_by_role("checkbox", name="Bezig", exact=True)).to_be_focused()  # a named checkbox
    page.keyboard.press("Space")
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: query(url) == [("status", "Bezig")])
    expect(page.locator(".dash-dropdown-content")).to_have_count(0)
    expect(page.locator("#filter-status")).to_be_focused()  # focus returns to the dropdown


def test_drill_down_from_overview_to_task_without_a_mouse(page, app_url):
    open_page(page, app_url, "/")
    tab_to(page, "a.sdg-chip[href='/sdg/3']")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: path_of(url) == "/sdg/3")
    wait_for_charts(page)
    expect(heading(page)).to_contain_text("SDG 03")

    tab_to(page, "[data-table='SDG03-uitgaven'] a[href^='/sdg/3/ap/02']")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: path_of(url) == "/sdg/3/ap/02")
    wait_for_charts(page)
    expect(heading(page)).to_contain_text("AP02")

    # The task grid: Tab reaches it, arrow keys move to the first task's Taak cell, Enter opens the task.
    page.wait_for_selector(".ag-center-cols-container [role=row]")
    tab_to(page, ".task-grid .ag-header-cell")
    page.keyboard.press("ArrowDown")
    for _ in range(8):
        if page.evaluate("() => document.activeElement.getAttribute('col-id')") == "Taak":
            break
        page.keyboard.press("ArrowRight")
    cell = page.evaluate("() => [document.activeElement.getAttribute('col-id'), document.activeElement.innerText]")
    assert cell[0] == "Taak", cell
    href = page.evaluate("() => document.activeElement.querySelector('a').getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: path_of(url) == path_of(href) and "/taak/" in url)
    wait_for_charts(page)
    expect(heading(page)).to_contain_text(cell[1].split("|")[0].strip())


def test_pillar_tile_opens_its_sdg_with_enter(page, app_url):
    open_page(page, app_url, "/pijler/people")
    tab_to(page, ".sdg-tile[href='/sdg/3']")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: path_of(url) == "/sdg/3")
    wait_for_charts(page)
    expect(heading(page)).to_contain_text("SDG 03")
