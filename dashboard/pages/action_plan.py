"""Actieplan (/sdg/<n>/ap/<nn>): full title, status donut, budget, and the task table with toelichtingen."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import empty_state, notice
from components.navigation import page_header
from components.tables import task_grid
from dashboard import services, tables, urls
from dashboard.pages.attention import attention_section
from dashboard.pages.common import (
    budget_donut_card,
    context,
    filter_notice,
    guarded,
    kpi_row,
    no_data_message,
    no_store,
    page,
    status_donut_card,
)
from dashboard.pages.not_found_404 import layout as not_found
from dashboard.pages.sdg import parse_sdg_number, sdg_crumbs
from dashboard.pages.trends import trend_section
from dashboard.schema import STATUSES


def resolve_code(sdg, ap) -> str | None:
    """Path values → 'D03/AP02', or None when they are not an SDG and action-plan number."""
    number = parse_sdg_number(sdg)
    if number is None or not str(ap or "").isdigit():
        return None
    return urls.action_plan_code(number, ap)


@guarded
def layout(sdg=None, ap=None, kwartaal=None, departement=None, status=None, **_ignored):
    """The page of one action plan."""
    code = resolve_code(sdg, ap)
    if code is None:
        return not_found()
    ctx = context(kwartaal, departement, status)
    if ctx.view.empty_store:
        return no_store()
    number = int(code[1:3])
    info = services.sdg_info(ctx.filters.org, number)
    rows = services.action_plan_overview(ctx.filters, number) if info is not None else None
    if rows is None or code not in set(rows["key"]):
        return not_found()
    row = rows[rows["key"] == code].iloc[0]
    goal_level = (rows["level"] == "beleidsdoelstelling").any()
    crumbs = sdg_crumbs(ctx, info, False) + [(code[-4:], None)]
    header = page_header(
        f"{code[-4:]} {row['title']}",
        crumbs,
        quarter=ctx.quarter,
        org_name=ctx.org_name,
        synthetic=ctx.synthetic,
        subtitle=f"SDG {number}: {info['short_name']} · {row['label']} · Departement: {row['department']}",
        colour=info["colour"],
        badge=str(number),
    )
    counts = {s: int(row[s]) for s in STATUSES}
    task_rows = services.tasks(ctx.filters, action_plan=code)
    name = code.replace("/", "")
    budget_charts = [
        dbc.Col(
            budget_donut_card(
                ctx, row, "uitgaven", chart_id=f"{name}-uitgaven-donut", label=f"{code[-4:]}", file_stem=name
            ),
            md=4,
        ),
        dbc.Col(
            budget_donut_card(
                ctx, row, "ontvangsten", chart_id=f"{name}-ontvangsten-donut", label=f"{code[-4:]}", file_stem=name
            ),
            md=4,
        ),
    ]
    goal_note = None
    if goal_level and not row["has_budget"]:
        budget_charts = []
        goal_note = notice(
            f"Het budget van SDG {number} wordt in de bron op het niveau van de beleidsdoelstelling "
            "bijgehouden, niet per actieplan. Zie de SDG-pagina voor de budgetlijn."
        )
    return page(
        header,
        filter_notice(ctx),
        empty_state("Geen taken", no_data_message(ctx)) if task_rows.empty else None,
        kpi_row(row),
        attention_section(ctx, action_plan=code),
        goal_note,
        dbc.Row(
            [
                dbc.Col(
                    status_donut_card(
                        ctx,
                        counts,
                        chart_id=f"{name}-status",
                        label=code[-4:],
                        file_stem=name,
                        path=urls.action_plan(code),
                    ),
                    md=4,
                ),
                *budget_charts,
            ],
            className="g-3 mb-3",
        ),
        html.Section(
            task_grid(tables.task_table(task_rows, ctx.search), f"{name}-taken", show_action_plan=False), id="taken"
        ),
        trend_section(ctx, name, code[-4:], action_plan=code),
    )


dash.register_page(
    __name__,
    path_template="/sdg/<sdg>/ap/<ap>",
    name="Actieplan",
    order=3,
    title=lambda sdg=None, ap=None, **_: f"SDG {sdg} · AP{ap} · Beleidsmonitor",
    layout=layout,
)
