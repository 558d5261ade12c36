"""SDG (/sdg/<n>): the report's UITGAVEN and ONTVANGSTEN tables, donuts, bars per action plan, tasks."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import empty_state, notice
from components.navigation import page_header
from components.pack import with_pack_button
from components.tables import budget_table, task_grid
from dashboard import services, tables, urls
from dashboard.pages.attention import attention_section
from dashboard.pages.common import (
    budget_bars_row,
    budget_donut_card,
    context,
    filter_notice,
    guarded,
    kpi_row,
    no_data_message,
    no_store,
    page,
    status_donut_card,
    totals,
)
from dashboard.pages.not_found_404 import layout as not_found
from dashboard.pages.trends import trend_section
from dashboard.queries import Filters
from dashboard.schema import STATUSES


def parse_sdg_number(value) -> int | None:
    """'3' → 3; anything that is not 1–17 → None."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 17 else None


def sdg_crumbs(ctx, info, current: bool) -> list[tuple[str, str | None]]:
    """Overzicht › Pillar › SDG n (the SDG linked unless it is the current page)."""
    number = int(info["number"])
    return [
        ("Overzicht", ctx.link("/")),
        (info["pillar_name"], ctx.link(urls.pillar(info["pillar_id"]))),
        (f"SDG {number}", None if current else ctx.link(urls.sdg(number))),
    ]


@guarded
def layout(sdg=None, kwartaal=None, departement=None, status=None, **_ignored):
    """The page of one SDG."""
    number = parse_sdg_number(sdg)
    if number is None:
        return not_found()
    ctx = context(kwartaal, departement, status)
    if ctx.view.empty_store:
        return no_store()
    info = services.sdg_info(ctx.filters.org, number)
    if info is None:
        return not_found()
    header = page_header(
        f"SDG {number:02d}: {info['title']}",
        sdg_crumbs(ctx, info, True),
        quarter=ctx.quarter,
        org_name=ctx.org_name,
        synthetic=ctx.synthetic,
        subtitle=info["short_name"],
        colour=info["colour"],
        badge=str(number),
    )
    header = with_pack_button(header, f"sdg:{number}")
    if int(info["action_plans"]) == 0:
        return page(
            header,
            empty_state(
                "Geen actieplannen voor deze SDG",
                f"Het meerjarenplan heeft geen actieplannen onder SDG {number}. "
                "Er zijn dus geen taken of budgetten om te tonen.",
            ),
        )
    rows = services.action_plan_overview(ctx.filters, number)
    overall = totals(rows[rows["level"] == "actieplan"])
    goal = rows[rows["level"] == "beleidsdoelstelling"]
    if len(goal):  # budget kept at policy-goal level: take the money from that line
        for column in ("uitgaven_totaal", "uitgaven_besteld", "ontvangsten_totaal", "ontvangsten_ontvangen"):
            overall[column] = rows.loc[rows["has_budget"], column].sum()
        overall = totals(overall.to_frame().T)
    counts = {s: int(overall[s]) for s in STATUSES}
    code = f"SDG{number:02d}"
    links = {k: ctx.link(urls.action_plan(k)) for k in rows.loc[rows["level"] == "actieplan", "key"]}
    uitgaven = tables.budget_table(rows, "uitgaven", info["short_name"])
    ontvangsten = tables.budget_table(rows, "ontvangsten", info["short_name"])
    plans = rows[rows["level"] == "actieplan"].copy()
    plans["label_full"] = [f"{k[-4:]} {lab}" for k, lab in zip(plans["key"], plans["label"])]
    plans["link"] = [links[k] for k in plans["key"]]
    budget_rows = plans[plans["has_budget"]]
    if len(goal):
        budget_rows = goal.assign(label_full=goal["label"], link="")
    goal_note = None
    if len(goal):
        goal_note = notice(
            "De bron houdt het budget van deze SDG bij op het niveau van de beleidsdoelstelling, "
            "niet per actieplan; de tabellen tonen daarom één budgetlijn."
        )
    elif ctx.filters.departments:
        unfiltered = services.action_plan_overview(Filters(ctx.filters.org, ctx.quarter), number)
        if (unfiltered["level"] == "beleidsdoelstelling").any():
            goal_note = notice(
                "Het budget van deze SDG staat op beleidsdoelstellingsniveau en kan niet aan een "
                "departement toegewezen worden; met een departementsfilter wordt het niet getoond."
            )
    nothing = overall["tasks"] == 0 and uitgaven["Totaal"].iloc[-1] == 0 and ontvangsten["Totaal"].iloc[-1] == 0
    task_rows = services.tasks(ctx.filters, sdg=number)
    return page(
        header,
        filter_notice(ctx),
        empty_state("Geen gegevens", no_data_message(ctx)) if nothing else None,
        kpi_row(overall),
        attention_section(ctx, sdg=number),
        goal_note,
        dbc.Row(
            [
                dbc.Col(budget_table(uitgaven, "uitgaven", f"{code}-uitgaven", links), xl=6),
                dbc.Col(budget_table(ontvangsten, "ontvangsten", f"{code}-ontvangsten", links), xl=6),
            ],
            className="g-3 mb-3",
        ),
        dbc.Row(
            [
                dbc.Col(
                    status_donut_card(
                        ctx,
                        counts,
                        chart_id=f"{code}-status",
                        label=f"SDG {number}",
                        file_stem=code,
                        path=urls.sdg(number),
                    ),
                    md=4,
                ),
                dbc.Col(
                    budget_donut_card(
                        ctx,
                        overall,
                        "uitgaven",
                        chart_id=f"{code}-uitgaven-donut",
                        label=f"SDG {number}",
                        file_stem=code,
                    ),
                    md=4,
                ),
                dbc.Col(
                    budget_donut_card(
                        ctx,
                        overall,
                        "ontvangsten",
                        chart_id=f"{code}-ontvangsten-donut",
                        label=f"SDG {number}",
                        file_stem=code,
                    ),
                    md=4,
                ),
            ],
            className="g-3 mb-3",
        ),
        budget_bars_row(
            ctx,
            budget_rows,
            chart_prefix=code,
            label=f"SDG {number}",
            per="actieplan",
            file_stem=code,
            label_column="label_full",
        ),
        html.Section(
            task_grid(tables.task_table(task_rows, ctx.search), f"{code}-taken", show_action_plan=True),
            id="taken",
            className="presenter-hide",
        ),
        trend_section(ctx, code, f"SDG {number}", sdg=number),
    )


dash.register_page(
    __name__,
    path_template="/sdg/<sdg>",
    name="SDG",
    order=4,
    title=lambda sdg=None, **_: f"SDG {sdg} · Beleidsmonitor",
    layout=layout,
)
