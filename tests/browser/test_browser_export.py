"""Exports: charts as PNG (2×) and SVG with meaningful names, tables as CSV/XLSX with exactly the rows shown."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from browserkit import (
    GRID_ROWS,
    choose,
    euro,
    expect_grid_rows,
    graph,
    grid_column,
    grid_row_ids,
    kpi,
    open_page,
    png_size,
    query,
    wait_for_charts,
)
from playwright.sync_api import expect

from dashboard import queries

pytestmark = pytest.mark.browser


def download(page, button, tmp_path):
    """Click ``button`` and return the download's suggested name and bytes."""
    with page.expect_download() as info:
        button.click()
    dl = info.value
    target = tmp_path / dl.suggested_filename
    dl.save_as(target)
    assert dl.failure() is None
    return dl.suggested_filename, target.read_bytes()


def test_chart_downloads_as_png_at_twice_its_size_and_as_svg_with_its_title(page, app_url, tmp_path):
    open_page(page, app_url, "/sdg/3")
    chart = graph(page, "SDG03-uitgaven-donut")
    chart.scroll_into_view_if_needed()
    box = chart.locator(".js-plotly-plot").evaluate(
        "gd => { const r = gd.getBoundingClientRect(); return {width: r.width, height: r.height}; }"
    )
    assert box["width"] > 200 and box["height"] > 200

    png = page.locator('[data-filename="SDG03_uitgaven_2023KW1"]', has_text="PNG")
    expect(png).to_have_count(1)
    name, data = download(page, png, tmp_path)
    assert name == "SDG03_uitgaven_2023KW1.png"
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = png_size(data)
    # Twice the on-screen size (CSS pixels may be fractional; the image is whole pixels).
    assert abs(width - 2 * box["width"]) <= 1, (width, box)
    assert abs(height - 2 * box["height"]) <= 1, (height, box)

    svg = page.locator('[data-filename="SDG03_uitgaven_2023KW1"]', has_text="SVG")
    name, data = download(page, svg, tmp_path)
    assert name == "SDG03_uitgaven_2023KW1.svg"
    text = data.decode("utf-8")
    assert text.lstrip().startswith(("<svg", "<?xml"))
    assert "SDG 3: uitgaven, besteld en resterend" in text  # the chart's title
    assert "Stad Harelbeke" in text and "2023 KW1" in text  # the caption naming bestuur and quarter


def test_task_table_xlsx_has_exactly_the_rows_the_grid_shows(page, app_url, store, tmp_path):
    open_page(page, app_url, "/sdg/3")
    choose(page, "filter-status", "Bezig")
    page.wait_for_url(lambda url: query(url) == [("status", "Bezig")])
    bezig = queries.tasks(store.engine, store.filters(statuses=["Bezig"]), sdg=3)
    expect(kpi(page, "tasks")).to_have_text(str(len(bezig)))
    wait_for_charts(page)
    expect_grid_rows(page, bezig["task_id"].tolist())

    # The search box narrows the grid (AG Grid quick filter over every column).
    term = "platform"
    columns = ["ap_label", "action_text", "name", "status", "department", "toelichting"]
    matching = bezig[bezig[columns].fillna("").apply(lambda r: term in " ".join(r).lower(), axis=1)]
    assert 1 < len(matching) < len(bezig)
    page.locator(".task-search").fill(term)
    expect_grid_rows(page, matching["task_id"].tolist())

    # Sorted Z→A on Taak, as a user might before exporting.
    header = page.locator(".task-grid .ag-header-cell[col-id=Taak]")
    header.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect_grid_rows(page, sorted(matching["task_id"], reverse=True))
    shown_ids = grid_row_ids(page)
    shown_taak = grid_column(page, "Taak")

    xlsx = page.locator(".table-card:has(.task-grid) button", has_text="XLSX")
    name, data = download(page, xlsx, tmp_path)
    assert name == "SDG03-taken_2023KW1.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_row, body = list(rows[0]), rows[1:]
    assert header_row == ["Actieplan", "Actie", "Taak", "Status", "Departement", "Toelichting"]
    assert len(body) == len(shown_ids) == page.locator(GRID_ROWS).count()
    assert [r[2] for r in body] == shown_taak
    assert {r[3] for r in body} == {"Bezig"}


def test_budget_table_csv_is_semicolon_separated_with_bom_and_its_totaal(page, app_url, store, tmp_path):
    rows = queries.action_plan_overview(store.engine, store.filters(), 3)
    plans = rows[rows["level"] == "actieplan"]

    open_page(page, app_url, "/sdg/3")
    shown = page.eval_on_selector_all(
        "[data-table='SDG03-uitgaven'] tbody tr:not(.group-row)",
        "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.innerText.trim()))",
    )
    button = page.locator("[data-table='SDG03-uitgaven'] button", has_text="CSV")
    name, data = download(page, button, tmp_path)

    assert name == "SDG03-uitgaven_2023KW1.csv"
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without UTF-8 BOM (Excel would garble é, €)"
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Beleidsdoelstelling", "Label", "Totaal", "Besteld", "Besteld %", "Resterend", "# Taken"]
    body, total = table[1:-1], table[-1]

    def amount(cell: str) -> float:
        return float(cell.replace(",", "."))

    # Exactly the rows shown: same labels, same amounts (the screen rounds to whole euros).
    assert [r[1] for r in body] == [r[0] for r in shown[:-1]]
    assert [euro(amount(r[2])) for r in body] == [r[1] for r in shown[:-1]]
    assert [round(amount(r[2]), 2) for r in body] == [round(v, 2) for v in plans["uitgaven_totaal"]]
    assert total[0] == "Totaal"
    assert round(amount(total[2])) == 7035739
    assert amount(total[2]) == pytest.approx(plans["uitgaven_totaal"].sum(), abs=0.005)
    assert euro(amount(total[2])) == shown[-1][1] == "7.035.739 €"
    assert round(amount(total[3])) == 2489310
