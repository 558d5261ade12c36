"""Aandachtspunten (/aandachtspunten): every rule's findings for the plan, and the pieces other pages
add with one call: :func:`attention_section` (a page's collapsible card) and :func:`attention_overview`
(the overview's counts)."""

from __future__ import annotations

import re

import dash
from dash import html

from components.attention import Group, Item, attention_card, attention_counts, rule_block
from components.navigation import page_header
from dashboard import attention, services, urls
from dashboard.pages.common import Context, context, filter_notice, guarded, no_store, page

PATH = "/aandachtspunten"


def _meta(row) -> str:
    if isinstance(row["task_id"], str):
        return f"SDG {int(row['sdg'])} · {row['action_plan'][-4:]}"
    return ""


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def groups(ctx: Context, findings: attention.Findings, items=None, scope: dict | None = None) -> list[Group]:
    """The rules in order, each with its explanation and its ``items`` (default: all findings) as links
    that keep the page's filters; each rule links to its full list (within ``scope``, query values)."""
    items = findings.items if items is None else items
    out = []
    for rule in attention.RULES:
        mine = items[items["rule"] == rule.id]
        out.append(
            Group(
                rule.id,
                rule.title,
                findings.explanation(rule),
                tuple(Item(r["label"], ctx.link(r["path"]), _meta(r), r["detail"]) for _, r in mine.iterrows()),
                ctx.link(PATH, regel=rule.id, **(scope or {})),
            )
        )
    return out


def attention_section(
    ctx: Context, *, pillar: str | None = None, sdg: int | None = None, action_plan: str | None = None
):
    """The collapsible 'Aandachtspunten (n)' card for one pillar, SDG or action plan."""
    findings = services.attention_points(ctx.filters)
    items = attention.in_scope(findings.items, pillar=pillar, sdg=sdg, action_plan=action_plan)
    scope = {"pijler": pillar, "sdg": sdg, "actieplan": action_plan}
    return attention_card(groups(ctx, findings, items, scope), ctx.link(PATH))


def attention_overview(ctx: Context):
    """The overview's card: the count of every rule for the whole plan, each linking to its items."""
    return attention_counts(groups(ctx, services.attention_points(ctx.filters)), ctx.link(PATH))


def _scope(pijler, sdg, actieplan) -> tuple[dict, dict, str | None]:
    """Query values → (in_scope arguments, query parameters, a label like 'SDG 3'); unknown values are ignored."""
    pijler, sdg, actieplan = _first(pijler), _first(sdg), _first(actieplan)
    if isinstance(actieplan, str) and re.fullmatch(r"D\d{2}/AP\d{2}", actieplan):
        return {"action_plan": actieplan}, {"actieplan": actieplan}, f"SDG {int(actieplan[1:3])} · {actieplan[-4:]}"
    if sdg is not None and str(sdg).isdigit() and 1 <= int(sdg) <= 17:
        return {"sdg": int(sdg)}, {"sdg": int(sdg)}, f"SDG {int(sdg)}"
    if pijler in urls.PILLAR_SLUGS:
        return {"pillar": pijler}, {"pijler": pijler}, pijler.capitalize()
    return {}, {}, None


@guarded
def layout(regel=None, pijler=None, sdg=None, actieplan=None, kwartaal=None, departement=None, status=None, **_ignored):
    """The aandachtspunten of the plan (or of one rule, ``?regel=…``; of one ``pijler``, ``sdg`` or ``actieplan``)."""
    ctx = context(kwartaal, departement, status)
    if ctx.view.empty_store:
        return no_store()
    rule = _first(regel)
    narrow, scope, scope_label = _scope(pijler, sdg, actieplan)
    findings = services.attention_points(ctx.filters)
    all_groups = groups(ctx, findings, attention.in_scope(findings.items, **narrow), scope)
    shown = [g for g in all_groups if g.rule == rule] or all_groups
    title = "Aandachtspunten" + (f" · {scope_label}" if scope_label else "")
    crumbs = [("Overzicht", ctx.link(urls.overview()))]
    if len(shown) == 1:
        crumbs += [("Aandachtspunten", ctx.link(PATH)), (shown[0].title, None)]
        title = f"{title}: {shown[0].title}"
    else:
        crumbs += [("Aandachtspunten", None)]
    total = sum(len(g.items) for g in shown)
    return page(
        page_header(
            title,
            crumbs,
            quarter=ctx.quarter,
            org_name=ctx.org_name,
            synthetic=ctx.synthetic,
            subtitle=f"{total} punt{'en' if total != 1 else ''} om eerst naar te kijken, berekend uit de gegevens "
            f"van dit kwartaal{' voor ' + scope_label if scope_label else ''} (met de gekozen filters).",
        ),
        filter_notice(ctx),
        html.Div([rule_block(g, heading="h2") for g in shown], className="attention-page"),
    )


dash.register_page(
    __name__,
    path=PATH,
    name="Aandachtspunten",
    order=6,
    title="Aandachtspunten · Beleidsmonitor",
    layout=layout,
)
