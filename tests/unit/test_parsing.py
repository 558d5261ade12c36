"""Parsing of the values real exports contain: Belgian amounts, statuses, quarters, SDG numbers."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from dashboard.parsing import (
    ValueRuleError,
    decode_bytes,
    normalise_header,
    parse_amount_cents,
    parse_quarter,
    parse_sdg,
    parse_status,
    read_csv_text,
)


@pytest.mark.parametrize(
    "value, cents",
    [
        ("1.234.567 €", 123456700),
        ("1.234.567 €", 123456700),  # narrow no-break space before €
        ("1.234.567\u00a0€", 123456700),  # no-break space
        ("1.234,56", 123456),
        ("1.234,56 €", 123456),
        ("-28.718 €", -2871800),
        ("28.718", 2871800),  # a dot with three digits after it is a thousands separator
        ("0 €", 0),
        ("€ 12.500", 1250000),
        ("1 234 567", 123456700),
        ("1234.56", 123456),
        ("1234,5", 123450),
        ("1234567", 123456700),
        ("-0,01", -1),
        ("(1.500)", -150000),  # accounting notation
        ("12.500 EUR", 1250000),
        ("", 0),
        ("   ", 0),
        (None, 0),
        (float("nan"), 0),
        (np.nan, 0),
        (55325, 5532500),
        (55325.0, 5532500),
        (1234.56, 123456),
        (np.int64(28718), 2871800),
        (np.float64(-28718.5), -2871850),
        (Decimal("7.05"), 705),
    ],
)
def test_parse_amount_accepts_belgian_plain_and_numeric_cells(value, cents):
    assert parse_amount_cents(value) == cents


@pytest.mark.parametrize(
    "value",
    [
        "twaalf",
        "1.2.3",
        "12,34,56",
        "1,234.56",
        "12.5.000",
        "€",
        "-",
        "1.234,567",
        "0,001",
        "nan",
        "Infinity",
        True,
        False,
        float("inf"),
        0.005,
    ],
)
def test_parse_amount_rejects_values_that_are_not_an_amount_in_cents(value):
    with pytest.raises(ValueRuleError):
        parse_amount_cents(value)


@pytest.mark.parametrize(
    "value, status",
    [
        ("Niet gestart", "Niet gestart"),
        ("niet gestart", "Niet gestart"),
        ("NIET GESTART", "Niet gestart"),
        ("  Niet   gestart ", "Niet gestart"),
        ("Niet\u00a0gestart", "Niet gestart"),
        ("Bezig", "Bezig"),
        ("BEZIG", "Bezig"),
        ("bezig", "Bezig"),
        ("Voltooid", "Voltooid"),
        ("voltooid", "Voltooid"),
        ("Taak voltooid", "Voltooid"),
        ("TAAK VOLTOOID", "Voltooid"),
        ("taak voltooid", "Voltooid"),
    ],
)
def test_parse_status_accepts_the_report_spellings_in_any_case(value, status):
    assert parse_status(value) == status


@pytest.mark.parametrize("value", ["", None, "Gestart", "In uitvoering", "Afgerond", "Bezig!", "Taak", "1"])
def test_parse_status_rejects_unknown_statuses_and_names_the_allowed_ones(value):
    with pytest.raises(ValueRuleError, match="onbekende status.*Niet gestart.*Bezig.*Voltooid"):
        parse_status(value)


@pytest.mark.parametrize(
    "value, code",
    [
        ("2023KW1", "2023KW1"),
        ("2023 KW1", "2023KW1"),
        ("2023-Q1", "2023KW1"),
        ("2023Q4", "2023KW4"),
        ("2023kw2", "2023KW2"),
        ("2023 - KW 3", "2023KW3"),
        (" 2024KW1 ", "2024KW1"),
        ("KW1 2023", "2023KW1"),
        ("Q2-2023", "2023KW2"),
    ],
)
def test_parse_quarter_accepts_report_and_iso_like_spellings(value, code):
    assert parse_quarter(value) == code


@pytest.mark.parametrize("value", ["", None, "2023", "2023KW5", "2023KW0", "2023-Q", "KW1", "23KW1", "2023-01", "Q1"])
def test_parse_quarter_rejects_values_that_are_no_quarter(value):
    with pytest.raises(ValueRuleError, match="geen geldig kwartaal"):
        parse_quarter(value)


@pytest.mark.parametrize(
    "value, number",
    [("3", 3), ("03", 3), ("SDG 3", 3), ("SDG03", 3), ("sdg 16", 16), (3, 3), (3.0, 3), (np.int64(17), 17), ("1", 1)],
)
def test_parse_sdg_accepts_numbers_and_sdg_labels(value, number):
    assert parse_sdg(value) == number


@pytest.mark.parametrize("value", ["0", "18", 18, "-1", "3.5", 3.5, "", None, "SDG", "drie"])
def test_parse_sdg_rejects_numbers_outside_1_to_17_and_text(value):
    with pytest.raises(ValueRuleError):
        parse_sdg(value)


def test_parse_sdg_rejects_superscript_digits_with_a_rule_error():
    try:
        parse_sdg("³")
    except ValueRuleError:
        return
    except ValueError as exc:  # what happens now
        raise AssertionError(f"plain ValueError escaped: {exc}") from None
    raise AssertionError("'³' was accepted")


def test_decode_bytes_reads_utf8_with_and_without_bom_and_falls_back_to_windows_1252():
    text = "Oekraïne; één € – “citaat”"
    assert decode_bytes(text.encode("utf-8")) == text
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_bytes(text.encode("cp1252")) == text


def test_normalise_header_lowercases_trims_and_underscores():
    assert normalise_header("\ufeffTaak ID ") == "taak_id"
    assert normalise_header("Uitgaven-Totaal") == "uitgaven_totaal"
    assert normalise_header("actieplan  titel") == "actieplan_titel"


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_read_csv_text_detects_the_separator_and_keeps_spreadsheet_row_positions(sep):
    content = (
        sep.join(["Kwartaal", "SDG", "Toelichting"])
        + "\r\n"
        + sep.join(["2023KW1", "3", '"a; b, c"'])
        + "\r\n"
        + "\r\n"
        + sep.join(["2023KW1", "4", '"regel 1\nregel 2"'])
        + "\r\n"
    )
    frame = read_csv_text(content)
    assert list(frame.columns) == ["kwartaal", "sdg", "toelichting"]
    assert frame["toelichting"].tolist() == ["a; b, c", "regel 1\nregel 2"]
    assert [2 + i for i in frame.index] == [2, 4]  # the blank line (row 3) is skipped, not renumbered
