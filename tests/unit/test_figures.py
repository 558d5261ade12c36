"""Figure builders: valid Plotly specs, Belgian formats, labelled status colours, captions, drill links."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import figures
from dashboard.schema import STATUSES

CAPTION = figures.caption_text("Stad Harelbeke", "2023KW1", ("Welzijn",), ("Bezig",))


def valid(fig: dict) -> go.Figure:
    """Plotly validates every property of the spec (raises on anything invalid)."""
    return go.Figure(fig)


def test_caption_names_bestuur_quarter_filters_and_source():
    assert "Stad Harelbeke" in CAPTION and "2023 KW1" in CAPTION
    assert "Departement: Welzijn" in CAPTION and "Status: Bezig" in CAPTION and "Bron:" in CAPTION
    assert "Departement: alle · Status: alle" in figures.caption_text("X", "2023KW1")


def test_status_donut_is_valid_labelled_colour_blind_safe_and_links_each_slice():
    links = {s: f"/sdg/3?status={s}" for s in STATUSES}
    fig = figures.status_donut(
        {"Niet gestart": 3, "Bezig": 18, "Voltooid": 2}, title="SDG 3: taken", caption=CAPTION, links=links
    )
    pie = valid(fig).data[0]
    assert list(pie.labels) == list(STATUSES) and list(pie.values) == [3, 18, 2]
    assert list(pie.marker.colors) == [figures.STATUS_COLOURS[s] for s in STATUSES]
    assert "%{label}" in pie.texttemplate  # every slice carries its status name, not only a colour
    assert list(pie.customdata) == [links[s] for s in STATUSES]
    layout = fig["layout"]
    assert layout["title"]["text"] == "SDG 3: taken"
    assert layout["annotations"][0]["text"] == CAPTION
    assert any("23" in a["text"] for a in layout["annotations"][1:])  # total in the centre


def test_status_colours_are_distinct_for_common_colour_blindness():
    # Okabe–Ito: orange, blue, bluish green — chosen to stay apart for deuteranopia and protanopia.
    assert figures.STATUS_COLOURS == {"Niet gestart": "#E69F00", "Bezig": "#0072B2", "Voltooid": "#009E73"}


def test_status_donut_without_tasks_says_so():
    fig = figures.status_donut({}, title="t", caption=CAPTION)
    valid(fig)
    assert fig["data"] == []
    assert any("Geen taken" in a["text"] for a in fig["layout"]["annotations"])


def test_budget_donut_splits_realised_and_remaining_with_belgian_percentage():
    fig = figures.budget_donut(2_489_310, 7_035_739, kind="uitgaven", title="t", caption=CAPTION)
    pie = valid(fig).data[0]
    assert list(pie.labels) == ["Besteld", "Resterend"]
    assert list(pie.values) == [2_489_310, 7_035_739 - 2_489_310]
    assert fig["layout"]["separators"] == ",."
    assert any("35%" in a["text"] for a in fig["layout"]["annotations"])


def test_budget_donut_with_receipts_above_a_zero_budget_never_draws_a_negative_slice():
    fig = figures.budget_donut(28_718, 0, kind="ontvangsten", title="t", caption=CAPTION)
    pie = valid(fig).data[0]
    assert list(pie.values) == [28_718] and min(pie.values) > 0
    assert any("28.718 €" in a["text"] and "boven totaal" in a["text"] for a in fig["layout"]["annotations"])


def test_budget_donut_without_budget_says_so():
    fig = figures.budget_donut(0, 0, kind="uitgaven", title="t", caption=CAPTION)
    assert fig["data"] == [] and any("Geen budget" in a["text"] for a in fig["layout"]["annotations"])


def test_budget_bars_keep_row_order_format_euros_and_carry_links():
    frame = pd.DataFrame(
        {
            "label": ["AP01", "AP02"],
            "t": [55_325.0, 48_389.0],
            "r": [41_566.3, 7_850.0],
            "link": ["/sdg/3/ap/01", "/sdg/3/ap/02"],
        }
    )
    fig = figures.budget_bars(
        frame, label="label", total="t", realised="r", kind="uitgaven", title="t", caption=CAPTION, link="link"
    )
    total, realised = valid(fig).data
    assert (total.name, realised.name) == ("Totaal", "Besteld")
    assert list(total.y) == ["AP01", "AP02"] and list(realised.x) == [41_566.3, 7_850.0]
    assert list(total.text) == ["55.325 €", "48.389 €"] and list(realised.text) == ["41.566 €", "7.850 €"]
    assert list(total.customdata) == ["/sdg/3/ap/01", "/sdg/3/ap/02"]
    assert fig["layout"]["xaxis"]["ticksuffix"] == " €" and fig["layout"]["separators"] == ",."
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"  # first row on top, as in the table


def test_budget_bars_with_only_zeros_say_there_is_no_budget():
    frame = pd.DataFrame({"label": ["AP01"], "t": [0.0], "r": [0.0]})
    fig = figures.budget_bars(
        frame, label="label", total="t", realised="r", kind="ontvangsten", title="t", caption=CAPTION
    )
    assert fig["data"] == []


def test_status_bars_stack_the_three_statuses_per_row():
    frame = pd.DataFrame(
        {
            "label": ["SDG 1", "SDG 3"],
            "Niet gestart": [0, 3],
            "Bezig": [3, 18],
            "Voltooid": [0, 2],
            "link": ["/sdg/1", "/sdg/3"],
        }
    )
    fig = figures.status_bars(frame, label="label", title="t", caption=CAPTION, link="link")
    traces = valid(fig).data
    assert [t.name for t in traces] == list(STATUSES)
    assert [list(t.x) for t in traces] == [[0, 3], [3, 18], [0, 2]]
    assert fig["layout"]["barmode"] == "stack"


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({"Niet gestart": 3, "Bezig": 18, "Voltooid": 2}, "23 taken: 3 niet gestart, 18 bezig, 2 voltooid."),
        ({}, "Geen taken voor deze selectie."),
    ],
)
def test_text_alternative_of_a_status_chart(counts, expected):
    assert figures.describe_status(counts) == expected


def test_text_alternative_of_a_budget_chart_uses_belgian_formats_and_the_zero_total_rule():
    assert figures.describe_budget(2_489_310, 7_035_739, "uitgaven") == (
        "Uitgaven: totaal 7.035.739 €, besteld 2.489.310 € (35%), resterend 4.546.429 €."
    )
    assert figures.describe_budget(28_718, 0, "ontvangsten") == (
        "Ontvangsten: totaal 0 €, ontvangen 28.718 €, resterend -28.718 €."
    )
    assert figures.describe_budget(0, 0, "uitgaven") == "Geen uitgaven voor deze selectie."
