"""Zoeken (/zoeken?q=…): task names and toelichtingen of every quarter, best matches first, per quarter."""

from __future__ import annotations

import dash
from dash import dcc, html

from components.cards import empty_state
from components.navigation import breadcrumbs, synthetic_banner
from components.search import Hit, result_groups
from dashboard import services, urls
from dashboard.formatting import quarter_label
from dashboard.pages.common import Context, context, filter_notice, guarded, no_store, page
from dashboard.parsing import quarter_sort_key
from dashboard.search import DEFAULT_LIMIT, excerpt, highlight, parse_query

PATH = "/zoeken"


def _filters_text(ctx: Context) -> str | None:
    f = ctx.filters
    parts = []
    if f.departments:
        parts.append("departement " + ", ".join(f.departments))
    if f.statuses:
        parts.append("status " + ", ".join(f.statuses))
    return "; ".join(parts) or None


def _hits(ctx: Context, frame, query) -> list[tuple[str, str, bool, list[Hit]]]:
    """Results per quarter, newest first; each linking to its task page in that quarter with the filters."""
    f = ctx.filters
    latest = ctx.view.quarters[-1]
    synthetic = set(ctx.view.synthetic_quarters)
    out = []
    for quarter in sorted(set(frame["quarter"]), key=quarter_sort_key, reverse=True):
        rows = frame[frame["quarter"] == quarter]
        shown_quarter = None if quarter == latest else quarter
        hits = [
            Hit(
                task_id=r["task_id"],
                href=urls.task(r["task_id"]) + urls.query_string(shown_quarter, f.departments, f.statuses),
                code=r["code"] if isinstance(r["code"], str) and r["code"].strip() else None,
                title=highlight(r["name"], query),
                meta=f"SDG {int(r['sdg'])} · {r['action_plan'][-4:]} {r['ap_label']} · {r['department']}",
                status=r["status"],
                text=excerpt(r["toelichting"], query) if r["toelichting"] else [],
            )
            for _, r in rows.iterrows()
        ]
        out.append((quarter, quarter_label(quarter), quarter in synthetic, hits))
    return out


@guarded
def layout(q=None, kwartaal=None, departement=None, status=None, **_ignored):
    """The search page."""
    ctx = context(kwartaal, departement, status)
    if ctx.view.empty_store:
        return no_store()
    text = (q[0] if isinstance(q, list) and q else q) or ""
    query = parse_query(text)
    header = html.Header(
        [
            breadcrumbs([("Overzicht", ctx.link(urls.overview())), ("Zoeken", None)]),
            html.H1(f"Zoeken: {query.text}" if query.text else "Zoeken", className="page-title"),
            html.P(
                f"In de taaknamen en toelichtingen van alle kwartalen · {ctx.org_name}. Hoofdletters, accenten en "
                "vervoegingen maken niet uit (Oekraine vindt Oekraïne, beek vindt beken).",
                className="source-line",
            ),
        ],
        className="page-header",
    )
    if query.empty:
        return page(
            header,
            empty_state(
                "Typ een zoekterm",
                "Gebruik het zoekvak bovenaan om taken en toelichtingen van alle kwartalen te doorzoeken.",
            ),
        )
    frame = services.search_tasks(ctx.filters, query.text)
    filters = _filters_text(ctx)
    if frame.empty:
        hint = None
        if filters:
            hint = html.P(
                [
                    f"Er wordt alleen gezocht binnen de filters ({filters}). ",
                    dcc.Link("Zoek zonder filters", href=PATH + urls.query_string(q=query.text)),
                ]
            )
        return page(
            header,
            filter_notice(ctx),
            html.Div(
                [
                    html.H2("Geen resultaten", className="h5"),
                    html.P(f"Niets gevonden voor ‘{query.text}’ in de taaknamen en toelichtingen.", className="mb-1"),
                    hint,
                ],
                className="empty-state",
                role="status",
            ),
        )
    groups = _hits(ctx, frame, query)
    count = len(frame)
    results = f"{count} resulta{'ten' if count != 1 else 'at'}"
    summary = (
        f"{'De eerste ' if count >= DEFAULT_LIMIT else ''}{results} voor ‘{query.text}’"
        f" in {len(groups)} kwarta{'len' if len(groups) != 1 else 'al'}, beste eerst"
        + (f" · filters: {filters}" if filters else "")
        + "."
    )
    any_synthetic = any(synthetic for _, _, synthetic, _ in groups)
    return page(
        header,
        synthetic_banner("Resultaten uit kwartalen met het label ‘synthetisch’ zijn gegenereerd.")
        if any_synthetic
        else None,
        filter_notice(ctx),
        html.P(summary, className="search-summary", role="status"),
        result_groups(groups),
    )


dash.register_page(__name__, path=PATH, name="Zoeken", order=7, title="Zoeken · Beleidsmonitor", layout=layout)
