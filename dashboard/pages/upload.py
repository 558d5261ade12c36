"""Kwartaal importeren (/beheer/import): a beheerder uploads the quarter's files; the same validation
and error report as ``python -m dashboard import``, and either everything is written or nothing."""

from __future__ import annotations

import base64
import binascii
import logging
import re
import tempfile
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from components.cards import empty_state
from components.navigation import breadcrumbs
from dashboard import accounts, auth, ids, services
from dashboard.importer import TEMPLATE, ImportRejected, Problem, import_files
from dashboard.store import get_engine

PATH = "/beheer/import"
ACCEPTED = ".csv,.xlsx,.parquet"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]")
log = logging.getLogger(__name__)


def layout(**_ignored):
    """The upload form for beheerders; a plain refusal for everyone else (the callback checks again)."""
    account = auth.current_account()
    crumbs = breadcrumbs([("Overzicht", "/"), ("Kwartaal importeren", None)])
    if account is None or not account.is_admin:
        return html.Main(
            [
                crumbs,
                empty_state(
                    "Geen toegang",
                    "Alleen een beheerder kan een kwartaal importeren. "
                    "Vraag het aan de beheerder van de Beleidsmonitor.",
                ),
            ],
            className="page",
            id="main-content",
        )
    max_mb = services.settings().upload_max_mb
    return html.Main(
        [
            crumbs,
            html.H1("Kwartaal importeren", className="page-title"),
            html.P(
                [
                    "Laad de bestanden van één kwartaal volgens het importsjabloon (",
                    ", ".join(TEMPLATE),
                    f") als CSV, Excel (.xlsx) of Parquet; samen hoogstens {max_mb} MB. Elke fout wordt gemeld met "
                    "bestand, rij, kolom, waarde en regel, en dan wordt er niets geschreven. Een kwartaal opnieuw "
                    "importeren vervangt precies dat kwartaal.",
                ],
                className="page-subtitle",
            ),
            dbc.Row(
                dbc.Col(
                    [
                        dbc.Label(
                            "Kwartaal (optioneel: elke rij moet dan dit kwartaal hebben)", html_for=ids.IMPORT_QUARTER
                        ),
                        dcc.Input(
                            id=ids.IMPORT_QUARTER,
                            type="text",
                            placeholder="bv. 2023KW2",
                            className="form-control",
                            debounce=True,
                        ),
                    ],
                    md=4,
                ),
                className="mb-3",
            ),
            dcc.Upload(
                html.Div(["Sleep de bestanden hierheen of ", html.Span("kies bestanden", className="upload-link")]),
                id=ids.IMPORT_UPLOAD,
                multiple=True,
                accept=ACCEPTED,
                max_size=max_mb * 1024 * 1024,
                className="upload-zone",
            ),
            dcc.Loading(html.Div(id=ids.IMPORT_RESULT, role="status", **{"aria-live": "polite"}), type="dot"),
        ],
        className="page",
        id="main-content",
    )


def _problem_table(problems: list[Problem]) -> dbc.Table:
    header = html.Thead(html.Tr([html.Th(c) for c in ("Bestand", "Rij", "Kolom", "Waarde", "Regel")]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(p.file),
                    html.Td("" if p.row is None else str(p.row)),
                    html.Td(p.column or ""),
                    html.Td("" if p.value is None else p.value),  # text, never markup: it is the user's input
                    html.Td(p.rule),
                ]
            )
            for p in problems
        ]
    )
    return dbc.Table([header, body], bordered=True, size="sm", className="import-problems")


def rejected(problems: list[Problem]) -> html.Div:
    """The error report: how many problems, that nothing was written, and each problem located."""
    count = len(problems)
    return html.Div(
        [
            dbc.Alert(
                f"Import geweigerd: {count} fout{'en' if count != 1 else ''}. Er werd niets geschreven.",
                color="danger",
                className="py-2",
            ),
            _problem_table(problems),
        ],
        **{"data-testid": "import-rejected"},
    )


def run_upload(contents: list[str], filenames: list[str], quarter: str | None, account) -> html.Div:
    """Decode the uploaded files, import them with the account's rights, and describe the outcome."""
    if account is None or not account.is_admin:
        return dbc.Alert("Alleen een beheerder kan een kwartaal importeren.", color="danger")
    with tempfile.TemporaryDirectory(prefix="beleidsmonitor-upload-") as folder:
        paths, problems = [], []
        for content, name in zip(contents, filenames):
            safe = _SAFE_NAME.sub("_", Path(name or "bestand").name) or "bestand"
            try:
                data = base64.b64decode(content.split(",", 1)[1], validate=True)
            except (IndexError, ValueError, binascii.Error):
                problems.append(Problem(safe, None, None, None, "het bestand kon niet gelezen worden"))
                continue
            path = Path(folder) / safe
            path.write_bytes(data)
            paths.append(path)
        if problems:
            return rejected(problems)
        allowed = None if accounts.ALL_BESTUREN in account.grants else account.grants
        try:
            result = import_files(
                get_engine(services.settings().db_url),
                paths,
                quarter=(quarter or "").strip() or None,
                default_org=services.current_org(),
                allowed_orgs=allowed,
            )
        except ImportRejected as exc:
            log.info("upload by %s rejected: %d problems", account.username, len(exc.problems))
            return rejected(exc.problems)
    log.info("upload by %s imported %s: %s", account.username, result.files, result.quarters)
    quarters = ", ".join(result.quarters) or "—"
    return html.Div(
        [
            dbc.Alert(
                f"Geïmporteerd: {', '.join(result.files)} — kwartalen {quarters}: {result.task_updates} taakupdates, "
                f"{result.budget_lines} budgetlijnen. Alle pagina's tonen de nieuwe gegevens meteen.",
                color="success",
                className="py-2",
            ),
            html.Ul([html.Li(f"Opmerking: {n}") for n in result.notices]) if result.notices else None,
            dcc.Link("Naar het overzicht", href="/"),
        ],
        **{"data-testid": "import-done"},
    )


@callback(
    Output(ids.IMPORT_RESULT, "children"),
    Input(ids.IMPORT_UPLOAD, "contents"),
    State(ids.IMPORT_UPLOAD, "filename"),
    State(ids.IMPORT_QUARTER, "value"),
    prevent_initial_call=True,
)
def upload(contents, filenames, quarter):
    """Import the dropped files (the role is checked here, not only on the page)."""
    if not contents:
        return no_update
    try:
        return run_upload(list(contents), list(filenames or []), quarter, auth.current_account())
    except Exception:  # the user gets a message; the log gets the traceback
        log.exception("upload failed")
        return dbc.Alert("De import is mislukt door een onverwachte fout; er werd niets geschreven.", color="danger")


dash.register_page(
    __name__,
    path=PATH,
    name="Kwartaal importeren",
    title="Kwartaal importeren · Beleidsmonitor",
    order=90,
    layout=layout,
)
