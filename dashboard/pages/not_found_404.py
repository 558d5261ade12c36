"""The page for any path that does not exist (Dash Pages uses it by its module name)."""

from __future__ import annotations

import dash
from dash import dcc, html

from components.cards import empty_state


def layout(**_ignored):
    """A friendly 'not found' with a way back."""
    return html.Main(
        [
            html.H1("Pagina niet gevonden", className="page-title mb-3"),  # every page has one h1
            empty_state("Deze pagina bestaat niet (meer)", "Kies een pijler in de navigatie."),
            html.P(dcc.Link("← Terug naar het overzicht", href="/"), className="mt-3"),
        ],
        className="page",
        id="main-content",
    )


dash.register_page(
    __name__, path="/404", name="Niet gevonden", title="Niet gevonden · Beleidsmonitor", order=99, layout=layout
)
