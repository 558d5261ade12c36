"""Layout pieces of the changes page and the overview's change summary: status badges and
transitions, word-level diffs of toelichtingen (as html.Ins / html.Del, never raw HTML), the summary line."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html


def status_badge(status: str) -> html.Span:
    """A status as a coloured, labelled badge (the task table's style)."""
    slug = status.lower().replace(" ", "-")
    return html.Span(status, className=f"status-badge status-{slug}")


def status_transition(before: str, after: str) -> html.Span:
    """'Bezig → Voltooid' as two badges; screen readers hear 'van Bezig naar Voltooid'."""
    return html.Span(
        [
            html.Span("van ", className="visually-hidden"),
            status_badge(before),
            html.Span(" → ", className="transition-arrow", **{"aria-hidden": "true"}),
            html.Span(" naar ", className="visually-hidden"),
            status_badge(after),
        ],
        className="status-transition",
        **{"data-before": before, "data-after": after},
    )


def word_diff(runs: Sequence[tuple[str, str]]) -> html.P:
    """A toelichting with inserted words in <ins> and removed words in <del> (runs from
    ``dashboard.changes.word_diff``); the text is passed as text, so nothing in it becomes markup."""
    children: list = []
    for op, words in runs:
        if not words:
            continue
        if children:
            children.append(" ")
        if op == "insert":
            children.append(html.Ins(words))
        elif op == "delete":
            children.append(html.Del(words))
        else:
            children.append(words)
    return html.P(children, className="toelichting toelichting-diff")


def diff_legend() -> html.P:
    """How to read a diff."""
    return html.P(
        [
            "In de toelichtingen zijn ",
            html.Ins("nieuwe woorden"),
            " onderstreept en ",
            html.Del("weggevallen woorden"),
            " doorgestreept.",
        ],
        className="diff-legend small text-muted",
    )


def change_summary(since: str, parts: Sequence[str], href: str, synthetic: bool = False) -> html.Div:
    """'Sinds 2023 KW1: 12 statuswijzigingen, 30 nieuwe toelichtingen' with a link to the details."""
    text = ", ".join(parts) if parts else "geen wijzigingen in taken of budget"
    return html.Div(
        [
            html.Strong(f"Sinds {since}: "),
            html.Span(text, **{"data-testid": "change-counts"}),
            html.Span(" (synthetische gegevens)", className="text-muted") if synthetic else None,
            " ",
            dcc.Link("Bekijk wat veranderde →", href=href, className="changes-link"),
        ],
        className="changes-summary mb-3",
        role="status",
    )
