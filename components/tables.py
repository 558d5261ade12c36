"""The report-style budget table and the task table (AG Grid), each with CSV/XLSX download buttons."""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.formatting import euro, pct
from dashboard.tables import BUDGET_HEADERS


def download_buttons(name: str, label: str) -> html.Div:
    """CSV and XLSX buttons for the table called ``name``."""
    return html.Div(
        [
            html.Button(
                "CSV",
                id=ids.table_button("csv", name),
                className="btn btn-sm btn-outline-secondary",
                **{"aria-label": f"Download {label} als CSV"},
            ),
            html.Button(
                "XLSX",
                id=ids.table_button("xlsx", name),
                className="btn btn-sm btn-outline-secondary",
                **{"aria-label": f"Download {label} als Excel (XLSX)"},
            ),
        ],
        className="btn-group table-tools",
        role="group",
    )


def budget_table(frame: pd.DataFrame, kind: str, name: str, links: dict[str, str]) -> html.Div:
    """The UITGAVEN/ONTVANGSTEN table as in the report, in Belgian formats; labels link to action plans.

    The policy goal (the report's first column) is shown once, as a group row; downloads keep it
    as a column.
    """
    headers = BUDGET_HEADERS[kind][1:]
    numeric = {"Totaal", "Besteld", "Ontvangen", "Resterend", "# Taken", "Besteld %", "Ontvangen %"}
    head = html.Thead(html.Tr([html.Th(h, scope="col", className="num" if h in numeric else None) for h in headers]))
    goal = frame[BUDGET_HEADERS[kind][0]].iloc[0] if len(frame) > 1 else ""
    body = [html.Tr(html.Th(goal, colSpan=len(headers), scope="colgroup"), className="group-row")] if goal else []
    for _, row in frame.iterrows():
        is_total = row["_level"] == "totaal"
        cells = []
        for h in headers:
            value = row[h]
            if h in ("Totaal", "Besteld", "Ontvangen", "Resterend"):
                shown = euro(value)
            elif h.endswith("%"):
                shown = pct(value)
            elif h == "# Taken":
                shown = str(int(value))
            elif is_total and h == "Label":
                shown = "Totaal"
            else:
                shown = dcc.Link(value, href=links[row["_key"]]) if h == "Label" and row["_key"] in links else value
            cells.append(html.Td(shown, className="num" if h in numeric else None))
        body.append(html.Tr(cells, className="total-row" if is_total else None))
    title = kind.upper()
    return html.Div(
        [
            html.Div(
                [html.H2(title, className="h6 mb-0 table-title"), download_buttons(name, f"tabel {title.lower()}")],
                className="d-flex justify-content-between align-items-center card-toolbar",
            ),
            html.Div(
                html.Table([head, html.Tbody(body)], className="table table-sm budget-table mb-0"),
                className="table-responsive",
            ),
        ],
        className="card table-card h-100",
        **{"data-table": name},
    )


def task_grid(frame: pd.DataFrame, name: str, *, show_action_plan: bool) -> html.Div:
    """The tasks with their full toelichting: sortable, searchable, wrapped; a task opens its history."""
    columns = []
    if show_action_plan:
        columns.append({"field": "Actieplan", "width": 190, "wrapText": True, "autoHeight": True})
    columns += [
        {"field": "Actie", "width": 230, "wrapText": True, "autoHeight": True},
        {"field": "Taak", "width": 240, "wrapText": True, "autoHeight": True, "cellRenderer": "TaskLink"},
        {"field": "Status", "width": 140, "cellRenderer": "StatusBadge", "filter": True},
        {"field": "Departement", "width": 150, "wrapText": True, "autoHeight": True, "filter": True},
        {
            "field": "Toelichting",
            "flex": 1,
            "minWidth": 320,
            "wrapText": True,
            "autoHeight": True,
            "cellClass": "toelichting-cell",
            "sortable": False,
        },
    ]
    grid = dag.AgGrid(
        id=ids.task_grid(name),
        rowData=frame.to_dict("records"),
        columnDefs=columns,
        defaultColDef={"sortable": True, "resizable": True, "suppressHeaderMenuButton": False},
        dashGridOptions={
            "domLayout": "autoHeight",
            "rowHeight": 44,
            "animateRows": False,
            "enableCellTextSelection": True,
            "ensureDomOrder": True,
            "localeText": {"noRowsToShow": "Geen taken voor deze selectie"},
            "quickFilterText": "",
            # The grid is one Tab stop (the ARIA grid pattern) instead of one per cell: arrow keys move
            # between cells, Enter on a task cell opens it (assets/40-accessibility.js), Tab moves on.
            "tabToNextCell": {"function": "false"},
            "tabToNextHeader": {"function": "false"},
        },
        getRowId="params.data._task_id",
        className="ag-theme-alpine task-grid",
        style={"width": "100%"},
    )
    return html.Div(
        [
            html.Div(
                [
                    html.H2(f"Taken ({len(frame)})", className="h6 mb-0 table-title"),
                    html.Label(
                        [
                            html.Span("Zoek in de taken", className="visually-hidden"),
                            dcc.Input(
                                type="search",
                                placeholder="Zoek in de taken…",
                                debounce=0.25,
                                id={"type": "task-search", "index": name},
                                className="form-control form-control-sm task-search",
                            ),
                        ]
                    ),
                    download_buttons(name, "takentabel"),
                ],
                className="d-flex flex-wrap gap-2 justify-content-between align-items-center card-toolbar",
            ),
            grid,
        ],
        className="table-card card",
    )
