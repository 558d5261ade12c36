"""Wijzigingen (/wijzigingen?van=…&tot=…): what changed between two quarters — per task the status
change, the toelichting as a word-level diff, tasks added or dropped; per action plan besteld and
ontvangen. Also the overview's one-line summary of the changes since the previous quarter."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, clientside_callback, dcc, html

from components.cards import empty_state, kpi_card, notice
from components.changes import change_summary, diff_legend, status_badge, status_transition, word_diff
from components.navigation import page_header, quarter_option_label
from dashboard import changes, ids, services, urls
from dashboard.formatting import euro, euro_delta, number, quarter_label
from dashboard.pages.common import Context, context, filter_notice, guarded, no_store, page
from dashboard.queries import Filters


def _plural(count: int, one: str, many: str) -> str:
    return f"{number(count)} {one if count == 1 else many}"


def count_parts(counts: changes.Counts) -> list[str]:
    """'12 statuswijzigingen', '30 nieuwe toelichtingen', … (only what is not zero)."""
    parts = []
    if counts.status_changes:
        parts.append(_plural(counts.status_changes, "statuswijziging", "statuswijzigingen"))
    if counts.toelichtingen:
        parts.append(_plural(counts.toelichtingen, "nieuwe toelichting", "nieuwe toelichtingen"))
    if counts.added:
        parts.append(_plural(counts.added, "taak toegevoegd", "taken toegevoegd"))
    if counts.dropped:
        parts.append(_plural(counts.dropped, "taak geschrapt", "taken geschrapt"))
    return parts


def _compare(org: str, start: str, end: str, departments, statuses) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(task changes, budget changes) between two quarters with the page's filters."""
    tasks = changes.task_changes(
        services.tasks(Filters(org, start, departments)), services.tasks(Filters(org, end, departments)), statuses
    )
    money = changes.budget_changes(
        services.budget_lines(Filters(org, start, departments)), services.budget_lines(Filters(org, end, departments))
    )
    return tasks, money


def since_previous(ctx: Context) -> html.Div | None:
    """The overview's line 'Sinds 2023 KW1: …' linking to the changes page (None for the first quarter)."""
    start = changes.previous_quarter(ctx.view.quarters, ctx.quarter)
    if start is None:
        return None
    f = ctx.filters
    tasks, money = _compare(f.org, start, ctx.quarter, f.departments, f.statuses)
    parts = count_parts(changes.count_changes(tasks))
    besteld = money["besteld_delta"].sum() if len(money) else 0.0
    if round(besteld):
        parts.append(f"besteld {euro_delta(besteld)}")
    synthetic = bool({start, ctx.quarter} & set(ctx.view.synthetic_quarters))
    href = urls.changes(start, ctx.quarter, f.departments, f.statuses)
    return change_summary(quarter_label(start), parts, href, synthetic)


def _task_label(row) -> str:
    code = row["code"] if isinstance(row["code"], str) and row["code"] else ""
    return f"{code}| {row['name']}" if code else row["name"]


def _task_link(row, quarter: str, ctx: Context) -> dcc.Link:
    f = ctx.filters
    href = urls.task(row["task_id"]) + urls.query_string(quarter, f.departments, f.statuses)
    return dcc.Link(_task_label(row), href=href, className="change-task-link")


def _status_table(rows: pd.DataFrame, end: str, ctx: Context) -> html.Div:
    body = [
        html.Tr(
            [
                html.Td(_task_link(r, end, ctx)),
                html.Td(f"SDG {int(r['sdg'])} · {r['action_plan'][-4:]} {r['ap_label']}"),
                html.Td(status_transition(r["status_before"], r["status_after"])),
            ],
            **{"data-task-id": r["task_id"]},
        )
        for _, r in rows.iterrows()
    ]
    return html.Div(
        html.Table(
            [
                html.Thead(
                    html.Tr(
                        [
                            html.Th("Taak", scope="col"),
                            html.Th("Actieplan", scope="col"),
                            html.Th("Status", scope="col"),
                        ]
                    )
                ),
                html.Tbody(body),
            ],
            className="table table-sm changes-table mb-0",
        ),
        className="table-responsive",
    )


def _task_entry(r, start: str, end: str, ctx: Context) -> html.Article:
    """One task: what changed about it, with a link to the task in the quarter that shows it."""
    tags, body = [], []
    if r["change"] == changes.ADDED:
        tags = [html.Span("nieuwe taak", className="badge text-bg-success"), status_badge(r["status_after"])]
        body = [word_diff([("insert", r["toelichting_after"])]) if r["toelichting_after"] else None]
        link = _task_link(r, end, ctx)
    elif r["change"] == changes.DROPPED:
        tags = [html.Span("geschrapt", className="badge text-bg-secondary"), status_badge(r["status_before"])]
        body = [html.P(f"Staat niet meer in {quarter_label(end)}.", className="small text-muted mb-1")]
        link = _task_link(r, start, ctx)
    else:
        link = _task_link(r, end, ctx)
        tags = [
            status_transition(r["status_before"], r["status_after"])
            if r["status_changed"]
            else status_badge(r["status_after"])
        ]
        kind = r["toelichting_change"]
        if kind:
            label = {
                "nieuw": "nieuwe toelichting",
                "gewijzigd": "toelichting gewijzigd",
                "verwijderd": "toelichting leeg",
            }
            tags.append(html.Span(label[kind], className="badge text-bg-light"))
            body = [word_diff(changes.word_diff(r["toelichting_before"], r["toelichting_after"]))]
        else:
            body = [html.P("Toelichting ongewijzigd.", className="small text-muted mb-1")]
    return html.Article(
        [html.Div([link, *tags], className="change-head"), *body],
        className=f"change-item change-{r['change']}",
        **{"data-task-id": r["task_id"]},
    )


