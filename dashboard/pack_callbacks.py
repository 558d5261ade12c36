"""Server-side callback of the "Raadspakket (PDF)" buttons: render the pack with the URL's filters."""

from __future__ import annotations

import logging

from dash import MATCH, Input, Output, State, callback, ctx, dcc, no_update

from . import ids, pack, services
from .chart_images import ChartRenderError
from .pages.common import context
from .store import get_engine
from .urls import parse_search

log = logging.getLogger(__name__)

FAILED = (
    "Het raadspakket kon niet gemaakt worden{reason}. Probeer het opnieuw of meld het aan de beheerder "
    "van de Beleidsmonitor."
)


def pack_download(scope_text: str, search: str, render_images=None) -> tuple[dict | None, str]:
    """The download (``dcc.send_bytes``) of the pack of ``scope_text`` under the filters in
    ``search``, and the line to show beside the button; on failure no download and a friendly
    line (the details go to the log)."""
    try:
        scope = pack.Scope.parse(scope_text)
        params = {k: (v if len(v) > 1 else v[0]) for k, v in parse_search(search).items()}
        page_ctx = context(params.get("kwartaal"), params.get("departement"), params.get("status"))
        engine = get_engine(services.settings().db_url)
        _, rendered = pack.build_pack(engine, scope, page_ctx.filters, render_images)
    except ChartRenderError:
        log.exception("council pack failed: charts could not be rendered (%s %s)", scope_text, search)
        return None, FAILED.format(reason=": de grafieken konden niet getekend worden")
    except Exception:  # a failed pack must not show a traceback; it is logged
        log.exception("council pack failed: %s %s", scope_text, search)
        return None, FAILED.format(reason="")
    name = page_ctx.filename("Raadspakket", scope.code) + ".pdf"
    log.info(
        "council pack %s: %d pages, %d bytes, %d charts, %.1f s",
        name,
        rendered.pages,
        len(rendered.pdf),
        rendered.charts,
        rendered.seconds,
    )
    pages = f"{rendered.pages} pagina" if rendered.pages == 1 else f"{rendered.pages} pagina's"
    return dcc.send_bytes(rendered.pdf, name), f"{name} gemaakt: {pages}, {len(rendered.pdf) / 1024:.0f} kB."


@callback(
    Output({"type": ids.PACK_DOWNLOAD, "index": MATCH}, "data"),
    Output({"type": ids.PACK_STATUS, "index": MATCH}, "children"),
    Input({"type": ids.PACK_BUTTON, "index": MATCH}, "n_clicks"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
    # MATCH, not ALL: with ALL, `running` outputs broke Dash's renderer on pages without the button.
    running=[
        (Output({"type": ids.PACK_BUTTON, "index": MATCH}, "disabled"), True, False),
        (
            Output({"type": ids.PACK_BUTTON, "index": MATCH}, "children"),
            "Raadspakket wordt gemaakt…",
            "Raadspakket (PDF)",
        ),
    ],
)
def download_pack(clicks, search):
    """Send the council pack of the clicked button's scope, and say beside the button how it went."""
    if not clicks:
        return no_update, no_update
    download, message = pack_download(ctx.triggered_id["index"], search or "")
    return download or no_update, message
