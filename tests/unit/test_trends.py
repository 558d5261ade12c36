"""Trends over the quarters: ``queries.trends`` agrees, quarter by quarter, with the one-quarter queries
the pages use (same filters, same scopes), and the trend figures are valid, labelled Plotly specs."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest
from storekit import ORG, Q1

from dashboard import figures, queries
from dashboard.queries import Filters
from dashboard.schema import STATUSES

QUARTERS = ["2023KW1", "2023KW2", "2023KW3", "2023KW4"]
SCOPES = [
    ({}, {}),
    ({"pillar": "people"}, {"pillar": "people"}),
    ({"sdg": 3}, {"sdg": 3}),
    ({"sdg": 16}, {"sdg": 16}),
    ({"action_plan": "D03/AP06"}, {"sdg": 3}),
]


def expected_row(engine, quarter: str, departments, statuses, scope: dict, narrow: dict) -> dict:
    """The same figures from the one-quarter queries: task list and budget lines of that quarter."""
    f = Filters(ORG, quarter, tuple(departments), tuple(statuses))
    tasks = queries.tasks(engine, f, **scope)
    lines = queries.budget_lines(engine, f, **narrow)
    if "action_plan" in scope:
        lines = lines[lines["action_plan"] == scope["action_plan"]]
    counts = tasks["status"].value_counts()
    return {
        **{s: int(counts.get(s, 0)) for s in STATUSES},
        "uitgaven_totaal": lines["uitgaven_totaal"].sum(),
        "uitgaven_besteld": lines["uitgaven_besteld"].sum(),
        "ontvangsten_ontvangen": lines["ontvangsten_ontvangen"].sum(),
    }


@pytest.mark.parametrize(("scope", "narrow"), SCOPES)
@pytest.mark.parametrize(("departments", "statuses"), [((), ()), (("Vrije Tijd",), ()), ((), ("Bezig", "Voltooid"))])
def test_trends_match_the_one_quarter_queries_for_every_quarter_scope_and_filter(
    synthetic_store, scope, narrow, departments, statuses
):
    engine = synthetic_store.engine
    frame = queries.trends(engine, ORG, departments, statuses, **scope)
    assert frame["quarter"].tolist() == QUARTERS
    assert frame["synthetic"].tolist() == [False, True, True, True]
    for _, row in frame.iterrows():
        want = expected_row(engine, row["quarter"], departments, statuses, scope, narrow)
        for column in STATUSES:
            assert row[column] == want[column], (row["quarter"], column)
        assert row["tasks"] == sum(want[s] for s in STATUSES)
        for column in ("uitgaven_totaal", "uitgaven_besteld", "ontvangsten_ontvangen"):
            assert row[column] == pytest.approx(want[column]), (row["quarter"], column)
        if row["uitgaven_totaal"] > 0:
            assert row["besteld_pct"] == pytest.approx(100 * want["uitgaven_besteld"] / want["uitgaven_totaal"])
        else:
            assert math.isnan(row["besteld_pct"])  # the zero-total rule


def test_trends_of_the_seed_store_have_one_quarter_with_the_report_counts(seed_store):
    frame = queries.trends(seed_store.engine, ORG, pillar="people")
    assert frame["quarter"].tolist() == [Q1] and not frame["synthetic"].iloc[0]
    assert frame[list(STATUSES)].iloc[0].tolist() == [4, 41, 5]  # the report's People pillar


def test_trends_of_a_scope_without_budget_have_zero_totals_and_no_percentage(synthetic_store):
    frame = queries.trends(synthetic_store.engine, ORG, action_plan="D16/AP01")  # SDG 16: goal-level budget
    assert (frame["uitgaven_totaal"] == 0).all() and frame["besteld_pct"].isna().all()
    assert (frame["tasks"] > 0).all()


def test_besteld_only_grows_over_the_synthetic_quarters(synthetic_store):
    frame = queries.trends(synthetic_store.engine, ORG)
    besteld = frame["uitgaven_besteld"].tolist()
    assert besteld == sorted(besteld) and besteld[-1] > besteld[0]


# --- figures ---------------------------------------------------------------------------------------


def trend_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "quarter": QUARTERS,
            "synthetic": [False, True, True, True],
            "Niet gestart": [4, 3, 2, 2],
            "Bezig": [41, 40, 35, 30],
            "Voltooid": [5, 7, 13, 18],
            "uitgaven_totaal": [100.0, 100.0, 0.0, 120.0],
            "besteld_pct": [35.0, 42.5, float("nan"), 60.0],
            "ontvangsten_totaal": [0.0, 0.0, 0.0, 0.0],
            "ontvangen_pct": [float("nan")] * 4,
        }
    )


CAPTION = figures.period_caption("Stad Harelbeke", QUARTERS, synthetic=QUARTERS[1:])


def test_status_trend_is_a_valid_stacked_bar_per_quarter_with_synthetic_quarters_named():
    fig = figures.status_trend(trend_frame(), title="People: taken per status per kwartaal", caption=CAPTION)
    valid = go.Figure(fig)
    assert [t.name for t in valid.data] == list(STATUSES)
    assert [t.marker.color for t in valid.data] == [figures.STATUS_COLOURS[s] for s in STATUSES]
    assert list(valid.data[2].y) == [5, 7, 13, 18]
    assert list(valid.data[0].x) == ["2023 KW1", *[f"{q[:4]} {q[4:]}<br><i>synthetisch</i>" for q in QUARTERS[1:]]]
    assert fig["layout"]["barmode"] == "stack"
    assert fig["layout"]["annotations"][0]["text"] == CAPTION and "SYNTHETISCHE GEGEVENS" in CAPTION


def test_realisation_trend_draws_percent_besteld_with_a_gap_for_a_zero_total_and_skips_empty_ontvangsten():
    fig = figures.realisation_trend(trend_frame(), title="t", caption=CAPTION)
    valid = go.Figure(fig)
    assert [t.name for t in valid.data] == ["% besteld"]  # no receipts budget in any quarter: no line
    assert list(valid.data[0].y) == [35.0, 42.5, None, 60.0]
    assert list(valid.data[0].text) == ["35%", "43%", "", "60%"]  # Belgian, rounded half up
    assert fig["layout"]["yaxis"]["ticksuffix"] == "%"


def test_trend_figures_without_data_say_so():
    empty = trend_frame().assign(**{s: 0 for s in STATUSES}, uitgaven_totaal=0.0)
    for build, message in ((figures.status_trend, "Geen taken"), (figures.realisation_trend, "Geen budget")):
        fig = build(empty, title="t", caption=CAPTION)
        go.Figure(fig)
        assert fig["data"] == [] and any(message in a["text"] for a in fig["layout"]["annotations"])
