"""What changed between two quarters: plain functions over query results (no store access).

- :func:`task_changes` compares two :func:`dashboard.queries.tasks` frames: status changes, new,
  changed or removed toelichtingen, tasks added or dropped.
- :func:`word_diff` turns two toelichtingen into equal / inserted / deleted word runs.
- :func:`budget_changes` compares two :func:`dashboard.queries.budget_lines` frames per scope
  (action plan, or policy goal where the source keeps budget at that level).
- :func:`resolve_pair` picks the two quarters a link asks for, with defaults and a notice.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .parsing import ValueRuleError, parse_quarter

ADDED, DROPPED, CHANGED = "toegevoegd", "geschrapt", "gewijzigd"
TEXT_NEW, TEXT_CHANGED, TEXT_REMOVED = "nieuw", "gewijzigd", "verwijderd"
_INFO = ["code", "name", "action", "action_text", "action_plan", "ap_label", "sdg", "pillar_id", "department"]
CHANGE_COLUMNS = [
    "task_id",
    *_INFO,
    "change",
    "status_before",
    "status_after",
    "status_changed",
    "toelichting_before",
    "toelichting_after",
    "toelichting_change",
]


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The word-level difference of two texts as runs of ('equal' | 'insert' | 'delete', words).

    Words are compared as whitespace-separated tokens, so punctuation stays with its word and a
    changed line break is not a change. Joining the equal and inserted runs with spaces gives
    ``new``'s words; the equal and deleted runs give ``old``'s."""
    a, b = (old or "").split(), (new or "").split()
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    # A lone shared word between two changes ('de', '2023') splits one rewrite into confetti: fold it
    # into the change around it, so a reader sees the old phrase struck and the new one inserted.
    blocks: list[tuple[str, list[str], list[str]]] = []  # ('equal' | 'change', old words, new words)
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        lone = tag == "equal" and i2 - i1 == 1 and 0 < k < len(ops) - 1
        kind = "equal" if tag == "equal" and not lone else "change"
        if kind == "change" and blocks and blocks[-1][0] == "change":
            blocks[-1][1].extend(a[i1:i2])
            blocks[-1][2].extend(b[j1:j2])
        else:
            blocks.append((kind, list(a[i1:i2]), list(b[j1:j2])))
    runs: list[tuple[str, str]] = []
    for kind, old_words, new_words in blocks:
        if kind == "equal":
            runs.append(("equal", " ".join(old_words)))
            continue
        if old_words:
            runs.append(("delete", " ".join(old_words)))
        if new_words:
            runs.append(("insert", " ".join(new_words)))
    return runs


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _text_change(before: str | None, after: str | None) -> str:
    before, after = (before or "").strip(), (after or "").strip()
    if before == after:
        return ""
    if not before:
        return TEXT_NEW
    if not after:
        return TEXT_REMOVED
    return TEXT_CHANGED


def task_changes(before: pd.DataFrame, after: pd.DataFrame, statuses: Sequence[str] = ()) -> pd.DataFrame:
    """Every task that changed from ``before`` to ``after`` (two ``queries.tasks`` frames of one
    bestuur, already narrowed by department and scope, *not* by status), ordered by task id.

    ``change`` is 'toegevoegd' (only in after), 'geschrapt' (only in before) or 'gewijzigd' (status
    or toelichting differ); ``toelichting_change`` is 'nieuw', 'gewijzigd', 'verwijderd' or ''.
    With ``statuses``, a task is kept when its status in either quarter is one of them (so
    'Bezig → Voltooid' shows under both). Columns: :data:`CHANGE_COLUMNS`.
    """
    # Plain records: at a few hundred tasks this is ten times faster than a pandas merge.
    old = {r["task_id"]: r for r in before.to_dict("records")}
    new = {r["task_id"]: r for r in after.to_dict("records")}
    rows = []
    for task_id in sorted(old.keys() | new.keys()):
        b, a = old.get(task_id), new.get(task_id)
        status_before = b["status"] if b else None
        status_after = a["status"] if a else None
        text_before = _text(b["toelichting"]) if b else ""
        text_after = _text(a["toelichting"]) if a else ""
        if b is None:
            change = ADDED
        elif a is None:
            change = DROPPED
        elif status_before != status_after or text_before.strip() != text_after.strip():
            change = CHANGED
        else:
            continue
        if statuses and status_before not in statuses and status_after not in statuses:
            continue
        info = a or b
        rows.append(
            {
                "task_id": task_id,
                **{column: info[column] for column in _INFO},
                "change": change,
                "status_before": status_before,
                "status_after": status_after,
                "status_changed": change == CHANGED and status_before != status_after,
                "toelichting_before": text_before,
                "toelichting_after": text_after,
                "toelichting_change": _text_change(text_before, text_after) if change == CHANGED else "",
            }
        )
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    for column in ("status_before", "status_after"):  # None (not NaN) where the task is absent
        out[column] = pd.Series([r[column] for r in rows], index=out.index, dtype=object)
    return out


