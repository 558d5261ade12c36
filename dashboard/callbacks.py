"""Shell callbacks: filters ↔ URL, navigation links, drill-down clicks, image and table downloads.

The browser-side ones live in assets/20-beleidsmonitor.js (namespace ``beleidsmonitor``); the only
server-side callback builds table downloads from the store or from the rows a grid shows.
"""

from __future__ import annotations

import logging
import re

import pandas as pd
from dash import (
    ALL,
    MATCH,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    no_update,
)

from . import ids, services, tables
from .pages.common import context
from .urls import parse_search

log = logging.getLogger(__name__)


def _js(name: str) -> ClientsideFunction:
    return ClientsideFunction(namespace="beleidsmonitor", function_name=name)


clientside_callback(
    _js("syncFilters"),
    Output(ids.URL, "search"),
    Output(ids.FILTER_QUARTER, "value"),
    Output(ids.FILTER_DEPARTMENT, "value"),
    Output(ids.FILTER_STATUS, "value"),
    Input(ids.URL, "search"),
    Input(ids.FILTER_QUARTER, "value"),
    Input(ids.FILTER_DEPARTMENT, "value"),
    Input(ids.FILTER_STATUS, "value"),
    Input(ids.FILTER_RESET, "n_clicks"),
    State(ids.FILTER_QUARTER, "options"),
)

clientside_callback(
    _js("navLinks"),
    Output({"type": ids.NAV_LINK, "index": ALL}, "href"),
    Output({"type": ids.NAV_LINK, "index": ALL}, "active"),
    Input(ids.URL, "search"),
    Input(ids.URL, "pathname"),
    State({"type": ids.NAV_LINK, "index": ALL}, "id"),
)

clientside_callback(
    _js("presentationFilters"),
    Output(ids.PRESENTATION_FILTERS, "children"),
    Input(ids.FILTER_QUARTER, "value"),
    Input(ids.FILTER_DEPARTMENT, "value"),
    Input(ids.FILTER_STATUS, "value"),
)

clientside_callback(
    _js("drill"),
    Output(ids.URL, "href"),
    Input({"type": ids.GRAPH, "index": ALL}, "clickData"),
    prevent_initial_call=True,
)

clientside_callback(
    _js("downloadImage"),
    Output(ids.PAGE_STATE, "data"),
    Input({"type": ids.IMAGE_PNG, "index": ALL}, "n_clicks"),
    Input({"type": ids.IMAGE_SVG, "index": ALL}, "n_clicks"),
    prevent_initial_call=True,
)

clientside_callback(
    _js("quickFilter"),
    Output({"type": ids.TASK_GRID, "index": MATCH}, "dashGridOptions"),
    Input({"type": "task-search", "index": MATCH}, "value"),
    State({"type": ids.TASK_GRID, "index": MATCH}, "dashGridOptions"),
    prevent_initial_call=True,
)

# The top bar's search box (assets/25-search.js): Enter or "Zoek" opens /zoeken?q=… with the filters;
# on /zoeken the box shows the query of the URL.
clientside_callback(
    ClientsideFunction(namespace="beleidsmonitorSearch", function_name="submit"),
    Output(ids.URL, "href", allow_duplicate=True),
    Input(ids.SEARCH_INPUT, "n_submit"),
    Input(ids.SEARCH_BUTTON, "n_clicks"),
    State(ids.SEARCH_INPUT, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction(namespace="beleidsmonitorSearch", function_name="showQuery"),
    Output(ids.SEARCH_INPUT, "value"),
    Input(ids.URL, "pathname"),
    Input(ids.URL, "search"),
)

_BUDGET_TABLE = re.compile(r"^SDG(\d{2})-(uitgaven|ontvangsten)$")


def table_download(name: str, fmt: str, search: str, grid: tuple[list[dict], list[str]] | None) -> dict | None:
    """The file for a table's download button: a task grid's shown rows and columns
    (``grid`` = rows, column fields), or a budget table recomputed from the store with the
    page's filters. None for an unknown table."""
    if grid is not None:
        rows, fields = grid
        frame = pd.DataFrame(rows or [], columns=fields)[fields]
        sheet = "Taken"
    else:
        match = _BUDGET_TABLE.match(name)
        if not match:
            return None
        number, kind = int(match.group(1)), match.group(2)
        params = {k: (v if len(v) > 1 else v[0]) for k, v in parse_search(search).items()}
        page_ctx = context(params.get("kwartaal"), params.get("departement"), params.get("status"))
        info = services.sdg_info(page_ctx.filters.org, number)
        if info is None:
            return None
        frame = tables.budget_table(services.action_plan_overview(page_ctx.filters, number), kind, info["short_name"])
        sheet = kind.capitalize()
    data = tables.to_download(frame, fmt, sheet)
    return dcc.send_bytes(data, f"{name}_{_quarter_of(search)}.{fmt}")


def _quarter_of(search: str) -> str:
    params = parse_search(search)
    if params.get("kwartaal"):
        return params["kwartaal"][0]
    quarters = services.quarters()
    return quarters[-1] if quarters else ""


@callback(
    Output(ids.DOWNLOAD, "data"),
    Input({"type": ids.TABLE_CSV, "index": ALL}, "n_clicks"),
    Input({"type": ids.TABLE_XLSX, "index": ALL}, "n_clicks"),
    State(ids.URL, "search"),
    State({"type": ids.TASK_GRID, "index": ALL}, "virtualRowData"),
    State({"type": ids.TASK_GRID, "index": ALL}, "columnDefs"),
    State({"type": ids.TASK_GRID, "index": ALL}, "id"),
    prevent_initial_call=True,
)
def download_table(_csv, _xlsx, search, grid_rows, grid_columns, grid_ids):
    """Send the CSV or XLSX of the table whose button was clicked (exactly the rows shown)."""
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered[0].get("value"):
        return no_update
    name = trigger["index"]
    fmt = "csv" if trigger["type"] == ids.TABLE_CSV else "xlsx"
    grid = next(
        (
            (rows or [], [c["field"] for c in cols])
            for rows, cols, i in zip(grid_rows, grid_columns, grid_ids)
            if i["index"] == name
        ),
        None,
    )
    try:
        return table_download(name, fmt, search or "", grid) or no_update
    except Exception:  # a failed download must not show a traceback; it is logged
        log.exception("table download failed: %s", name)
        return no_update
