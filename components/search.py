"""The search box of the top bar and the search results: text with the matching words marked."""

from __future__ import annotations

from dataclasses import dataclass

from dash import dcc, html

from dashboard import ids


def search_box() -> html.Div:
    """A search field and button; Enter or the button opens /zoeken?q=… with the current filters."""
    return html.Div(
        [
            html.Label("Zoeken in taken en toelichtingen", htmlFor=ids.SEARCH_INPUT, className="visually-hidden"),
            dcc.Input(
                id=ids.SEARCH_INPUT,
                type="search",
                placeholder="Zoeken in taken…",
                autoComplete="off",
                maxLength=200,
                className="form-control form-control-sm top-search-input",
            ),
            html.Button("Zoek", id=ids.SEARCH_BUTTON, className="btn btn-sm btn-primary", type="button"),
        ],
        className="top-search d-flex gap-1 me-3 presenter-hide",
        role="search",
        **{"aria-label": "Zoeken"},
    )


def marked(pieces: list[tuple[str, bool]]) -> list:
    """Text pieces as components: the matching words in <mark>, everything as text (never HTML)."""
    return [html.Mark(text, className="search-mark") if hit else text for text, hit in pieces]


@dataclass(frozen=True)
class Hit:
    """One result as the page shows it (pieces come from dashboard.search.highlight)."""

    task_id: str
    href: str
    code: str | None
    title: list[tuple[str, bool]]
    meta: str
    status: str
    text: list[tuple[str, bool]]


def _status_badge(status: str) -> html.Span:
    return html.Span(status, className=f"status-badge status-{status.lower().replace(' ', '-')}")


def hit_item(hit: Hit) -> html.Li:
    """One result: the task (linked), where it sits, its status and the toelichting excerpt."""
    title = ([f"{hit.code}| "] if hit.code else []) + marked(hit.title)
    return html.Li(
        [
            html.Div(
                [dcc.Link(title, href=hit.href, className="search-hit-link"), _status_badge(hit.status)],
                className="d-flex gap-2 align-items-baseline flex-wrap",
            ),
            html.Div(hit.meta, className="search-hit-meta"),
            html.P(marked(hit.text), className="search-hit-text")
            if hit.text
            else html.P("Geen toelichting voor dit kwartaal.", className="search-hit-text text-muted fst-italic"),
        ],
        className="search-hit",
        **{"data-task": hit.task_id},
    )


def result_groups(groups: list[tuple[str, str, bool, list[Hit]]]) -> html.Div:
    """Results per quarter: (quarter code, its label, synthetic?, hits best first), newest quarter first."""
    sections = []
    for quarter, label, synthetic, hits in groups:
        heading = [label, html.Span(f"{len(hits)}", className="badge text-bg-secondary ms-2")]
        if synthetic:
            heading.append(html.Span("synthetisch", className="badge text-bg-warning ms-2 synthetic-badge"))
        sections.append(
            html.Section(
                [
                    html.H2(heading, className="h5 search-quarter"),
                    html.Ol([hit_item(h) for h in hits], className="search-hits"),
                ],
                className="search-group",
                **{"data-quarter": quarter},
            )
        )
    return html.Div(sections, className="search-results")
