"""Aandachtspunten: the collapsible card on a page, the counts on the overview, the full lists."""

from __future__ import annotations

from dataclasses import dataclass

from dash import dcc, html


@dataclass(frozen=True)
class Item:
    """One finding as shown: what it is about (linked), where it sits, and why."""

    label: str
    href: str
    meta: str
    detail: str


@dataclass(frozen=True)
class Group:
    """One rule with its explanation and its items (empty when the rule found nothing)."""

    rule: str
    title: str
    explanation: str
    items: tuple[Item, ...]
    href: str  # the rule's full list on /aandachtspunten


def _item(item: Item) -> html.Li:
    return html.Li(
        [
            dcc.Link(item.label, href=item.href, className="attention-link"),
            html.Span(f" · {item.meta}", className="attention-meta") if item.meta else None,
            html.Div(item.detail, className="attention-detail"),
        ],
        className="attention-item",
    )


def rule_block(group: Group, *, heading: str = "h3", limit: int | None = None) -> html.Div:
    """A rule's title, its one-sentence explanation and its items (the first ``limit``, then a link)."""
    items = group.items if limit is None else group.items[:limit]
    more = None
    if limit is not None and len(group.items) > limit:
        more = html.Li(dcc.Link(f"Alle {len(group.items)} tonen", href=group.href), className="attention-more")
    title = {"h2": html.H2, "h3": html.H3}[heading]
    return html.Div(
        [
            title(
                [group.title, html.Span(str(len(group.items)), className="badge attention-count ms-2")],
                className="attention-rule-title",
            ),
            html.P(group.explanation, className="attention-explanation"),
            html.Ul([_item(i) for i in items] + ([more] if more else []), className="attention-items")
            if group.items
            else html.P("Niets gevonden voor deze selectie.", className="attention-none"),
        ],
        className="attention-rule",
        id=f"regel-{group.rule}",
        **{"data-rule": group.rule},
    )


def attention_card(groups: list[Group], all_href: str, *, limit: int = 8) -> html.Details:
    """'Aandachtspunten (n)', collapsed: the rules that found something on this page, with their items."""
    total = sum(len(g.items) for g in groups)
    found = [g for g in groups if g.items]
    body = (
        [rule_block(g, limit=limit) for g in found]
        if found
        else [html.P("Geen aandachtspunten voor deze selectie.", className="attention-none")]
    )
    return html.Details(
        [
            html.Summary(
                [
                    html.Span("Aandachtspunten", className="attention-summary-title"),
                    html.Span(f" ({total})", className="attention-total"),
                ],
                className="attention-summary",
            ),
            html.Div(
                [*body, dcc.Link("Alle aandachtspunten van het plan", href=all_href, className="attention-all")],
                className="attention-body",
            ),
        ],
        className="card attention-card mb-3 presenter-hide" + (" attention-has-items" if total else ""),
        **{"data-count": str(total)},
    )


def attention_counts(groups: list[Group], all_href: str) -> html.Section:
    """The overview's card: per rule its count (linking to the items) and its explanation."""
    rows = []
    for g in groups:
        count = len(g.items)
        number = (
            dcc.Link(str(count), href=g.href, className="attention-count-link")
            if count
            else html.Span("0", className="attention-count-zero")
        )
        rows.append(
            html.Li(
                [
                    html.Div(number, className="attention-number"),
                    html.Div(
                        [
                            html.Strong(dcc.Link(g.title, href=g.href) if count else g.title),
                            html.Div(g.explanation, className="attention-explanation"),
                        ]
                    ),
                ],
                className="attention-count-row",
                **{"data-rule": g.rule, "data-count": str(count)},
            )
        )
    return html.Section(
        [
            html.Div(
                [
                    html.H2("Aandachtspunten", className="h5 mb-0"),
                    dcc.Link("Alle aandachtspunten", href=all_href, className="small"),
                ],
                className="d-flex justify-content-between align-items-baseline mb-2",
            ),
            html.Ul(rows, className="attention-counts"),
        ],
        className="card attention-overview mb-3 presenter-hide",
        id="aandachtspunten",
    )
