"""What every page shares: resolving the URL into filters, captions, links that keep the filters,
KPI rows and a guard that turns any failure into a friendly message instead of a traceback."""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html
from plotly.io.json import to_json_plotly

from components.cards import chart_card, empty_state, kpi_card, notice
from dashboard import chart_text, figures, services, urls
from dashboard.figures import caption_text
from dashboard.formatting import euro, number, pct, quarter_label
from dashboard.schema import STATUSES
from dashboard.services import View

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Context:
    """One page view: its filters, the query string that keeps them, and the chart caption."""

    view: View
    org_name: str
    search: str
    caption: str
    quarter_param: str | None  # the quarter named in the link (None: "the latest")

    @property
    def filters(self):
        return self.view.filters

    @property
    def quarter(self) -> str:
        return self.view.filters.quarter

    @property
    def synthetic(self) -> bool:
        """Whether the quarter shown holds synthetic (generated) figures."""
        return self.view.synthetic

    def link(self, path: str, **extra) -> str:
        """``path`` with the current filters (and ``extra`` parameters) as its query string."""
        f = self.view.filters
        statuses = extra.pop("statuses", f.statuses)
        return path + urls.query_string(self.quarter_param, f.departments, statuses, **extra)

    def filename(self, *parts: str) -> str:
        """'SDG03', 'uitgaven' → 'SDG03_uitgaven_2023KW1' (filters appended when set)."""
        f = self.view.filters
        extra = []
        if f.departments:
            extra.append("dep-" + "-".join(d.replace(" ", "").replace("&", "en") for d in f.departments))
        if f.statuses:
            extra.append("status-" + "-".join(s.replace(" ", "") for s in f.statuses))
        return "_".join([*parts, self.quarter, *extra])


def context(kwartaal=None, departement=None, status=None) -> Context:
    """Resolve the query-string values of a page into a :class:`Context`."""
    view = services.resolve_view(kwartaal, departement, status)
    orgs = services.organisations()
    match = orgs[orgs["id"] == view.filters.org]
    org_name = match["name"].iloc[0] if len(match) else view.filters.org
    f = view.filters
    quarter = f.quarter if kwartaal and not view.notice else None
    search = urls.query_string(quarter, f.departments, f.statuses)
    caption = caption_text(org_name, f.quarter, f.departments, f.statuses, synthetic=view.synthetic)
    return Context(view, org_name, search, caption, quarter)


def guarded(layout):
    """Wrap a page layout: cache it on (data version, bestuur, URL values), and turn an unexpected error
    into a clear message instead of a traceback.

    A page is a pure function of the store's content and its URL, so its component tree can be
    cached; the data version in the key makes an import visible at once.
    """

    def build(version, org, kwargs_items):  # org: the same URL shows each bestuur its own page
        # Cached as the JSON-ready structure Dash would send anyway: encoding plain dicts is several
        # times faster than walking a component tree on every request.
        return json.loads(to_json_plotly(layout(**dict(kwargs_items))))

    build.__name__ = build.__qualname__ = f"page_{layout.__module__.rsplit('.', 1)[-1]}"
    cached_build = services.cache.memoize()(build)

    @functools.wraps(layout)
    def wrapper(**kwargs):
        try:
            items = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
            return cached_build(services.current_version(), services.current_org(), items)
        except Exception:  # the user gets a message; the log gets the traceback
            log.exception("page layout failed: %s %s", layout.__module__, kwargs)
            return html.Div(
                empty_state(
                    "Er ging iets mis",
                    "Deze pagina kon niet opgebouwd worden. Probeer het "
                    "opnieuw of meld het aan de beheerder van de Beleidsmonitor.",
                ),
                className="page",
            )

    wrapper.uncached = layout
    return wrapper


def page(*children) -> html.Main:
    """The page body."""
    return html.Main([c for c in children if c is not None], className="page", id="main-content")


def no_store() -> html.Main:
    """What every page shows while the store holds no data."""
    return page(
        empty_state(
            "Nog geen gegevens",
            "De store bevat nog geen kwartaal. Bouw hem met 'python -m dashboard build' of importeer een kwartaal.",
        )
    )


def filter_notice(ctx: Context) -> dbc.Alert | None:
    """A visible line naming active filters (and any problem with the link's quarter)."""
    if ctx.view.notice:
        return notice(ctx.view.notice, "warning")
    return None


def no_data_message(ctx: Context) -> str:
    """'Geen taken voor deze selectie (2023 KW1, departement X, status Y).'"""
    f = ctx.filters
    parts = [quarter_label(f.quarter)]
    if f.departments:
        parts.append("departement " + ", ".join(f.departments))
    if f.statuses:
        parts.append("status " + ", ".join(f.statuses))
    return f"Geen gegevens voor deze selectie ({'; '.join(parts)}). Wis of wijzig de filters."


