"""Pijler (/pijler/<slug>): KPIs, status and budget donuts, SDG tiles, budget and status bars per SDG, tasks."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.cards import empty_state
from components.navigation import page_header
from components.pack import with_pack_button
from components.tables import task_grid
from dashboard import services, tables, urls
from dashboard.contrast import muted, on_colour
from dashboard.formatting import number, pct
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
from dashboard.schema import STATUSES


def _sdg_tile(ctx, row) -> dcc.Link:
    has_plans = int(row["action_plans"]) > 0
    detail = f"{number(row['tasks'])} taken · {pct(row['besteld_pct'])} besteld" if has_plans else "geen actieplannen"
    return dcc.Link(
        [
            html.Div(f"{int(row['key'])}", className="sdg-tile-number"),
            html.Div(row["short_name"], className="sdg-tile-name"),
            html.Div(detail, className="sdg-tile-detail"),
        ],
        href=ctx.link(urls.sdg(row["key"])),
        className="sdg-tile" + ("" if has_plans else " sdg-tile-empty"),
        # An SDG without action plans is shown greyed; its text is chosen for the grey actually seen.
        style=on_colour(row["colour"] if has_plans else muted(row["colour"])),
        title=f"SDG {int(row['key'])}: {row['short_name']}",
    )


@guarded
def layout(slug=None, kwartaal=None, departement=None, status=None, **_ignored):
    """The page of one pillar."""
    if slug not in urls.PILLAR_SLUGS:
        return not_found()
    ctx = context(kwartaal, departement, status)
    if ctx.view.empty_store:
        return no_store()
    pillars = services.pillar_overview(ctx.filters)
    row = pillars[pillars["key"] == slug].iloc[0]
    name = row["name"]
    sdg_rows = services.sdg_overview(ctx.filters, pillar=slug)
    header = page_header(
        name,
        [("Overzicht", ctx.link("/")), (name, None)],
        quarter=ctx.quarter,
        org_name=ctx.org_name,
        synthetic=ctx.synthetic,
        subtitle=f"SDG {', '.join(str(int(k)) for k in sdg_rows['key'])}",
    )
    header = with_pack_button(header, f"pillar:{slug}")
    tiles = html.Div([_sdg_tile(ctx, r) for _, r in sdg_rows.iterrows()], className="sdg-tiles mb-3")
    if int(sdg_rows["action_plans"].sum()) == 0:
        return page(
            header,
            tiles,
            empty_state(
                "Geen actieplannen in deze pijler",
                f"Het meerjarenplan 2020–2025 heeft geen actieplannen, taken of budget onder {name}. "
                "Zodra er gegevens zijn, verschijnen ze hier.",
            ),
        )
    overall = totals(sdg_rows)
    counts = {s: int(overall[s]) for s in STATUSES}
    plotted = sdg_rows[sdg_rows["action_plans"] > 0].copy()
    plotted["label"] = [f"SDG {int(k)} {n}" for k, n in zip(plotted["key"], plotted["short_name"])]
    plotted["link"] = [ctx.link(urls.sdg(k)) for k in plotted["key"]]
    task_rows = services.tasks(ctx.filters, pillar=slug)
    charts = dbc.Row(
        [
            dbc.Col(
                status_donut_card(
                    ctx, counts, chart_id=f"{slug}-status", label=name, file_stem=name, path=urls.pillar(slug)
                ),
                md=4,
            ),
            dbc.Col(
                budget_donut_card(
                    ctx, overall, "uitgaven", chart_id=f"{slug}-uitgaven-donut", label=f"{name}", file_stem=name
                ),
                md=4,
            ),
            dbc.Col(
                budget_donut_card(
                    ctx, overall, "ontvangsten", chart_id=f"{slug}-ontvangsten-donut", label=f"{name}", file_stem=name
                ),
                md=4,
            ),
        ],
        className="g-3 mb-3",
    )
    bars = budget_bars_row(ctx, plotted, chart_prefix=slug, label=name, per="SDG", file_stem=name, label_column="label")
    nothing = overall["tasks"] == 0 and overall["uitgaven_totaal"] == 0 and overall["ontvangsten_totaal"] == 0
    return page(
        header,
        filter_notice(ctx),
        empty_state("Geen gegevens", no_data_message(ctx)) if nothing else None,
        kpi_row(overall),
        attention_section(ctx, pillar=slug),
        tiles,
        charts,
        bars,
        html.Section(
            task_grid(tables.task_table(task_rows, ctx.search), f"{slug}-taken", show_action_plan=True),
            id="taken",
            className="presenter-hide",
        ),
        trend_section(ctx, slug, name, pillar=slug),
    )


dash.register_page(
    __name__,
    path_template="/pijler/<slug>",
    name="Pijler",
    order=1,
    title=lambda slug=None, **_: f"{str(slug).capitalize()} · Beleidsmonitor",
    layout=layout,
)
