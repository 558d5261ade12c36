"""Parsing of the values and files that real exports contain (Belgian amounts, quarters, statuses)."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from .schema import STATUSES


class ValueRuleError(ValueError):
    """A single value broke a rule; the message names the rule in Dutch."""


_STATUS_ALIASES = {
    "niet gestart": "Niet gestart",
    "nietgestart": "Niet gestart",
    "bezig": "Bezig",
    "voltooid": "Voltooid",
    "taak voltooid": "Voltooid",
}

_QUARTER_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-_ ]?\s*(?:KW|Q)\s*([1-4])$", re.IGNORECASE),  # 2023KW1, 2023 KW1, 2023-Q1
    re.compile(r"^(?:KW|Q)\s*([1-4])\s*[-_ ]?\s*(\d{4})$", re.IGNORECASE),  # KW1 2023, Q1-2023
)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_BELGIAN_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def is_blank(value: object) -> bool:
    """True for None, NaN and strings of whitespace only."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def text(value: object) -> str:
    """A cell as trimmed text ('' for blanks; 3.0 from a spreadsheet becomes '3')."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_status(value: object) -> str:
    """'Taak voltooid', 'BEZIG', 'niet gestart' … → the canonical status."""
    key = _SPACES.sub(" ", text(value)).lower()
    if key in _STATUS_ALIASES:
        return _STATUS_ALIASES[key]
    raise ValueRuleError(f"onbekende status (toegestaan: {', '.join(STATUSES)}, Taak voltooid)")


def parse_quarter(value: object) -> str:
    """'2023KW1', '2023 KW1', '2023-Q1', 'KW1 2023' → '2023KW1'."""
    raw = _SPACES.sub(" ", text(value))
    for i, pattern in enumerate(_QUARTER_PATTERNS):
        m = pattern.match(raw)
        if m:
            year, number = (m.group(1), m.group(2)) if i == 0 else (m.group(2), m.group(1))
            return f"{int(year)}KW{int(number)}"
    raise ValueRuleError("geen geldig kwartaal (verwacht bv. 2023KW1, 2023 KW1 of 2023-Q1)")


def quarter_sort_key(code: str) -> tuple[int, int]:
    """(year, quarter) of a canonical quarter code, for ordering."""
    return int(code[:4]), int(code[-1])


def parse_amount_cents(value: object) -> int:
    """An amount in euros as whole cents; empty means 0.

    Accepts Belgian notation (``1.234.567 €``, ``1.234,56``, ``-28.718 €``), plain numbers
    (``1234567``, ``1234.56``) and numeric cells from spreadsheets or Parquet.
    """
    if is_blank(value):
        return 0
    if isinstance(value, bool):
        raise ValueRuleError("geen geldig bedrag")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        raw = _SPACES.sub("", str(value)).replace("€", "").replace("EUR", "").replace("eur", "")
        if raw.startswith("(") and raw.endswith(")"):  # accounting notation for negatives
            raw = "-" + raw[1:-1]
        if "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
        elif _BELGIAN_THOUSANDS.match(raw):
            raw = raw.replace(".", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueRuleError("geen geldig bedrag (verwacht bv. 1.234.567 €, 1.234,56 of 1234.56)") from None
    if not number.is_finite():
        raise ValueRuleError("geen geldig bedrag")
    cents = number * 100
    if cents != cents.to_integral_value():
        raise ValueRuleError("bedrag heeft meer dan twee decimalen")
    return int(cents)


def parse_sdg(value: object) -> int:
    """'3', '03', 'SDG 3', 'SDG03', 3.0 → 3 (range checked by the caller against the store)."""
    raw = text(value).upper().replace("SDG", "").strip()
    if not re.fullmatch(r"[0-9]+", raw):  # str.isdigit() also accepts '³', which int() rejects
        raise ValueRuleError("geen SDG-nummer (verwacht een getal van 1 tot 17)")
    number = int(raw)
    if not 1 <= number <= 17:
        raise ValueRuleError("SDG-nummer buiten 1–17")
    return number


# --- files -------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """One table read from a file: normalised column names, rows as text/number cells."""

    file: str
    name: str  # sheet name (XLSX) or file stem
    frame: pd.DataFrame
    first_row: int  # the spreadsheet row number of the first data row (header is row 1)


def normalise_header(name: object) -> str:
    """'Taak ID ' → 'taak_id'; strips a BOM and accents nothing else."""
    raw = str(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", raw)


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), falling back to Windows-1252 as Excel writes it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_csv_text(content: str) -> pd.DataFrame:
    """A CSV text with ';' or ',' (or tab) as separator, all cells as strings."""
    first_line = content.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        return pd.DataFrame()
    header = [normalise_header(h) for h in rows[0]]
    body = [(r + [""] * (len(header) - len(r)))[: len(header)] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    # Keep the index (= row position) so errors can name the row a person sees in the file.
    return frame[[any(str(c).strip() for c in r) for r in body]] if body else frame


def read_tables(path: Path) -> list[Sheet]:
    """Every table in a CSV, XLSX or Parquet file (raises ValueRuleError for unreadable files)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            frame = read_csv_text(decode_bytes(path.read_bytes()))
            return [Sheet(path.name, path.stem, frame, 2)]
        if suffix in (".xlsx", ".xlsm"):
            sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
            out = []
            for name, frame in sheets.items():
                frame = frame.dropna(how="all")
                frame.columns = [normalise_header(c) for c in frame.columns]
                out.append(Sheet(path.name, str(name), frame, 2))
            return out
        if suffix == ".parquet":
            frame = pd.read_parquet(path).astype(object)
            frame.columns = [normalise_header(c) for c in frame.columns]
            return [Sheet(path.name, path.stem, frame, 2)]
    except FileNotFoundError:
        raise ValueRuleError("bestand niet gevonden") from None
    except ValueRuleError:
        raise
    except Exception as exc:  # any reader failure is reported as an unreadable file, never a traceback
        raise ValueRuleError(f"bestand kan niet gelezen worden ({type(exc).__name__}: {exc})") from None
    raise ValueRuleError("onbekend bestandstype (gebruik .csv, .xlsx of .parquet)")