def _task_sections(rows: pd.DataFrame, start: str, end: str, ctx: Context) -> list:
    sections = []
    for (sdg, plan, label), group in rows.groupby(["sdg", "action_plan", "ap_label"], sort=True):
        sections.append(
            html.Section(
                [
                    html.H3(
                        dcc.Link(f"SDG {int(sdg)} · {plan[-4:]} {label}", href=ctx.link(urls.action_plan(plan))),
                        className="h6 change-group-title",
                    ),
                    *[_task_entry(r, start, end, ctx) for _, r in group.iterrows()],
                ],
                className="change-group",
            )
        )
    return sections


def _delta_class(value: float) -> str:
    return "num delta" if round(value) else "num delta delta-zero"


def _budget_table(money: pd.DataFrame, org: str, ctx: Context) -> html.Div:
    plans = services.action_plans(org).set_index("code")
    goals = services.sdgs(org).set_index("number")
    rows = []
    for _, m in money.iterrows():
        plan = m["action_plan"]
        if isinstance(plan, str) and plan in plans.index:
            label = dcc.Link(
                f"SDG {int(m['sdg'])} · {plan[-4:]} {plans.loc[plan, 'label']}", href=ctx.link(urls.action_plan(plan))
            )
        else:
            label = f"SDG {int(m['sdg'])} · {goals.loc[int(m['sdg']), 'short_name']} (beleidsdoelstelling)"
        totals = [
            f"uitgaven {euro_delta(m['uitgaven_totaal_delta'])}" if round(m["uitgaven_totaal_delta"]) else "",
            f"ontvangsten {euro_delta(m['ontvangsten_totaal_delta'])}" if round(m["ontvangsten_totaal_delta"]) else "",
        ]
        rows.append(
            html.Tr(
                [
                    html.Td(label),
                    html.Td(euro(m["besteld_before"]), className="num"),
                    html.Td(euro(m["besteld_after"]), className="num"),
                    html.Td(euro_delta(m["besteld_delta"]), className=_delta_class(m["besteld_delta"])),
                    html.Td(euro(m["ontvangen_before"]), className="num"),
                    html.Td(euro(m["ontvangen_after"]), className="num"),
                    html.Td(euro_delta(m["ontvangen_delta"]), className=_delta_class(m["ontvangen_delta"])),
                    html.Td(", ".join(t for t in totals if t) or "–", className="small"),
                ],
                **{"data-scope": m["scope"]},
            )
        )
    total = money[
        ["besteld_before", "besteld_after", "besteld_delta", "ontvangen_before", "ontvangen_after", "ontvangen_delta"]
    ].sum()
    rows.append(
        html.Tr(
            [
                html.Td("Totaal"),
                *[
                    html.Td(euro_delta(total[c]) if c.endswith("delta") else euro(total[c]), className="num")
                    for c in total.index
                ],
                html.Td(""),
            ],
            className="total-row",
        )
    )
    head = [
        "Actieplan",
        "Besteld (van)",
        "Besteld (tot)",
        "Δ besteld",
        "Ontvangen (van)",
        "Ontvangen (tot)",
        "Δ ontvangen",
        "Budgetwijziging",
    ]
    return html.Div(
        html.Table(
            [
                html.Thead(
                    html.Tr(
                        [html.Th(h, scope="col", className=None if i in (0, 7) else "num") for i, h in enumerate(head)]
                    )
                ),
                html.Tbody(rows),
            ],
            className="table table-sm budget-table changes-budget mb-0",
        ),
        className="table-responsive",
    )


def _selectors(quarters, synthetic, start: str, end: str) -> dbc.Row:
    options = [{"label": quarter_option_label(q, q in synthetic), "value": q} for q in reversed(quarters)]

    def picker(label: str, cid: str, value: str) -> dbc.Col:
        return dbc.Col(
            [
                dbc.Label(label, html_for=cid, className="filter-label"),
                dcc.Dropdown(id=cid, options=options, value=value, clearable=False, searchable=False),
            ],
            xs=6,
            md=3,
        )

    # The page's own Location: writing the shell's would need a second (duplicate) output on it.
    return dbc.Row(
        [
            dcc.Location(id=ids.CHANGES_URL, refresh="callback-nav"),
            picker("Van kwartaal", ids.CHANGES_FROM, start),
            picker("Tot kwartaal", ids.CHANGES_TO, end),
        ],
        className="g-2 mb-3 changes-selectors",
    )


