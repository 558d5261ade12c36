"""Text alternatives of the bar and trend charts: what each chart shows, with the figures it draws,
for screen readers (the donuts' ones are ``figures.describe_status`` and ``figures.describe_budget``)."""

from __future__ import annotations

import re

import pandas as pd

from .formatting import euro, number, pct, quarter_label
from .schema import STATUSES


def plain_title(figure: dict) -> str:
    """A figure's title as plain text (Plotly titles may hold <b>, <br> and the like)."""
    title = figure.get("layout", {}).get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title or "")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def _share(realised: float, total: float) -> str:
    return f" ({pct(100 * realised / total)})" if total > 0 else ""


def describe_budget_bars(frame: pd.DataFrame, *, label: str, total: str, realised: str, kind: str) -> str:
    """'Samen: totaal 7.035.739 €, besteld 2.489.310 € (35%). AP01 …: totaal 1.000 €, besteld 500 € (50%); …'"""
    word = "besteld" if kind == "uitgaven" else "ontvangen"
    if frame.empty or (frame[total].abs().sum() == 0 and frame[realised].abs().sum() == 0):
        return f"Geen {kind} voor deze selectie."
    all_total, all_realised = float(frame[total].sum()), float(frame[realised].sum())
    rows = "; ".join(
        f"{row[label]}: totaal {euro(row[total])}, {word} {euro(row[realised])}{_share(row[realised], row[total])}"
        for _, row in frame.iterrows()
    )
    summed = f"totaal {euro(all_total)}, {word} {euro(all_realised)}{_share(all_realised, all_total)}"
    return f"Samen: {summed}. {rows}."


def describe_status_bars(frame: pd.DataFrame, *, label: str) -> str:
    """'SDG 3 Gezondheid: 12 taken, 3 niet gestart, 5 bezig, 4 voltooid; …' for stacked status bars."""
    if frame.empty or frame[list(STATUSES)].to_numpy().sum() == 0:
        return "Geen taken voor deze selectie."
    parts = []
    for _, row in frame.iterrows():
        counts = ", ".join(f"{int(row[s])} {s.lower()}" for s in STATUSES)
        parts.append(f"{row[label]}: {number(sum(int(row[s]) for s in STATUSES))} taken, {counts}")
    return "; ".join(parts) + "."


def describe_status_trend(frame: pd.DataFrame) -> str:
    """'2023 KW1: 3 niet gestart, 5 bezig, 4 voltooid; 2023 KW2: …' (``frame``: queries.trends)."""
    if frame.empty or frame[list(STATUSES)].to_numpy().sum() == 0:
        return "Geen taken voor deze selectie."
    parts = []
    for _, row in frame.iterrows():
        synthetic = " (synthetisch)" if bool(row.get("synthetic", False)) else ""
        counts = ", ".join(f"{int(row[s])} {s.lower()}" for s in STATUSES)
        parts.append(f"{quarter_label(row['quarter'])}{synthetic}: {counts}")
    return "; ".join(parts) + "."


def describe_realisation_trend(frame: pd.DataFrame) -> str:
    """'Besteld van de uitgaven: 2023 KW1 35%, 2023 KW2 41%. Ontvangen van de ontvangsten: …'."""
    lines = []
    for name, column, total in (
        ("Besteld van de uitgaven", "besteld_pct", "uitgaven_totaal"),
        ("Ontvangen van de ontvangsten", "ontvangen_pct", "ontvangsten_totaal"),
    ):
        if frame.empty or not (frame[total] > 0).any():
            continue
        # The chart plots the share rounded to one decimal; the text rounds that value as the labels do.
        points = ", ".join(
            f"{quarter_label(q)} {pct(None if pd.isna(v) else round(float(v), 1))}"
            for q, v in zip(frame["quarter"], frame[column])
        )
        lines.append(f"{name}: {points}.")
    return " ".join(lines) if lines else "Geen budget voor deze selectie."
