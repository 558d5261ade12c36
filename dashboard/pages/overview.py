"""Overzicht (/): the five pillars side by side, then tasks and budget per SDG for the whole plan."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.cards import chart_card, empty_state
from components.navigation import page_header
from components.pack import with_pack_button
from dashboard import chart_text, figures, services, urls
from dashboard.contrast import on_colour
from dashboard.formatting import euro, number, pct
from dashboard.pages.attention import attention_overview
from dashboard.pages.changes import since_previous
from dashboard.pages.common import context, filter_notice, guarded, kpi_row, no_data_message, no_store, page, totals
from dashboard.schema import STATUSES


def _pillar_column(ctx, row, sdg_rows) -> dbc.Card:
    slug, name = row["key"], row["name"]
    chips = html.Div(
        [
            dcc.Link(
                f"{int(s['key'])}",
                href=ctx.link(urls.sdg(s["key"])),
                className="sdg-chip",
                style=on_colour(s["colour"]),
                title=f"SDG {int(s['key'])}: {s['short_name']}",
            )
            for _, s in sdg_rows.iterrows()
        ],
        className="sdg-chips",
    )
    header = html.Div(
        [
            dcc.Link(html.H2(name, className="h5 mb-0"), href=ctx.link(urls.pillar(slug)), className="pillar-link"),
            chips,
        ],
        className="pillar-head",
    )
    if not len(sdg_rows) or int(sdg_rows["action_plans"].sum()) == 0:
        body = empty_state(
            "Geen actieplannen",
            f"Het meerjarenplan heeft geen actieplannen onder {name} "
            f"(SDG {', '.join(str(int(k)) for k in sdg_rows['key'])}).",
        )
        return html.Div(
            [header, dbc.CardBody(body)], className="card pillar-card h-100 pillar-empty", **{"data-pillar": slug}
        )
    counts = {s: int(row[s]) for s in STATUSES}
    links = {s: ctx.link(urls.pillar(slug), statuses=(s,)) for s in STATUSES}
    donut = figures.status_donut(
        counts, title=f"{name}: taken per status", caption=ctx.caption, links=links, height=270
    )
    return html.Div(
        [
            header,
            dbc.CardBody(
                [
                    chart_card(
                        f"pillar-{slug}-status",
                        donut,
                        filename=ctx.filename(name, "taken"),
                        description=f"{name}: {figures.describe_status(counts)}",
                        drillable=True,
                        fill=False,
                    ),
                    html.Dl(
                        [
                            html.Dt("Taken"),
                            html.Dd(number(row["tasks"]), **{"data-testid": f"tasks-{slug}"}),
                            html.Dt("Voltooid"),
                            html.Dd(pct(row["pct_voltooid"])),
                            html.Dt("Uitgaven"),
                            html.Dd([euro(row["uitgaven_totaal"]), html.Small(f" {pct(row['besteld_pct'])} besteld")]),
                            html.Dt("Ontvangsten"),
                            html.Dd(
                                [euro(row["ontvangsten_totaal"]), html.Small(f" {pct(row['ontvangen_pct'])} ontvangen")]
                            ),
                        ],
                        className="pillar-figures",
                    ),
                ]
            ),
        ],
        className="card pillar-card h-100",
        **{"data-pillar": slug},
    )


@guarded
def layout(kwartaal=None, departement=None, status=None, **_ignored):
    """The overview page."""
    ctx = context(kwartaal, departement, status)
    if ctx.view.empty_store:
        return no_store()
    pillar_rows = services.pillar_overview(ctx.filters)
    sdg_rows = services.sdg_overview(ctx.filters)
    overall = totals(pillar_rows)
    columns = [
        dbc.Col(_pillar_column(ctx, row, sdg_rows[sdg_rows["pillar_id"] == row["key"]]), xs=12, md=6, xl=True)
        for _, row in pillar_rows.iterrows()
    ]
    with_tasks = sdg_rows[sdg_rows["action_plans"] > 0].copy()
    with_tasks["label"] = [f"SDG {int(k)} {n}" for k, n in zip(with_tasks["key"], with_tasks["short_name"])]
    with_tasks["link"] = [ctx.link(urls.sdg(k)) for k in with_tasks["key"]]
    status_fig = figures.status_bars(
        with_tasks, label="label", link="link", title="Taken per SDG en status", caption=ctx.caption
    )
    money_fig = figures.budget_bars(
        with_tasks,
        label="label",
        total="uitgaven_totaal",
        realised="uitgaven_besteld",
        kind="uitgaven",
        link="link",
        title="Uitgaven per SDG: totaal en besteld",
        caption=ctx.caption,
    )
    nothing = overall["tasks"] == 0 and overall["uitgaven_totaal"] == 0
    return page(
        with_pack_button(
            page_header(
                "Meerjarenplan 2020–2025",
                [("Overzicht", None)],
                quarter=ctx.quarter,
                org_name=ctx.org_name,
                synthetic=ctx.synthetic,
                subtitle="De voortgang van het meerjarenplan per pijler: taken, uitgaven en ontvangsten.",
            ),
            "plan",
        ),
        filter_notice(ctx),
        empty_state("Geen gegevens", no_data_message(ctx)) if nothing else None,
        kpi_row(overall),
        since_previous(ctx),
        attention_overview(ctx),
        dbc.Row(columns, className="g-3 mb-3 pillar-row"),
        dbc.Row(
            [
                dbc.Col(
                    chart_card(
                        "overview-sdg-status",
                        status_fig,
                        filename=ctx.filename("Overzicht", "taken_per_SDG"),
                        description=chart_text.describe_status_bars(with_tasks, label="label"),
                        drillable=True,
                    ),
                    lg=6,
                ),
                dbc.Col(
                    chart_card(
                        "overview-sdg-uitgaven",
                        money_fig,
                        filename=ctx.filename("Overzicht", "uitgaven_per_SDG"),
                        description=chart_text.describe_budget_bars(
                            with_tasks,
                            label="label",
                            total="uitgaven_totaal",
                            realised="uitgaven_besteld",
                            kind="uitgaven",
                        ),
                        drillable=True,
                    ),
                    lg=6,
                ),
            ],
            className="g-3 presenter-hide",
        ),
    )


dash.register_page(__name__, path="/", name="Overzicht", title="Overzicht · Beleidsmonitor", order=0, layout=layout)
