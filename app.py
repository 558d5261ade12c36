"""The Dash app shell: navigation, filter bar and page container. `python app.py` runs it for
development; `gunicorn app:server` serves it in production."""

from __future__ import annotations

import importlib
import json
import logging
import time

import dash
from dash import Dash, dcc, html
from flask import g, jsonify

from components.navigation import filter_bar, top_nav
from dashboard import ids, services, urls
from dashboard.schema import PILLARS
from dashboard.store import create_schema, data_version, get_engine

PAGE_MODULES = ("not_found_404", "overview", "pillar", "task", "action_plan", "sdg", "search", "attention", "changes")
log = logging.getLogger("beleidsmonitor")


def shell():
    """The layout around every page; built per page load so new quarters and departments appear."""
    org = services.settings().default_org
    try:
        quarters, departments = list(services.quarters()), list(services.departments())
        synthetic = services.synthetic_quarters()
        orgs = services.organisations()
        org_name = orgs["name"].iloc[0] if len(orgs) else "—"
        sequence = urls.presentation_sequence(services.pillars(org), services.sdgs(org))
    except Exception:  # an unreadable store must still give a page that says so
        log.exception("store not readable while building the shell")
        quarters, departments, org_name, sequence = [], [], "—", ["/"]
        synthetic = ()
    return html.Div(
        id=ids.SHELL,
        className="shell",
        children=[
            html.A("Naar de inhoud", href="#main-content", className="skip-link"),
            # Read by assets/20-beleidsmonitor.js for ← / → in presentation mode.
            html.Div(id=ids.PRESENTATION_SEQUENCE, hidden=True, **{"data-sequence": json.dumps(sequence)}),
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.PAGE_STATE),
            dcc.Download(id=ids.DOWNLOAD),
            top_nav(org_name, [(slug, name) for slug, name, _ in PILLARS]),
            filter_bar(quarters, departments, synthetic),
            html.Div(id=ids.PRESENTATION_FILTERS, className="presentation-filters", role="status"),
            html.Div(dash.page_container, className="container-fluid page-container"),
            html.Footer(
                "Beleidsmonitor · gegevens: opvolgingsrapport meerjarenplan 2020–2025 · departementen zijn indicatief",
                className="site-footer",
            ),
        ],
    )


def create_app() -> Dash:
    """Build the Dash app: pages, callbacks, cache and the /health endpoint."""
    settings = services.settings()
    engine = get_engine(settings.db_url)
    create_schema(engine)  # a fresh store gets its tables, so pages can say it is empty
    # gunicorn preloads the app and forks: no pooled connection may be shared with the workers.
    engine.dispose()
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        title="Beleidsmonitor",
        update_title=None,
        suppress_callback_exceptions=True,
        compress=True,  # gzip/brotli: Dash's own bundles are several MB uncompressed
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    # Asset URLs carry their modification time (?m=…), so browsers may keep them for a year.
    app.server.config["SEND_FILE_MAX_AGE_DEFAULT"] = 31_536_000
    services.cache.init_app(
        app.server,
        config={"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": settings.cache_seconds, "CACHE_THRESHOLD": 2000},
    )
    for module in PAGE_MODULES:
        importlib.import_module(f"dashboard.pages.{module}")
    importlib.import_module("dashboard.callbacks")
    importlib.import_module("dashboard.pack_callbacks")
    app.layout = shell

    @app.server.before_request
    def _start_timer():
        g.request_started = time.perf_counter()

    @app.server.after_request
    def _server_timing(response):
        # Server-Timing lets benchmarks and the browser's devtools read the time spent in the app.
        started = g.get("request_started")
        if started is not None:
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        return response

    @app.server.get("/health")
    def health():
        engine = get_engine(settings.db_url)
        return jsonify(status="ok", data_version=data_version(engine), quarters=list(services.quarters()))

    return app


app = create_app()
server = app.server


def main() -> None:
    """Run the development server (DASHBOARD_HOST, DASHBOARD_PORT, DASHBOARD_DEBUG)."""
    settings = services.settings()
    logging.basicConfig(level=logging.INFO)
    app.run(host=settings.host, port=settings.port, debug=settings.debug)


if __name__ == "__main__":
    main()