def kpi_row(row: pd.Series) -> dbc.Row:
    """Tasks, % voltooid, uitgaven (with % besteld) and ontvangsten (with % ontvangen) of one scope."""
    cards = [
        kpi_card(
            "Taken",
            number(row["tasks"]),
            f"{int(row['Niet gestart'])} niet gestart · {int(row['Bezig'])} bezig · {int(row['Voltooid'])} voltooid",
            test_id="kpi-tasks",
        ),
        kpi_card("Voltooid", pct(row["pct_voltooid"]) if row["tasks"] else "–", "van de taken", test_id="kpi-done"),
        kpi_card(
            "Uitgaven (budget)",
            euro(row["uitgaven_totaal"]),
            f"{euro(row['uitgaven_besteld'])} besteld ({pct(row['besteld_pct'])})",
            test_id="kpi-uitgaven",
        ),
        kpi_card(
            "Ontvangsten (budget)",
            euro(row["ontvangsten_totaal"]),
            f"{euro(row['ontvangsten_ontvangen'])} ontvangen ({pct(row['ontvangen_pct'])})",
            test_id="kpi-ontvangsten",
        ),
    ]
    return dbc.Row([dbc.Col(c, xs=6, lg=3) for c in cards], className="g-3 mb-3 kpi-row")


def totals(frame: pd.DataFrame) -> pd.Series:
    """Sum a set of overview rows into one KPI row (percentages recomputed, zero-total rule kept)."""
    cols = [
        "Niet gestart",
        "Bezig",
        "Voltooid",
        "tasks",
        "uitgaven_totaal",
        "uitgaven_besteld",
        "ontvangsten_totaal",
        "ontvangsten_ontvangen",
    ]
    s = frame[cols].sum()
    s["pct_voltooid"] = 100 * s["Voltooid"] / s["tasks"] if s["tasks"] else float("nan")
    s["besteld_pct"] = 100 * s["uitgaven_besteld"] / s["uitgaven_totaal"] if s["uitgaven_totaal"] > 0 else float("nan")
    s["ontvangen_pct"] = (
        100 * s["ontvangsten_ontvangen"] / s["ontvangsten_totaal"] if s["ontvangsten_totaal"] > 0 else float("nan")
    )
    return s


_BUDGET_COLUMNS = {
    "uitgaven": ("uitgaven_besteld", "uitgaven_totaal", "besteld"),
    "ontvangsten": ("ontvangsten_ontvangen", "ontvangsten_totaal", "ontvangen"),
}


def budget_donut_card(ctx: Context, row: pd.Series, kind: str, *, chart_id: str, label: str, file_stem: str):
    """The 'besteld (or ontvangen) vs resterend' donut of one scope, as every page shows it."""
    realised, total, word = _BUDGET_COLUMNS[kind]
    figure = figures.budget_donut(
        row[realised], row[total], kind=kind, title=f"{label}: {kind}, {word} en resterend", caption=ctx.caption
    )
    return chart_card(
        chart_id,
        figure,
        filename=ctx.filename(file_stem, kind),
        description=figures.describe_budget(row[realised], row[total], kind),
    )


def status_donut_card(ctx: Context, counts: dict, *, chart_id: str, label: str, file_stem: str, path: str):
    """The tasks-per-status donut of one scope; a slice opens ``path`` filtered on that status."""
    links = {s: ctx.link(path, statuses=(s,)) + "#taken" for s in STATUSES}
    figure = figures.status_donut(counts, title=f"{label}: taken per status", caption=ctx.caption, links=links)
    return chart_card(
        chart_id,
        figure,
        filename=ctx.filename(file_stem, "taken"),
        description=figures.describe_status(counts),
        drillable=True,
    )


def budget_bars_row(
    ctx: Context, frame: pd.DataFrame, *, chart_prefix: str, label: str, per: str, file_stem: str, label_column: str
) -> dbc.Row:
    """Uitgaven and ontvangsten bars per SDG or action plan (``per``), each bar linking to ``frame.link``."""
    cols = []
    for kind, realised in (("uitgaven", "uitgaven_besteld"), ("ontvangsten", "ontvangsten_ontvangen")):
        figure = figures.budget_bars(
            frame,
            label=label_column,
            total=f"{kind}_totaal",
            realised=realised,
            kind=kind,
            link="link",
            title=f"{label}: {kind} per {per}",
            caption=ctx.caption,
        )
        card = chart_card(
            f"{chart_prefix}-{kind}-bars",
            figure,
            filename=ctx.filename(file_stem, f"{kind}_per_{per}"),
            description=chart_text.describe_budget_bars(
                frame, label=label_column, total=f"{kind}_totaal", realised=realised, kind=kind
            ),
            drillable=True,
        )
        cols.append(dbc.Col(card, lg=6))
    return dbc.Row(cols, className="g-3 mb-3 presenter-hide")
