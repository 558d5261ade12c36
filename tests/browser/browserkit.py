"""Helpers of the browser tests: waiting for Dash and Plotly, clicking chart marks like a user,
reading the task grid, and formatting expected values from the store the way the UI shows them.

The expected numbers never come from the page itself: tests compute them with ``dashboard.queries``
on the same store the app serves, and format them here (independently of ``dashboard.formatting``).
"""

from __future__ import annotations

import json
import re
import struct
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Every chart is a dcc.Graph with the pattern id {"type": "chart", "index": name} (dashboard/ids.py).
GRAPH_SELECTOR = '.dash-graph[id*=\'"type":"chart"\']'
GRID_ROWS = ".task-grid .ag-center-cols-container [role=row]"

# True once the page body exists, Dash has no callback in flight, and every chart has drawn its SVG.
CHARTS_DRAWN = """(graphSelector) => {
  if (!document.querySelector('.page')) return false;
  if (document.querySelector('._dash-loading, [data-dash-is-loading], .dash-graph--pending')) return false;
  const graphs = document.querySelectorAll(graphSelector);
  const plots = document.querySelectorAll('.js-plotly-plot');
  if (plots.length !== graphs.length) return false;
  return [...plots].every(p => p.querySelector('.main-svg') && p._fullLayout);
}"""

# JS statements that find the plotly div `gd` of the chart called `name` (its pattern id's index).
_FIND_GD = """
  const holder = document.getElementById(JSON.stringify({index: name, type: "chart"}));
  const gd = holder.classList.contains('js-plotly-plot') ? holder : holder.querySelector('.js-plotly-plot');
"""

# A point inside one donut slice (by its label) where that slice is the topmost element.
_SLICE_POINT = (
    "([name, label]) => {"
    + _FIND_GD
    + """
  const labels = gd._fullData[0].labels;
  const index = labels.indexOf(label);
  if (index < 0) return {error: 'no slice ' + label + ' in ' + labels.join(', ')};
  const path = gd.querySelectorAll('g.slice')[index].querySelector('path.surface');
  const box = path.getBoundingClientRect();
  for (let fy = 0.05; fy < 1; fy += 0.05) {
    for (let fx = 0.05; fx < 1; fx += 0.05) {
      const x = box.left + fx * box.width, y = box.top + fy * box.height;
      if (document.elementFromPoint(x, y) === path) return {x, y};
    }
  }
  return {error: 'slice ' + label + ' is not clickable (hidden or covered)'};
}"""
)

# A point on the bar (first trace) whose customdata link has the given path, inside the plot area.
_BAR_POINT = (
    "([name, path]) => {"
    + _FIND_GD
    + """
  const links = gd._fullData[0].customdata.map(c => String(c).split(/[?#]/)[0]);
  const index = links.indexOf(path);
  if (index < 0) return {error: 'no bar linking to ' + path + ' in ' + links.join(', ')};
  const bar = gd.querySelectorAll('.barlayer .trace')[0].querySelectorAll('.point')[index].querySelector('path');
  const box = bar.getBoundingClientRect();
  const plot = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 20), y = box.top + box.height / 2;
  if (box.height < 2 || x < plot.left || x > plot.right || y < plot.top || y > plot.bottom) {
    return {error: 'bar to ' + path + ' is not inside the plot area'};
  }
  return {x, y};
}"""
)

# The task grid's rows in display order (JS expression using `selector`).
_SORTED_ROWS = (
    "[...document.querySelectorAll(selector)]"
    ".sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))"
)
_ROW_IDS = "(selector) => " + _SORTED_ROWS + ".map(r => r.getAttribute('row-id'))"
# True once the grid has shown exactly `expected` for `settle` ms: AG Grid first lays rows out at the
# default height, then measures the wrapped cells and renders them again, briefly showing fewer rows.
_ROW_IDS_SETTLED = (
    "([selector, expected, settle]) => {"
    "  const same = JSON.stringify("
    + _SORTED_ROWS
    + ".map(r => r.getAttribute('row-id'))) === JSON.stringify(expected);"
    """
  const now = performance.now();
  const key = JSON.stringify(expected);
  if (!same || window.__bmRowsKey !== key) {
    window.__bmRowsKey = same ? key : null;
    window.__bmRowsSince = now;
    return false;
  }
  return now - window.__bmRowsSince >= settle;
}"""
)
_COLUMN = (
    "([selector, column]) => " + _SORTED_ROWS + ".map(r => r.querySelector(`[col-id='${column}']`).innerText.trim())"
)


