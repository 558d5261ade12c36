"""Where a quarter's figures come from: the optional template columns ``synthetisch`` and ``bron``,
collected per bestuur and quarter while an import is validated and written to ``quarter_source``.

Rules (README "Importing a quarter"):
- ``synthetisch`` is ``ja`` or ``nee`` (also yes/no, true/false, 1/0); empty says nothing. One
  import may not call the same bestuur and quarter both synthetic and real.
- A quarter is synthetic when the import says so, or when it already was and the import does not
  replace both its task updates and its budget lines (some of its figures stay synthetic).
- ``bron`` is a free-text note on the origin (e.g. the generator's command line), kept with the flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from . import schema
from .parsing import ValueRuleError, text

SYNTHETIC_COLUMN = "synthetisch"
NOTE_COLUMN = "bron"
OPTIONAL_COLUMNS = (SYNTHETIC_COLUMN, NOTE_COLUMN)
_YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
_NO = {"nee", "n", "no", "false", "onwaar", "0"}


def parse_flag(value: object) -> bool | None:
    """'ja' → True, 'nee' → False, empty → None (not said); anything else is a rule error."""
    if isinstance(value, bool):
        return value
    raw = text(value).strip().lower()
    if raw.endswith(".0"):  # a numeric spreadsheet cell 1.0 / 0.0
        raw = raw[:-2]
    if not raw:
        return None
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise ValueRuleError("geen geldige waarde (verwacht ja of nee)")


@dataclass
class Sources:
    """What one import says about the origin of each bestuur's quarter."""

    flags: dict[tuple[str, str], tuple[bool, str]] = field(default_factory=dict)  # → (flag, where first said)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    kinds: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # 'taken' / 'budget'

    def record(self, validator, sheet, row_no: int, record: dict, org: str, quarter: str, kind: str) -> None:
        """Note one valid row of ``kind`` for (org, quarter); problems go to ``validator.problem``."""
        key = (org, quarter)
        self.kinds.setdefault(key, set()).add(kind)
        raw = record.get(SYNTHETIC_COLUMN)
        try:
            flag = parse_flag(raw)
        except ValueRuleError as exc:
            validator.problem(sheet, row_no, SYNTHETIC_COLUMN, raw, str(exc))
            flag = None
        if flag is not None:
            where = f"{sheet.file} rij {row_no}"
            if key in self.flags and self.flags[key][0] != flag:
                first = self.flags[key][1]
                validator.problem(
                    sheet,
                    row_no,
                    SYNTHETIC_COLUMN,
                    raw,
                    f"kwartaal {quarter} is in deze import zowel synthetisch als echt (ook {first})",
                )
            else:
                self.flags.setdefault(key, (flag, where))
        note = text(record.get(NOTE_COLUMN))
        if note:
            self.notes.setdefault(key, note)

    def write(self, conn: Connection) -> None:
        """Store the origin of every (bestuur, quarter) this import wrote (inside its transaction)."""
        qs = schema.quarter_source
        old = {
            (o, q): (bool(s), n)
            for o, q, s, n in conn.execute(select(qs.c.org_id, qs.c.quarter, qs.c.synthetic, qs.c.note))
        }
        rows = []
        for key, kinds in sorted(self.kinds.items()):
            said = self.flags.get(key, (None, ""))[0]
            was_synthetic, old_note = old.get(key, (False, None))
            replaced = {"taken", "budget"} <= kinds
            synthetic = bool(said) or (was_synthetic and not replaced)
            note = self.notes.get(key) or (old_note if synthetic and was_synthetic else None)
            rows.append({"org_id": key[0], "quarter": key[1], "synthetic": synthetic, "note": note})
        for row in rows:
            conn.execute(delete(qs).where(qs.c.org_id == row["org_id"], qs.c.quarter == row["quarter"]))
        if rows:
            conn.execute(insert(qs), rows)