@dataclass(frozen=True)
class Counts:
    """How much changed: the numbers the overview and the changes page show."""

    status_changes: int
    toelichtingen: int  # new or changed (not removed) toelichtingen of tasks in both quarters
    added: int
    dropped: int

    @property
    def total(self) -> int:
        return self.status_changes + self.toelichtingen + self.added + self.dropped


def count_changes(changes: pd.DataFrame) -> Counts:
    """The counts of a :func:`task_changes` frame."""
    if changes.empty:
        return Counts(0, 0, 0, 0)
    return Counts(
        status_changes=int(changes["status_changed"].sum()),
        toelichtingen=int(changes["toelichting_change"].isin([TEXT_NEW, TEXT_CHANGED]).sum()),
        added=int((changes["change"] == ADDED).sum()),
        dropped=int((changes["change"] == DROPPED).sum()),
    )


_AMOUNTS = {
    "uitgaven_totaal": "uitgaven_totaal",
    "besteld": "uitgaven_besteld",
    "ontvangsten_totaal": "ontvangsten_totaal",
    "ontvangen": "ontvangsten_ontvangen",
}


def budget_changes(before: pd.DataFrame, after: pd.DataFrame, *, only_changed: bool = True) -> pd.DataFrame:
    """Per budget scope (action plan, or policy goal such as 'D16'), the amounts in both quarters
    and their difference, from two ``queries.budget_lines`` frames; ordered by scope.

    Columns: scope, action_plan, sdg, then for besteld, ontvangen, uitgaven_totaal and
    ontvangsten_totaal: ``<name>_before``, ``<name>_after``, ``<name>_delta`` (a line missing in a
    quarter counts as 0 there). ``only_changed`` leaves out lines where nothing moved.
    """
    keys = ["scope", "action_plan", "sdg"]
    left = before[keys + list(_AMOUNTS.values())].rename(columns={v: f"{k}_before" for k, v in _AMOUNTS.items()})
    right = after[keys + list(_AMOUNTS.values())].rename(columns={v: f"{k}_after" for k, v in _AMOUNTS.items()})
    merged = left.merge(right, on="scope", how="outer", suffixes=("", "_r"))
    for key in ("action_plan", "sdg"):
        merged[key] = merged[key].where(merged[key].notna(), merged[f"{key}_r"])
    out = merged[["scope", "action_plan", "sdg"]].copy()
    out["action_plan"] = out["action_plan"].astype(object).where(out["action_plan"].notna(), None)
    out["sdg"] = out["sdg"].astype(int) if len(out) else out["sdg"]
    moved = np.zeros(len(out), dtype=bool)
    for name in _AMOUNTS:
        out[f"{name}_before"] = merged[f"{name}_before"].fillna(0.0).astype(float)
        out[f"{name}_after"] = merged[f"{name}_after"].fillna(0.0).astype(float)
        out[f"{name}_delta"] = (out[f"{name}_after"] - out[f"{name}_before"]).round(2)
        moved |= out[f"{name}_delta"].to_numpy() != 0
    if only_changed:
        out = out[moved]
    return out.sort_values("scope").reset_index(drop=True)


def previous_quarter(quarters: Sequence[str], quarter: str) -> str | None:
    """The quarter before ``quarter`` in ``quarters`` (oldest first), or None."""
    if quarter not in quarters:
        return None
    index = list(quarters).index(quarter)
    return quarters[index - 1] if index > 0 else None


def _known(value, quarters: Sequence[str]) -> str | None:
    if not value:
        return None
    try:
        code = parse_quarter(value)
    except ValueRuleError:
        return None
    return code if code in quarters else None


def resolve_pair(
    quarters: Sequence[str], van=None, tot=None, kwartaal=None
) -> tuple[str | None, str | None, str | None]:
    """(van, tot, notice) for the changes page.

    The later quarter is the quarter filter ``kwartaal`` when set (so the filter bar's quarter picks
    it, as on every page), else ``tot``, else the latest quarter; ``van`` defaults to the quarter
    before it. A value that names no known quarter, or a ``van`` that is not before the later
    quarter, falls back to the default and is named in the notice. ``van`` is None when there is
    nothing to compare (fewer than two quarters)."""
    if not quarters:
        return None, None, None
    order = {q: i for i, q in enumerate(quarters)}
    problems = [f"kwartaal '{v}' bestaat niet in de gegevens" for v in (van, tot) if v and not _known(v, quarters)]
    end = _known(kwartaal, quarters) or _known(tot, quarters) or quarters[-1]
    start = _known(van, quarters)
    if start is not None and order[start] >= order[end]:
        if end == _known(tot, quarters):  # asked for as such; after a new quarter filter, just follow it
            problems.append("het eerste kwartaal moet vóór het tweede liggen")
        start = None
    if start is None:
        start = previous_quarter(quarters, end)
        if start is None and len(quarters) > 1:  # the later quarter is the oldest one: compare the first two
            start, end = quarters[0], quarters[1]
    notice = None
    if problems:
        text = "; ".join(problems)
        notice = text[0].upper() + text[1:] + "; getoond worden de standaardkwartalen."
    return start, end, notice
