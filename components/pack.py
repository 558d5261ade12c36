"""The "Raadspakket (PDF)" button beside a page header: the council pack of the page's scope."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids


def pack_actions(scope: str) -> html.Div:
    """The button that downloads the council pack of ``scope`` (with the URL's filters) and the
    line that says what happened (busy, done, or why it failed)."""
    return html.Div(
        [
            html.Button(
                "Raadspakket (PDF)",
                id=ids.pack_button(scope),
                className="btn btn-sm btn-outline-primary pack-button",
                title="Download een PDF (A4 liggend) met grafieken, budgettabellen en alle taken "
                "met hun toelichting, voor de raadscommissie",
                **{"data-scope": scope},
            ),
            html.Div(id=ids.pack_status(scope), className="pack-status", role="status", **{"aria-live": "polite"}),
            dcc.Download(id=ids.pack_download(scope)),
        ],
        className="pack-actions presenter-hide",
    )


def with_pack_button(header, scope: str) -> html.Div:
    """A page header with the council-pack button at its right."""
    return html.Div([header, pack_actions(scope)], className="page-header-row")
