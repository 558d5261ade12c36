"""Accessibility helpers: contrast of text on the SDG and status colours, the charts' text alternatives,
the HTML document's language, and the chart card's role="img" wrapper."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from dash import Dash

from components.cards import chart_card
from components.document import index_string
from dashboard import chart_text, figures
from dashboard.contrast import BLACK, INK, WHITE, contrast_ratio, muted, on_colour, text_colour
from dashboard.schema import STATUSES

SEED_SDGS = Path(__file__).resolve().parents[2] / "data" / "seed" / "sdgs.csv"


def sdg_colours() -> list[str]:
    with SEED_SDGS.open(encoding="utf-8-sig") as fh:
        return [row["kleur"] for row in csv.DictReader(fh)]


# --- contrast --------------------------------------------------------------------------------------


def test_contrast_ratio_matches_the_wcag_reference_values():
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21.0)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)  # the well-known 4.5:1 grey
    assert contrast_ratio("#fff", "#000") == contrast_ratio(WHITE, BLACK)  # short hex, either order


@pytest.mark.parametrize("colour", sdg_colours())
def test_text_on_every_sdg_colour_reaches_4_5_to_1_plain_and_greyed(colour):
    for background in (colour, muted(colour)):
        assert contrast_ratio(text_colour(background), background) >= 4.5, background


def test_white_text_is_kept_where_it_is_readable_and_dark_text_used_on_light_colours():
    assert text_colour("#C5192D") == WHITE  # SDG 4 red: white reaches 5.9:1
    assert text_colour("#19486A") == WHITE  # SDG 17 navy
    assert text_colour("#FCC30B") == INK  # SDG 7 yellow: white would be 1.6:1
    assert text_colour("#FF3A21") == BLACK  # SDG 5: neither white (3.6) nor the ink (4.25) reaches 4.5


def test_muted_reproduces_the_css_grayscale_and_brightness_filter():
    assert muted("#FFFFFF") == "#EBEBEB"  # grayscale keeps white; brightness(.92) of 255 is 235
    assert muted("#000000") == "#000000"
    grey = muted("#E5243B")
    r, g, b = (int(grey[i : i + 2], 16) for i in (1, 3, 5))
    assert abs(r - g) < abs(0xE5 - 0x24)  # less saturated than the original


def test_on_colour_gives_background_text_colour_and_drops_the_halo_only_for_dark_text():
    assert on_colour("#19486A") == {"background": "#19486A", "color": WHITE}
    assert on_colour("#FCC30B") == {"background": "#FCC30B", "color": INK, "textShadow": "none"}
    assert on_colour(None) == {}


def test_text_inside_status_and_budget_bars_reaches_4_5_to_1():
    frame = pd.DataFrame({"label": ["A"], "Niet gestart": [3], "Bezig": [4], "Voltooid": [5], "link": ["/x"]})
    for trace in figures.status_bars(frame, label="label", title="t", caption="c")["data"]:
        assert contrast_ratio(trace["insidetextfont"]["color"], trace["marker"]["color"]) >= 4.5, trace["name"]
    money = pd.DataFrame({"label": ["A"], "t": [100.0], "r": [40.0]})
    bars = figures.budget_bars(money, label="label", total="t", realised="r", kind="uitgaven", title="t", caption="c")
    for trace in bars["data"]:
        assert contrast_ratio(trace["insidetextfont"]["color"], trace["marker"]["color"]) >= 4.5, trace["name"]


# --- text alternatives -----------------------------------------------------------------------------


def test_budget_bars_text_names_the_sum_and_every_bar_in_belgian_format():
    frame = pd.DataFrame(
        {"label": ["AP01 Kinderopvang", "AP02 Welzijn"], "tot": [55_325.4, 48_389.0], "done": [47_861.0, 0.0]}
    )
    text = chart_text.describe_budget_bars(frame, label="label", total="tot", realised="done", kind="uitgaven")
    assert text == (
        "Samen: totaal 103.714 €, besteld 47.861 € (46%). "
        "AP01 Kinderopvang: totaal 55.325 €, besteld 47.861 € (87%); AP02 Welzijn: totaal 48.389 €, besteld 0 € (0%)."
    )
    zero = frame.assign(tot=0.0, done=0.0)
    assert chart_text.describe_budget_bars(zero, label="label", total="tot", realised="done", kind="ontvangsten") == (
        "Geen ontvangsten voor deze selectie."
    )


def test_status_bars_text_counts_each_status_per_bar():
    frame = pd.DataFrame({"label": ["SDG 3 Gezondheid"], "Niet gestart": [3], "Bezig": [14], "Voltooid": [6]})
    assert chart_text.describe_status_bars(frame, label="label") == (
        "SDG 3 Gezondheid: 23 taken, 3 niet gestart, 14 bezig, 6 voltooid."
    )
    assert chart_text.describe_status_bars(frame.iloc[0:0], label="label") == "Geen taken voor deze selectie."


def test_trend_texts_name_every_quarter_and_the_synthetic_ones():
    frame = pd.DataFrame(
        {
            "quarter": ["2023KW1", "2023KW2"],
            "synthetic": [False, True],
            "Niet gestart": [3, 5],
            "Bezig": [18, 13],
            "Voltooid": [2, 5],
            "uitgaven_totaal": [100.0, 100.0],
            "besteld_pct": [35.44, 41.55],
            "ontvangsten_totaal": [0.0, 0.0],
            "ontvangen_pct": [float("nan"), float("nan")],
        }
    )
    assert chart_text.describe_status_trend(frame) == (
        "2023 KW1: 3 niet gestart, 18 bezig, 2 voltooid; 2023 KW2 (synthetisch): 5 niet gestart, 13 bezig, 5 voltooid."
    )
    # The chart plots 35.4 and 41.6 (one decimal) and labels them 35% and 42%; the text says the same.
    assert chart_text.describe_realisation_trend(frame) == "Besteld van de uitgaven: 2023 KW1 35%, 2023 KW2 42%."
    assert chart_text.describe_realisation_trend(frame.assign(uitgaven_totaal=0.0)) == "Geen budget voor deze selectie."


def test_plain_title_drops_markup():
    assert chart_text.plain_title({"layout": {"title": {"text": "<b>SDG 3</b>: taken<br>per status"}}}) == (
        "SDG 3 : taken per status"
    )
    assert chart_text.plain_title({"layout": {}}) == ""


def test_chart_card_wraps_the_graph_in_an_image_named_by_title_and_description():
    figure = figures.status_donut({s: 1 for s in STATUSES}, title="SDG 3: taken per status", caption="c")
    card = chart_card("x", figure, filename="f", description=figures.describe_status({s: 1 for s in STATUSES}))
    wrapper = card.children[1]
    assert wrapper.role == "img"
    assert getattr(wrapper, "aria-label") == "SDG 3: taken per status. 3 taken: 1 niet gestart, 1 bezig, 1 voltooid."
    assert wrapper.children.id == {"type": "chart", "index": "x"}


# --- the HTML document -----------------------------------------------------------------------------


def test_index_string_sets_the_language_and_drops_the_scripts_footer():
    default = Dash(__name__).index_string
    page = index_string(default)
    assert '<html lang="nl-BE">' in page
    assert "<footer>" not in page
    for placeholder in ("{%app_entry%}", "{%config%}", "{%scripts%}", "{%renderer%}", "{%css%}", "{%metas%}"):
        assert placeholder in page
    assert index_string(page) == page  # applying it twice changes nothing
