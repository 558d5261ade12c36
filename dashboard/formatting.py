"""Belgian (nl-BE) formatting of amounts, percentages, counts and quarters for the UI."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

# Plotly's `separators`: decimal mark first, then the thousands separator.
PLOTLY_SEPARATORS = ",."


def half_up(value, decimals: int = 0) -> float:
    """Round as the report (and a person) does: halves away from zero (12,5 → 13), not to even."""
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0) -> str:
    """1234567.8 → '1.234.568'; with decimals=1 → '1.234.567,8'."""
    if _is_missing(value):
        return "–"
    text = f"{half_up(value, decimals):,.{decimals}f}"
    return text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")


def euro(value) -> str:
    """1234567 → '1.234.567 €' (whole euros, as the report shows them); missing → '–'."""
    if _is_missing(value):
        return "–"
    return f"{number(value)} €"


def pct(value) -> str:
    """64.4 → '64%' (the report's style); NaN (zero total) → '–'."""
    if _is_missing(value):
        return "–"
    return f"{number(value)}%"


def quarter_label(code: str) -> str:
    """'2023KW1' → '2023 KW1'."""
    return f"{code[:4]} {code[4:]}" if code and len(code) == 7 else code or ""


def euro_delta(value) -> str:
    """A change in euros with its sign: 12345 → '+12.345 €', -1234 → '−1.234 €' (a real minus), 0 → '0 €'."""
    if _is_missing(value):
        return "–"
    rounded = half_up(value)
    if rounded == 0:
        return "0 €"
    return f"{'+' if rounded > 0 else '−'}{number(abs(rounded))} €"
