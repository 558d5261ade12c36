"""Top navigation, breadcrumbs, page header and the filter bar."""

from __future__ import annotations

from collections.abc import Collection

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.search import search_box
from dashboard import ids
from dashboard.contrast import on_colour
from dashboard.formatting import quarter_label
from dashboard.schema import STATUSES


def top_nav(org_name: str, pillars: list[tuple[str, str]]) -> dbc.Navbar:
    """The navigation bar: brand, Overzicht, one link per pillar and Wijzigingen (hrefs keep the filters)."""
    links = [dbc.NavItem(dbc.NavLink("Overzicht", href="/", id={"type": ids.NAV_LINK, "index": "/"}))]
    links += [
        dbc.NavItem(dbc.NavLink(name, href=f"/pijler/{slug}", id={"type": ids.NAV_LINK, "index": f"/pijler/{slug}"}))
        for slug, name in pillars
    ]
    links.append(
        dbc.NavItem(dbc.NavLink("Wijzigingen", href="/wijzigingen", id={"type": ids.NAV_LINK, "index": "/wijzigingen"}))
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [html.Span("Beleidsmonitor", className="brand-name"), html.Span(org_name, className="brand-org")],
                    href="/",
                    className="me-4",
                ),
                dbc.Nav(links, navbar=True, className="me-auto", id=ids.NAV),
                search_box(),
                html.Button(
                    "Presentatie",
                    id=ids.PRESENTATION_TOGGLE,
                    className="btn btn-sm btn-outline-primary presentation-toggle",
                    title="Presentatiemodus: grote letters; ← / → vorige of volgende pijler of SDG; Esc stopt",
                ),
            ],
            fluid=True,
        ),
        color="white",
        className="top-nav border-bottom",
        expand="md",
    )


SYNTHETIC_BANNER = "Synthetische gegevens — gegenereerd voor test en demo, geen echte cijfers"


def quarter_option_label(quarter: str, synthetic: bool = False) -> str:
    """'2023 KW2', or '2023 KW2 · synthetisch' for a quarter with generated figures."""
    return f"{quarter_label(quarter)} · synthetisch" if synthetic else quarter_label(quarter)


def synthetic_banner(detail: str | None = None) -> html.Div:
    """The warning every page shows while it shows synthetic figures."""
    return html.Div(
        [html.Strong(SYNTHETIC_BANNER), html.Span(f" {detail}") if detail else None],
        className="alert alert-warning synthetic-banner py-2 mb-2",
        role="note",
        **{"data-testid": "synthetic-banner"},
    )


def filter_bar(quarters: list[str], departments: list[str], synthetic: Collection[str] = ()) -> html.Div:
    """Quarter, department and status filters; their values mirror the URL query string.
    Quarters in ``synthetic`` are labelled as such in the dropdown."""
    latest = quarters[-1] if quarters else None
    return html.Div(
        dbc.Container(
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Kwartaal", html_for=ids.FILTER_QUARTER, className="filter-label"),
                            dcc.Dropdown(
                                id=ids.FILTER_QUARTER,
                                options=[
                                    {"label": quarter_option_label(q, q in synthetic), "value": q}
                                    for q in reversed(quarters)
                                ],
                                value=latest,
                                clearable=False,
                                searchable=False,
                            ),
                        ],
                        xs=12,
                        md=2,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Departement", html_for=ids.FILTER_DEPARTMENT, className="filter-label"),
                            dcc.Dropdown(
                                id=ids.FILTER_DEPARTMENT,
                                options=[{"label": d, "value": d} for d in departments],
                                value=[],
                                multi=True,
                                placeholder="Alle departementen",
                            ),
                        ],
                        xs=12,
                        md=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Status", html_for=ids.FILTER_STATUS, className="filter-label"),
                            dcc.Dropdown(
                                id=ids.FILTER_STATUS,
                                options=[{"label": s, "value": s} for s in STATUSES],
                                value=[],
                                multi=True,
                                placeholder="Alle statussen",
                                searchable=False,
                            ),
                        ],
                        xs=12,
                        md=4,
                    ),
                    dbc.Col(
                        html.Button("Wis filters", id=ids.FILTER_RESET, className="btn btn-link btn-sm filter-reset"),
                        xs=12,
                        md=1,
                        className="d-flex align-items-end",
                    ),
                ],
                className="g-2 align-items-end",
            ),
            fluid=True,
        ),
        className="filter-bar",
        role="search",
        **{"aria-label": "Filters"},
    )


def breadcrumbs(items: list[tuple[str, str | None]]) -> html.Nav:
    """Overzicht › People › SDG 3 › AP02 — the last item is the current page (no link)."""
    parts = []
    for i, (label, href) in enumerate(items):
        last = i == len(items) - 1
        node = html.Span(label, **{"aria-current": "page"}) if last or not href else dcc.Link(label, href=href)
        parts.append(html.Li(node, className="breadcrumb-item" + (" active" if last else "")))
    return html.Nav(html.Ol(parts, className="breadcrumb mb-1"), **{"aria-label": "Kruimelpad"})


def page_header(
    title: str,
    crumbs: list[tuple[str, str | None]],
    *,
    quarter: str,
    org_name: str,
    subtitle: str | None = None,
    colour: str | None = None,
    badge: str | None = None,
    synthetic: bool = False,
) -> html.Header:
    """The page title with breadcrumbs and the 'Stand van zaken' line naming the quarter shown
    (with a banner when that quarter's figures are synthetic)."""
    source = (
        " · gegenereerd voor test en demo (python -m dashboard synth of region), niet uit het opvolgingsrapport"
        if synthetic
        else " · Bron: opvolgingsrapport meerjarenplan 2020–2025 (Power BI-rapport, status per kwartaal)"
    )
    return html.Header(
        [
            breadcrumbs(crumbs),
            html.Div(
                [
                    html.Span(badge, className="sdg-badge", style=on_colour(colour)) if badge else None,
                    html.H1(title, className="page-title"),
                ],
                className="d-flex align-items-center gap-3",
            ),
            html.P(subtitle, className="page-subtitle") if subtitle else None,
            synthetic_banner() if synthetic else None,
            html.P(
                [
                    html.Strong(
                        f"Stand van zaken: {quarter_option_label(quarter, synthetic)}", className="stand-van-zaken"
                    ),
                    f" · {org_name}{source}",
                ],
                className="source-line",
            ),
        ],
        className="page-header",
        style={"borderColor": colour} if colour else None,
    )