@guarded
def layout(van=None, tot=None, kwartaal=None, departement=None, status=None, **_ignored):
    """The changes page."""
    ctx = context(kwartaal, departement, status)
    if ctx.view.empty_store:
        return no_store()
    quarters, synthetic = ctx.view.quarters, set(ctx.view.synthetic_quarters)
    start, end, problem = changes.resolve_pair(quarters, van, tot, kwartaal)
    crumbs = [("Overzicht", ctx.link("/")), ("Wijzigingen", None)]
    if start is None:
        return page(
            page_header("Wijzigingen", crumbs, quarter=end, org_name=ctx.org_name, synthetic=end in synthetic),
            empty_state(
                "Niets om te vergelijken",
                f"De gegevens bevatten één kwartaal ({quarter_label(end)}). Zodra een volgend kwartaal "
                "geïmporteerd is, toont deze pagina wat er veranderde: statussen, toelichtingen, taken en budget.",
            ),
        )
    header = page_header(
        f"Wijzigingen {quarter_label(start)} → {quarter_label(end)}",
        crumbs,
        quarter=end,
        org_name=ctx.org_name,
        subtitle="Wat veranderde tussen twee kwartalen: per taak de status en de toelichting, "
        "nieuwe en geschrapte taken, en per actieplan wat besteld en ontvangen werd.",
        synthetic=bool({start, end} & synthetic),
    )
    f = ctx.filters
    tasks, money = _compare(f.org, start, end, f.departments, f.statuses)
    counts = changes.count_changes(tasks)
    status_rows = tasks[tasks["status_changed"]]
    kpis = dbc.Row(
        [
            dbc.Col(
                kpi_card("Statuswijzigingen", number(counts.status_changes), test_id="kpi-status-changes"), xs=6, lg=2
            ),
            dbc.Col(
                kpi_card("Nieuwe toelichtingen", number(counts.toelichtingen), test_id="kpi-toelichtingen"), xs=6, lg=2
            ),
            dbc.Col(kpi_card("Taken toegevoegd", number(counts.added), test_id="kpi-added"), xs=6, lg=2),
            dbc.Col(kpi_card("Taken geschrapt", number(counts.dropped), test_id="kpi-dropped"), xs=6, lg=2),
            dbc.Col(
                kpi_card(
                    "Besteld",
                    euro_delta(money["besteld_delta"].sum()),
                    "uitgaven, alle actieplannen",
                    test_id="kpi-besteld",
                ),
                xs=6,
                lg=2,
            ),
            dbc.Col(
                kpi_card(
                    "Ontvangen", euro_delta(money["ontvangen_delta"].sum()), "ontvangsten", test_id="kpi-ontvangen"
                ),
                xs=6,
                lg=2,
            ),
        ],
        className="g-3 mb-3 kpi-row",
    )
    nothing = tasks.empty and money.empty
    return page(
        header,
        filter_notice(ctx),
        notice(problem, "warning") if problem else None,
        _selectors(quarters, synthetic, start, end),
        kpis,
        empty_state("Geen wijzigingen", "Voor deze selectie veranderde er niets tussen beide kwartalen.")
        if nothing
        else None,
        html.Section(
            [html.H2(f"Statuswijzigingen ({len(status_rows)})", className="h5"), _status_table(status_rows, end, ctx)],
            id="statuswijzigingen",
            className="card table-card p-3 mb-3",
        )
        if len(status_rows)
        else None,
        html.Section(
            [
                html.H2(f"Taken met wijzigingen ({len(tasks)})", className="h5"),
                diff_legend(),
                *_task_sections(tasks, start, end, ctx),
            ],
            id="taken",
            className="mb-3 changes-tasks",
        )
        if len(tasks)
        else None,
        html.Section(
            [
                html.H2("Budget per actieplan", className="h5"),
                html.P(
                    "Besteld (uitgaven) en ontvangen (ontvangsten) per actieplan; alleen lijnen die veranderden.",
                    className="small text-muted",
                ),
                _budget_table(money, f.org, ctx),
            ],
            id="budget",
            className="card table-card p-3 mb-3",
        )
        if len(money)
        else None,
    )


# The quarter pickers write van/tot (and kwartaal = tot) into the URL, so the comparison is a link.
clientside_callback(
    """function (van, tot, search) {
        const nu = window.dash_clientside.no_update;
        if (!van || !tot) { return nu; }
        const params = new URLSearchParams(search || "");
        if (params.get("van") === van && params.get("tot") === tot && params.get("kwartaal") === tot) { return nu; }
        params.set("kwartaal", tot);  // the filter bar shows the later quarter, as the page does
        params.set("van", van);
        params.set("tot", tot);
        return "?" + params.toString();
    }""",
    Output(ids.CHANGES_URL, "search"),
    Input(ids.CHANGES_FROM, "value"),
    Input(ids.CHANGES_TO, "value"),
    State(ids.CHANGES_URL, "search"),
    prevent_initial_call=True,
)

dash.register_page(
    __name__, path="/wijzigingen", name="Wijzigingen", title="Wijzigingen · Beleidsmonitor", order=5, layout=layout
)
