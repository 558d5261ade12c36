"""Taak (/sdg/<n>/ap/<nn>/taak/<t>): one task with its status and toelichting for every quarter."""

from __future__ import annotations

import dash
from dash import dcc, html

from components.cards import empty_state
from components.navigation import page_header
from dashboard import services, urls
from dashboard.formatting import quarter_label
from dashboard.pages.action_plan import resolve_code
from dashboard.pages.common import context, guarded, no_store, page
from dashboard.pages.not_found_404 import layout as not_found
from dashboard.pages.sdg import sdg_crumbs


def status_badge(status: str) -> html.Span:
    """A status as a coloured, labelled badge."""
    slug = status.lower().replace(" ", "-")
    return html.Span(status, className=f"status-badge status-{slug}")


@guarded
def layout(sdg=None, ap=None, taak=None, kwartaal=None, departement=None, status=None, **_ignored):
    """The page of one task: every quarter's status and toelichting, newest first."""
    code = resolve_code(sdg, ap)
    if code is None or not taak:
        return not_found()
    ctx = context(kwartaal, departement, status)
    if ctx.view.empty_store:
        return no_store()
    task_id = f"{code}/{taak}"
    detail = services.task_detail(ctx.filters.org, task_id)
    info = services.sdg_info(ctx.filters.org, int(code[1:3]))
    if detail is None or info is None:
        return not_found()
    history = services.task_history(ctx.filters.org, task_id)
    crumbs = sdg_crumbs(ctx, info, False) + [(code[-4:], ctx.link(urls.action_plan(code))), (f"Taak {taak}", None)]
    shown_code = f"{detail['code']}| " if detail["code"] else ""
    entries = []
    for _, h in history.iloc[::-1].iterrows():
        current = h["quarter"] == ctx.quarter
        entries.append(
            html.Li(
                [
                    html.Div(
                        [
                            html.Strong(quarter_label(h["quarter"])),
                            status_badge(h["status"]),
                            html.Span("getoond kwartaal", className="badge text-bg-light") if current else None,
                            html.Span("synthetisch", className="badge text-bg-warning")
                            if h["quarter"] in ctx.view.synthetic_quarters
                            else None,
                        ],
                        className="d-flex gap-2 align-items-center mb-1",
                    ),
                    html.P(
                        h["toelichting"] or "Geen toelichting voor dit kwartaal.",
                        className="toelichting" + ("" if h["toelichting"] else " text-muted fst-italic"),
                    ),
                ],
                className="timeline-item" + (" current" if current else ""),
            )
        )
    return page(
        page_header(
            f"{shown_code}{detail['name']}",
            crumbs,
            quarter=ctx.quarter,
            org_name=ctx.org_name,
            synthetic=ctx.synthetic,
            subtitle=f"Actie {detail['action'][-2:]}: {detail['action_text']} · Departement: {detail['department']}",
            colour=info["colour"],
            badge=str(int(code[1:3])),
        ),
        html.P(
            ["Actieplan: ", dcc.Link(f"{code[-4:]} {detail['ap_title']}", href=ctx.link(urls.action_plan(code)))],
            className="mb-3",
        ),
        html.Section(
            [
                html.H2("Toelichting per kwartaal", className="h5"),
                html.Ol(entries, className="timeline")
                if entries
                else empty_state("Geen updates", "Deze taak heeft nog geen status of toelichting."),
            ]
        ),
    )


dash.register_page(
    __name__,
    path_template="/sdg/<sdg>/ap/<ap>/taak/<taak>",
    name="Taak",
    order=2,
    title=lambda sdg=None, ap=None, taak=None, **_: f"Taak {taak} · AP{ap} · SDG {sdg} · Beleidsmonitor",
    layout=layout,
)