def graph(page: Page, name: str) -> Locator:
    """The dcc.Graph of the chart called ``name`` (e.g. 'SDG03-uitgaven-donut')."""
    return page.locator(f"[id='{json.dumps({'index': name, 'type': 'chart'}, separators=(',', ':'))}']")


def wait_for_charts(page: Page, timeout: float = 30_000) -> None:
    """Wait until the page body is there, no Dash callback is loading and every chart is drawn."""
    page.wait_for_function(CHARTS_DRAWN, arg=GRAPH_SELECTOR, timeout=timeout)


def open_page(page: Page, base_url: str, path: str) -> None:
    """Load ``path`` in the browser (a full page load) and wait for all its charts."""
    page.goto(base_url + path)
    wait_for_charts(page)


def query(url: str) -> list[tuple[str, str]]:
    """The query parameters of ``url`` in order ('+' and %-escapes decoded)."""
    return parse_qsl(urlsplit(url).query)


def path_of(url: str) -> str:
    return urlsplit(url).path


def click_slice(page: Page, chart: str, label: str) -> None:
    """Click a donut slice with the real mouse, like a user would."""
    graph(page, chart).scroll_into_view_if_needed()
    point = page.evaluate(_SLICE_POINT, [chart, label])
    assert "error" not in point, point.get("error")
    page.mouse.click(point["x"], point["y"])


def click_bar(page: Page, chart: str, target_path: str) -> None:
    """Click (with the real mouse) the bar of a bar chart whose drill-down link goes to ``target_path``."""
    graph(page, chart).scroll_into_view_if_needed()
    point = page.evaluate(_BAR_POINT, [chart, target_path])
    assert "error" not in point, point.get("error")
    page.mouse.click(point["x"], point["y"])


def grid_row_ids(page: Page) -> list[str]:
    """The task ids of the rows the task grid shows, top to bottom."""
    return page.evaluate(_ROW_IDS, GRID_ROWS)


def grid_column(page: Page, column: str) -> list[str]:
    """The text of one column of the task grid, top to bottom."""
    return page.evaluate(_COLUMN, [GRID_ROWS, column])


def expect_grid_rows(page: Page, task_ids: list[str], timeout: float = 15_000) -> None:
    """The task grid shows exactly these tasks, in this order, and keeps showing them (waits while the
    grid is still rendering)."""
    expected = list(task_ids)
    try:
        page.wait_for_function(_ROW_IDS_SETTLED, arg=[GRID_ROWS, expected, 600], polling=100, timeout=timeout)
    except PlaywrightTimeoutError:
        pass  # the assertion below shows the difference
    assert grid_row_ids(page) == expected


def dropdown_option(page: Page, option: str) -> Locator:
    """The option called ``option`` of the open dcc.Dropdown: a labelled checkbox (multi-select) or radio
    button (single) — assets/40-accessibility.js gives them these roles instead of Dash's nested options."""
    checkbox = page.get_by_role("checkbox", name=option, exact=True)
    control = checkbox.or_(page.get_by_role("radio", name=option, exact=True))
    return page.locator(".dash-dropdown-content label").filter(has=control)


def choose(page: Page, dropdown_id: str, option: str) -> None:
    """Pick ``option`` in a dcc.Dropdown (opens it, clicks the option, closes it)."""
    page.locator(f"#{dropdown_id}").click()
    dropdown_option(page, option).click()
    page.keyboard.press("Escape")
    expect(dropdown_option(page, option)).to_have_count(0)


def dropdown_text(page: Page, dropdown_id: str) -> Locator:
    """The element showing a dropdown's value (or its placeholder)."""
    return page.locator(f"#{dropdown_id}-value")


def heading(page: Page) -> Locator:
    return page.locator("main h1.page-title")


def kpi(page: Page, name: str) -> Locator:
    """A KPI value: 'tasks', 'done', 'uitgaven' or 'ontvangsten'."""
    return page.locator(f"[data-testid=kpi-{name}]")


def euro(value: float) -> str:
    """7035738.8 → '7.035.739 €': whole euros rounded half up, dots for thousands, as the report prints them."""
    whole = int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{whole:,}".replace(",", ".") + " €"


def task_label(code, name: str) -> str:
    """What the Taak column shows: 'D03/AP02/04| Name', or just the name when the task has no code."""
    has_code = isinstance(code, str) and code.strip() != ""
    return f"{code}| {name}" if has_code else name


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert data[12:16] == b"IHDR", "PNG without IHDR as first chunk"
    return struct.unpack(">II", data[16:24])


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
