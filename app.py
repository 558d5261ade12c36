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
from flask_wtf.csrf import generate_csrf

from components.account import account_bar, auth_off_banner
from components.document import index_string
from components.navigation import filter_bar, top_nav
from dashboard import accounts, auth, ids, services, urls
from dashboard.schema import PILLARS
from dashboard.store import create_schema, data_version, get_engine

PAGE_MODULES = (
    "not_found_404",
    "overview",
    "pillar",
    "task",
    "action_plan",
    "sdg",
    "search",
    "attention",
    "changes",
    "upload",
)
log = logging.getLogger("beleidsmonitor")


def shell():
    """The layout around every page; built per page load so new quarters and departments appear."""
    org = services.current_org()
    account = auth.current_account()
    try:
        quarters, departments = list(services.quarters()), list(services.departments())
        synthetic = services.synthetic_quarters()
        orgs = services.organisations()
        names = dict(zip(orgs["id"], orgs["name"]))
        org_name = names.get(org, "—")
        sequence = urls.presentation_sequence(services.pillars(org), services.sdgs(org))
    except Exception:  # an unreadable store must still give a page that says so
        log.exception("store not readable while building the shell")
        quarters, departments, org_name, sequence, names = [], [], "—", ["/"], {}
        synthetic = ()
    mode = auth.auth_mode()
    bar = account_bar(
        account.username if account is not None and mode != "off" else None,
        account.role if account is not None else None,
        generate_csrf() if account is not None else "",
        [(o, names.get(o, o)) for o in auth.visible_orgs()],
        org,
        account is not None and account.is_admin,
    )
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
            auth_off_banner() if mode == "off" else None,
            bar,
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
    accounts.create_tables(engine)
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
    app.index_string = index_string(app.index_string)  # lang="nl-BE", no empty <footer> landmark
    services.cache.init_app(app.server, config=services.cache_config(settings))
    for module in PAGE_MODULES:
        importlib.import_module(f"dashboard.pages.{module}")
    importlib.import_module("dashboard.callbacks")
    importlib.import_module("dashboard.pack_callbacks")
    app.layout = shell
    auth.init_app(app, settings)

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
        # Open without sign-in (load balancers probe it): the data version and the default bestuur's
        # quarter names, no figures.
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
