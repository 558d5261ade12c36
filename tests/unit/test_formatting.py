"""Belgian (nl-BE) formatting of amounts, percentages, numbers and quarters, as the report prints them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard import formatting


@pytest.mark.parametrize(
    "value, text",
    [
        (1234567, "1.234.567 €"),
        (1234567.4, "1.234.567 €"),
        (5333, "5.333 €"),
        (426, "426 €"),
        (0, "0 €"),
        (-28718, "-28.718 €"),
        (7035739.0, "7.035.739 €"),
        (np.float64(55325.0), "55.325 €"),
        (np.int64(1000000), "1.000.000 €"),
    ],
)
def test_euro_prints_whole_euros_with_dots_between_thousands(value, text):
    assert formatting.euro(value) == text


@pytest.mark.parametrize(
    "value, text",
    [
        (64.4, "64%"),
        (75.13, "75%"),
        (0, "0%"),
        (100, "100%"),
        (0.4, "0%"),
        (99.6, "100%"),
        (np.float64(34.2), "34%"),
        (1234.0, "1.234%"),
    ],
)
def test_pct_prints_rounded_whole_percent_without_space(value, text):
    assert formatting.pct(value) == text


@pytest.mark.parametrize("fn", [formatting.euro, formatting.pct, formatting.number])
@pytest.mark.parametrize("missing", [float("nan"), np.nan, None, math.nan])
def test_missing_values_print_as_a_dash(fn, missing):
    assert fn(missing) == "–"


@pytest.mark.parametrize(
    "value, decimals, text",
    [(1234567.8, 0, "1.234.568"), (1234.56, 1, "1.234,6"), (35.95, 2, "35,95"), (-1234, 0, "-1.234"), (0, 0, "0")],
)
def test_number_uses_comma_decimals_and_dot_thousands(value, decimals, text):
    assert formatting.number(value, decimals) == text


@pytest.mark.parametrize(
    "code, label", [("2023KW1", "2023 KW1"), ("2024KW4", "2024 KW4"), ("", ""), (None, ""), ("onbekend", "onbekend")]
)
def test_quarter_label_separates_year_and_quarter(code, label):
    assert formatting.quarter_label(code) == label


def test_plotly_separators_are_belgian():
    assert formatting.PLOTLY_SEPARATORS == ",."


@pytest.mark.parametrize(
    "value, fn, text",
    [
        (12.5, formatting.pct, "13%"),
        (62.5, formatting.pct, "63%"),
        (2.5, formatting.euro, "3 €"),
        (1234.5, formatting.euro, "1.235 €"),
    ],
)
def test_halves_round_up_as_in_the_report(value, fn, text):
    assert fn(value) == text
