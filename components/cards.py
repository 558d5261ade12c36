"""KPI cards, chart cards with image export, notices and empty states."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.chart_text import plain_title


def kpi_card(label: str, value: str, detail: str | None = None, *, test_id: str | None = None) -> dbc.Card:
    """A key figure with a label and an optional detail line."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(label, className="kpi-label"),
                html.Div(value, className="kpi-value", **({"data-testid": test_id} if test_id else {})),
                html.Div(detail, className="kpi-detail") if detail else None,
            ]
        ),
        className="kpi-card h-100",
    )


def chart_card(
    name: str, figure: dict, *, filename: str, description: str, drillable: bool = False, fill: bool = True
) -> html.Div:
    """A chart with PNG (2×) and SVG download buttons and a text alternative for screen readers.

    ``name`` must be unique on the page; ``filename`` has no extension (``SDG03_uitgaven_2023KW1``);
    ``description`` says what the chart shows with its figures; ``fill`` stretches the card to its
    row's height. The chart sits in a ``role="img"`` element named "<title>. <description>", so a
    screen reader reads that instead of the SVG's loose tick labels.
    """
    # Plotly's own mode bar is off: the card's toolbar offers the exports, and a projector view stays calm.
    config = {
        "displayModeBar": False,
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }
    height = figure["layout"].get("height", 320)
    buttons = html.Div(
        [
            html.Button(
                "PNG",
                id=ids.image_button("png", name),
                className="btn btn-sm btn-outline-secondary",
                title=f"Download {filename}.png (hoge resolutie)",
                **{"data-filename": filename, "aria-label": f"Download grafiek als PNG: {filename}"},
            ),
            html.Button(
                "SVG",
                id=ids.image_button("svg", name),
                className="btn btn-sm btn-outline-secondary",
                title=f"Download {filename}.svg",
                **{"data-filename": filename, "aria-label": f"Download grafiek als SVG: {filename}"},
            ),
        ],
        className="chart-tools btn-group",
        role="group",
    )
    return html.Div(
        [
            html.Div(buttons, className="chart-toolbar"),
            html.Div(
                dcc.Graph(
                    id=ids.graph(name),
                    figure=figure,
                    config=config,
                    responsive=True,
                    style={"height": f"{height}px"},
                    className="chart" + (" chart-drillable" if drillable else ""),
                ),
                className="chart-graph",
                role="img",
                **{"aria-label": text_alternative(figure, description)},
            ),
        ],
        className="card chart-card" + (" h-100" if fill else ""),
    )


def text_alternative(figure: dict, description: str) -> str:
    """'<chart title>. <what it shows, with its figures>' — the accessible name of a chart."""
    title = plain_title(figure)
    return f"{title}. {description}" if title else description


def notice(text: str, colour: str = "info") -> dbc.Alert:
    """A short message above the content (e.g. an unknown quarter in the link)."""
    return dbc.Alert(text, color=colour, className="py-2 mb-3")


def empty_state(title: str, text: str) -> html.Div:
    """What a page shows when a selection has no data: say so plainly."""
    return html.Div(
        [html.H2(title, className="h5"), html.P(text, className="mb-0")], className="empty-state", role="status"
    )
