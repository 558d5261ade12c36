"""Figure builders: pure functions from plain values or DataFrames to Plotly figure specs.

They return plain figure dicts (``{"data": [...], "layout": {...}}``) rather than ``go.Figure``:
measured here, ``go`` validation costs 10–40 ms per figure and made a page callback 180 ms; a
dict costs microseconds. Tests wrap every builder's output in ``go.Figure`` to prove it is valid.

Figures carry their own title and a caption naming bestuur, quarter and filters, so an exported
image explains itself. Clickable points carry the URL to drill into in ``customdata``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .contrast import text_colour
from .formatting import PLOTLY_SEPARATORS, euro, number, pct, quarter_label
from .schema import STATUSES

Figure = dict  # a Plotly figure spec: {"data": [...], "layout": {...}}

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies; slices are labelled too.
# Text drawn on them takes contrast.text_colour (white only on the blue), so it reads at 4.5:1.
STATUS_COLOURS = {"Niet gestart": "#E69F00", "Bezig": "#0072B2", "Voltooid": "#009E73"}
BUDGET_COLOURS = {
    "uitgaven": ("#AFC3DA", "#1F4E79"),  # totaal, besteld
    "ontvangsten": ("#BFD9BC", "#2E6B30"),  # totaal, ontvangen
}
REMAINING_COLOUR = "#DDE3EA"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT_COLOUR = "#1B2733"
CAPTION_COLOUR = "#5B6B7B"
HORIZONTAL_LEGEND = {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom"}


SYNTHETIC_CAPTION = "SYNTHETISCHE GEGEVENS · geen echte cijfers"


def caption_text(
    org_name: str,
    quarter: str,
    departments: Sequence[str] = (),
    statuses: Sequence[str] = (),
    synthetic: bool = False,
) -> str:
    """Three short lines for chart captions: bestuur and quarter, the filters, the source
    (which says so when the quarter's figures are synthetic, so an exported image does too)."""
    dept = ", ".join(departments) if departments else "alle"
    stat = ", ".join(statuses) if statuses else "alle"
    source = f"<b>{SYNTHETIC_CAPTION}</b>" if synthetic else "Bron: Beleidsmonitor, meerjarenplan 2020–2025"
    return f"{org_name} · stand van zaken {quarter_label(quarter)}<br>Departement: {dept} · Status: {stat}<br>{source}"


def _figure(data: list[dict], title: str, caption: str, height: int, margin: dict, **layout) -> Figure:
    """A figure with the house style, its title on top and its caption at the bottom edge."""
    annotations = [
        {
            "text": caption,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -(margin["b"] - 4),  # at the image's bottom edge, below axis and slice labels
            "xanchor": "left",
            "yanchor": "bottom",
            "showarrow": False,
            "align": "left",
            "font": {"size": 10, "color": CAPTION_COLOUR},
        },
        *layout.pop("annotations", []),
    ]
    return {
        "data": data,
        "layout": {
            "title": {
                "text": title,
                "x": 0.01,
                "xanchor": "left",
                "y": 1,
                "yref": "container",
                "yanchor": "top",
                "pad": {"t": 10},
                "font": {"size": 15, "color": TEXT_COLOUR},
            },
            "separators": PLOTLY_SEPARATORS,
            "font": {"family": FONT, "size": 13, "color": TEXT_COLOUR},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "height": height,
            "margin": margin,
            "hoverlabel": {"font": {"family": FONT}},
            "annotations": annotations,
            **layout,
        },
    }


def _centre(text: str) -> dict:
    return {
        "text": text,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": 16, "color": TEXT_COLOUR},
    }


def empty_figure(title: str, caption: str, message: str, height: int = 280) -> Figure:
    """A figure that says plainly that there is nothing to draw."""
    return _figure(
        [],
        title,
        caption,
        height,
        {"l": 10, "r": 10, "t": 40, "b": 62},
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[_centre(message)],
    )


_DONUT_MARGIN = {"l": 30, "r": 30, "t": 60, "b": 84}


def status_donut(
    counts: Mapping[str, int],
    *,
    title: str,
    caption: str,
    links: Mapping[str, str] | None = None,
    height: int = 300,
) -> Figure:
    """Donut of task counts per status; ``links[status]`` is the URL a click on that slice opens."""
    values = [int(counts.get(s, 0)) for s in STATUSES]
    total = sum(values)
    if total == 0:
        return empty_figure(title, caption, "Geen taken voor deze selectie", height)
    pie = {
        "type": "pie",
        "labels": list(STATUSES),
        "values": values,
        "hole": 0.58,
        "sort": False,
        "direction": "clockwise",
        "marker": {"colors": [STATUS_COLOURS[s] for s in STATUSES], "line": {"color": "white", "width": 2}},
        "texttemplate": "%{label}<br>%{value}",
        "textposition": "outside",
        "textfont": {"size": 12},
        "hovertemplate": "%{label}: %{value} taken (%{percent})<extra></extra>",
        "customdata": [(links or {}).get(s, "") for s in STATUSES],
    }
    return _figure(
        [pie],
        title,
        caption,
        height,
        _DONUT_MARGIN,
        showlegend=False,
        annotations=[_centre(f"<b>{number(total)}</b><br>taken")],
    )


def budget_donut(realised: float, total: float, *, kind: str, title: str, caption: str, height: int = 300) -> Figure:
    """Donut of realised vs remaining budget (kind 'uitgaven' → Besteld, 'ontvangsten' → Ontvangen)."""
    realised_label = "Besteld" if kind == "uitgaven" else "Ontvangen"
    if total <= 0 and realised <= 0:
        return empty_figure(title, caption, "Geen budget voor deze selectie", height)
    if total <= 0 or realised > total:
        # Receipts without (or above) a budget: show that, never a negative slice.
        over = realised - max(total, 0)
        pie = {
            "type": "pie",
            "labels": [realised_label],
            "values": [realised],
            "hole": 0.58,
            "sort": False,
            "marker": {"colors": [BUDGET_COLOURS[kind][1]]},
            "textinfo": "none",
            "hovertemplate": f"{realised_label}: %{{value:,.0f}} €<extra></extra>",
        }
        return _figure(
            [pie],
            title,
            caption,
            height,
            _DONUT_MARGIN,
            showlegend=False,
            annotations=[_centre(f"<b>{euro(over)}</b><br>boven totaal")],
        )
    pie = {
        "type": "pie",
        "labels": [realised_label, "Resterend"],
        "values": [realised, total - realised],
        "hole": 0.58,
        "sort": False,
        "direction": "clockwise",
        "marker": {"colors": [BUDGET_COLOURS[kind][1], REMAINING_COLOUR], "line": {"color": "white", "width": 2}},
        "texttemplate": "%{label}<br>%{percent:.0%}",
        "textposition": "outside",
        "hovertemplate": "%{label}: %{value:,.0f} € (%{percent:.0%})<extra></extra>",
    }
    return _figure(
        [pie],
        title,
        caption,
        height,
        _DONUT_MARGIN,
        showlegend=False,
        annotations=[_centre(f"<b>{pct(100 * realised / total)}</b><br>{realised_label.lower()}")],
    )


_BAR_MARGIN = {"l": 10, "r": 20, "t": 64, "b": 66}


def _bar_margin(labels: list[str]) -> dict:
    """Margins with room for the category labels, computed up front: Plotly's automargin redraws the
    chart until the labels fit ("Too many auto-margin redraws"), which cost the most of a bar chart's draw."""
    longest = max((len(str(label)) for label in labels), default=0)
    return {**_BAR_MARGIN, "l": min(360, 16 + round(7.4 * longest))}


def budget_bars(
    frame: pd.DataFrame,
    *,
    label: str,
    total: str,
    realised: str,
    kind: str,
    title: str,
    caption: str,
    link: str | None = None,
) -> Figure:
    """Horizontal bars per row: the budget total beside what is committed or received.

    ``frame`` columns: ``label`` (category), ``total`` and ``realised`` (euros), optional ``link``
    (URL opened by a click). Rows keep their order, top to bottom.
    """
    realised_label = "Besteld" if kind == "uitgaven" else "Ontvangen"
    if frame.empty or (frame[total].abs().sum() == 0 and frame[realised].abs().sum() == 0):
        return empty_figure(title, caption, "Geen budget voor deze selectie", 260)
    labels = frame[label].astype(str).tolist()
    links = frame[link].tolist() if link else [""] * len(frame)
    light, dark = BUDGET_COLOURS[kind]
    traces = []
    for name, column, colour in (("Totaal", total, light), (realised_label, realised, dark)):
        values = frame[column].astype(float).round(2).tolist()
        traces.append(
            {
                "type": "bar",
                "name": name,
                "y": labels,
                "x": values,
                "orientation": "h",
                "marker": {"color": colour},
                "customdata": links,
                "text": [euro(v) for v in values],
                "textposition": "auto",
                "insidetextfont": {"color": text_colour(colour)},
                "insidetextanchor": "end",
                "cliponaxis": False,
                "hovertemplate": f"%{{y}}<br>{name}: %{{x:,.0f}} €<extra></extra>",
            }
        )
    return _figure(
        traces,
        title,
        caption,
        max(120 + 58 * len(frame), 240),
        _bar_margin(labels),
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        legend=HORIZONTAL_LEGEND,
        yaxis={"autorange": "reversed", "automargin": False, "ticksuffix": "  "},
        xaxis={
            "tickformat": ",.0f",
            "ticksuffix": " €",
            "gridcolor": "#E6EAF0",
            "zerolinecolor": "#B8C2CC",
            "automargin": False,
        },
    )


def _status_trace(status: str, values: list[int], **fields) -> dict:
    """One status's part of a stacked bar chart: its colour, and its count inside in a readable colour."""
    return {
        "type": "bar",
        "name": status,
        "marker": {"color": STATUS_COLOURS[status]},
        "text": [str(v) if v else "" for v in values],
        "textposition": "inside",
        "insidetextfont": {"color": text_colour(STATUS_COLOURS[status])},
        "insidetextanchor": "middle",
        **fields,
    }


def status_bars(frame: pd.DataFrame, *, label: str, title: str, caption: str, link: str | None = None) -> Figure:
    """Stacked horizontal bars of task counts per status for each row (``frame`` has a column per status)."""
    if frame.empty or frame[list(STATUSES)].to_numpy().sum() == 0:
        return empty_figure(title, caption, "Geen taken voor deze selectie", 240)
    labels = frame[label].astype(str).tolist()
    links = frame[link].tolist() if link else [""] * len(frame)
    traces = []
    for status in STATUSES:
        values = [int(v) for v in frame[status]]
        traces.append(
            _status_trace(
                status,
                values,
                y=labels,
                x=values,
                orientation="h",
                customdata=links,
                hovertemplate=f"%{{y}}<br>{status}: %{{x}} taken<extra></extra>",
            )
        )
    return _figure(
        traces,
        title,
        caption,
        max(120 + 40 * len(frame), 220),
        {**_bar_margin(labels), "b": 84},  # room for the axis title above the caption
        barmode="stack",
        bargap=0.3,
        legend=HORIZONTAL_LEGEND,
        yaxis={"autorange": "reversed", "automargin": False, "ticksuffix": "  "},
        xaxis={"gridcolor": "#E6EAF0", "automargin": False, "title": {"text": "taken", "standoff": 4}},
    )


def describe_status(counts: Mapping[str, int]) -> str:
    """A one-sentence text alternative of a status chart."""
    total = sum(int(counts.get(s, 0)) for s in STATUSES)
    if not total:
        return "Geen taken voor deze selectie."
    parts = ", ".join(f"{int(counts.get(s, 0))} {s.lower()}" for s in STATUSES)
    return f"{total} taken: {parts}."


def describe_budget(realised: float, total: float, kind: str) -> str:
    """A one-sentence text alternative of a budget chart."""
    word = "besteld" if kind == "uitgaven" else "ontvangen"
    if total <= 0 and realised <= 0:
        return f"Geen {kind} voor deze selectie."
    share = f" ({pct(100 * realised / total)})" if total > 0 else ""
    rest = euro(total - realised)
    return f"{kind.capitalize()}: totaal {euro(total)}, {word} {euro(realised)}{share}, resterend {rest}."


# --- several quarters ------------------------------------------------------------------------


def period_caption(
    org_name: str,
    quarters: Sequence[str],
    departments: Sequence[str] = (),
    statuses: Sequence[str] = (),
    synthetic: Sequence[str] = (),
) -> str:
    """The caption of a chart over several quarters; names the synthetic ones, if any."""
    dept = ", ".join(departments) if departments else "alle"
    stat = ", ".join(statuses) if statuses else "alle"
    period = f"{quarter_label(quarters[0])} – {quarter_label(quarters[-1])}" if quarters else ""
    shown = [q for q in quarters if q in set(synthetic)]
    source = (
        f"<b>{', '.join(quarter_label(q) for q in shown)}: {SYNTHETIC_CAPTION}</b>"
        if shown
        else "Bron: Beleidsmonitor, meerjarenplan 2020–2025"
    )
    return f"{org_name} · {period}<br>Departement: {dept} · Status: {stat}<br>{source}"


def _quarter_ticks(frame: pd.DataFrame) -> list[str]:
    """Category labels per quarter; a synthetic quarter says so under its name."""
    synthetic = frame["synthetic"] if "synthetic" in frame else [False] * len(frame)
    return [
        f"{quarter_label(q)}<br><i>synthetisch</i>" if s else quarter_label(q)
        for q, s in zip(frame["quarter"], synthetic)
    ]


_TREND_MARGIN = {"l": 50, "r": 20, "t": 64, "b": 96}


def status_trend(frame: pd.DataFrame, *, title: str, caption: str, height: int = 340) -> Figure:
    """Stacked bars of task counts per status, one bar per quarter (``frame``: queries.trends)."""
    if frame.empty or frame[list(STATUSES)].to_numpy().sum() == 0:
        return empty_figure(title, caption, "Geen taken voor deze selectie", height)
    ticks = _quarter_ticks(frame)
    traces = []
    for status in STATUSES:
        values = [int(v) for v in frame[status]]
        traces.append(
            _status_trace(
                status, values, x=ticks, y=values, hovertemplate=f"%{{x}}<br>{status}: %{{y}} taken<extra></extra>"
            )
        )
    return _figure(
        traces,
        title,
        caption,
        height,
        _TREND_MARGIN,
        barmode="stack",
        bargap=0.35,
        legend=HORIZONTAL_LEGEND,
        xaxis={"type": "category", "automargin": True},
        yaxis={"title": {"text": "taken"}, "gridcolor": "#E6EAF0", "rangemode": "tozero"},
    )


def realisation_trend(frame: pd.DataFrame, *, title: str, caption: str, height: int = 340) -> Figure:
    """Lines of % besteld (uitgaven) and % ontvangen (ontvangsten) per quarter (``frame``:
    queries.trends); a quarter with a zero total has no point (the zero-total rule)."""
    lines = [
        ("% besteld", "besteld_pct", "uitgaven_totaal", BUDGET_COLOURS["uitgaven"][1], "solid"),
        ("% ontvangen", "ontvangen_pct", "ontvangsten_totaal", BUDGET_COLOURS["ontvangsten"][1], "dash"),
    ]
    shown = [line for line in lines if not frame.empty and (frame[line[2]] > 0).any()]
    if not shown:
        return empty_figure(title, caption, "Geen budget voor deze selectie", height)
    ticks = _quarter_ticks(frame)
    traces = []
    for name, column, _total, colour, dash in shown:
        values = [None if pd.isna(v) else round(float(v), 1) for v in frame[column]]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers+text",
                "name": name,
                "x": ticks,
                "y": values,
                "line": {"color": colour, "width": 3, "dash": dash},
                "marker": {"size": 8, "color": colour},
                "text": [pct(v) if v is not None else "" for v in values],
                "textposition": "top center",
                "cliponaxis": False,
                "connectgaps": False,
                "hovertemplate": f"%{{x}}<br>{name}: %{{y:.0f}}%<extra></extra>",
            }
        )
    return _figure(
        traces,
        title,
        caption,
        height,
        _TREND_MARGIN,
        legend=HORIZONTAL_LEGEND,
        xaxis={"type": "category", "automargin": True},
        yaxis={"range": [0, 105], "ticksuffix": "%", "gridcolor": "#E6EAF0", "title": {"text": "van het totaal"}},
    )
