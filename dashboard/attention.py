"""Aandachtspunten: rules that point at what needs a look first, computed from the data.

Each rule is a pure function over query results (DataFrames in, a DataFrame of items out) and has
a one-sentence Dutch explanation that the pages show next to its items. :func:`collect` runs the
queries once for a view (bestuur, quarter, department and status filters) and applies every rule;
the pages narrow the result to their pillar, SDG or action plan with :func:`in_scope`.

How the filters apply, as everywhere in the app (see dashboard/queries.py): the department filter
narrows tasks by their department and budget lines by their action plan's; the status filter
narrows the task rules only (budgets belong to action plans, not to tasks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from . import queries, urls
from .formatting import euro, pct, quarter_label
from .parsing import quarter_sort_key
from .queries import Filters


@dataclass(frozen=True)
class Thresholds:
    """The rules' thresholds (configured with DASHBOARD_ATTENTION_… variables, see config.py)."""

    committed_pct: float = 75.0  # "most of its budget": an action plan that has committed at least this share
    overrun_eur: float = 0.0  # besteld/ontvangen may exceed totaal by this much before it is flagged
    min_budget_eur: float = 0.0  # an action plan "has budget" when its totaal is above this

    @classmethod
    def from_settings(cls, settings) -> Thresholds:
        """The thresholds of a :class:`dashboard.config.Settings`."""
        return cls(settings.attention_committed_pct, settings.attention_overrun_eur, settings.attention_min_budget_eur)


@dataclass(frozen=True)
class Rule:
    """One rule: its id (used in links), its title and its explanation template."""

    id: str
    title: str
    explanation: str  # one sentence; {pct}, {eur_clause}, {min_clause} and {previous} are filled in


RULES = (
    Rule(
        "besteld-boven-totaal",
        "Besteld boven totaal",
        "Op deze budgetlijnen is meer besteld dan het uitgavenbudget{eur_clause}.",
    ),
    Rule(
        "ontvangen-boven-totaal",
        "Ontvangen boven totaal",
        "Op deze budgetlijnen is meer ontvangen dan de geraamde ontvangsten{eur_clause}.",
    ),
    Rule(
        "niet-gestart-budget-besteld",
        "Niet gestart, budget grotendeels besteld",
        "Deze taken staan nog op ‘Niet gestart’, terwijl hun actieplan al minstens {pct} van zijn "
        "uitgavenbudget besteld heeft.",
    ),
    Rule(
        "geen-toelichting",
        "Geen toelichting",
        "Deze taken hebben dit kwartaal geen toelichting, dus niemand kan lezen hoe ze vorderen.",
    ),
    Rule(
        "toelichting-ongewijzigd",
        "Toelichting ongewijzigd",
        "De toelichting van deze taken is woord voor woord dezelfde als in het vorige kwartaal{previous}.",
    ),
    Rule(
        "budget-zonder-taken",
        "Budget zonder taken",
        "Deze actieplannen hebben budget{min_clause}, maar dit kwartaal geen enkele taak.",
    ),
)
RULE_IDS = tuple(r.id for r in RULES)
ITEM_COLUMNS = ["rule", "sdg", "pillar_id", "action_plan", "task_id", "label", "detail", "path"]


def explain(rule: Rule, t: Thresholds, previous_quarter: str | None) -> str:
    """The rule's sentence with the configured thresholds filled in."""
    return rule.explanation.format(
        pct=pct(t.committed_pct),
        eur_clause=f" (met meer dan {euro(t.overrun_eur)})" if t.overrun_eur > 0 else "",
        min_clause=f" (meer dan {euro(t.min_budget_eur)})" if t.min_budget_eur > 0 else "",
        previous=f" ({quarter_label(previous_quarter)})"
        if previous_quarter
        else " (er is nog geen vorig kwartaal om mee te vergelijken)",
    )


def _items(rule: str, frame: pd.DataFrame, label, detail, path) -> pd.DataFrame:
    """One rule's hits as items; ``label``, ``detail`` and ``path`` turn a hit (a dict) into text."""
    if frame.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    hits = frame.to_dict("records")
    plans = [h["action_plan"] if isinstance(h["action_plan"], str) else None for h in hits]
    return pd.DataFrame(
        {
            "rule": rule,
            "sdg": [int(h["sdg"]) for h in hits],
            "pillar_id": [h["pillar_id"] for h in hits],
            # object columns: None (not NaN) where a line has no action plan or an item no task
            "action_plan": pd.Series(plans, dtype=object),
            "task_id": pd.Series([h.get("task_id") for h in hits], dtype=object),
            "label": [label(h) for h in hits],
            "detail": [detail(h) for h in hits],
            "path": [path(h) for h in hits],
        },
        columns=ITEM_COLUMNS,
    )


def _line_label(hit: dict) -> str:
    if isinstance(hit["action_plan"], str):
        return f"SDG {int(hit['sdg'])} · {hit['action_plan'][-4:]} {hit['label']}"
    return f"SDG {int(hit['sdg'])} · {hit['scope']} {hit['label']}"


def _line_path(hit: dict) -> str:
    return urls.action_plan(hit["action_plan"]) if isinstance(hit["action_plan"], str) else urls.sdg(hit["sdg"])


def _task_label(hit: dict) -> str:
    code = hit["code"] if isinstance(hit["code"], str) and hit["code"].strip() else None
    return f"{code}| {hit['name']}" if code else str(hit["name"])


def _task_path(hit: dict) -> str:
    return urls.task(hit["task_id"])


# --- the rules (pure) ----------------------------------------------------------------------------------


def besteld_boven_totaal(lines: pd.DataFrame, t: Thresholds) -> pd.DataFrame:
    """Budget lines whose besteld is above their uitgaven totaal (by more than ``t.overrun_eur``).

    ``lines``: queries.budget_lines plus a ``label`` column (the action plan's, or the policy goal's).
    """
    hit = lines[lines["uitgaven_besteld"] > lines["uitgaven_totaal"] + t.overrun_eur]
    return _items(
        "besteld-boven-totaal",
        hit,
        _line_label,
        lambda h: (
            f"{euro(h['uitgaven_besteld'])} besteld van {euro(h['uitgaven_totaal'])} budget "
            f"({euro(h['uitgaven_besteld'] - h['uitgaven_totaal'])} meer)"
        ),
        _line_path,
    )


def ontvangen_boven_totaal(lines: pd.DataFrame, t: Thresholds) -> pd.DataFrame:
    """Budget lines whose ontvangen is above their ontvangsten totaal (by more than ``t.overrun_eur``)."""
    hit = lines[lines["ontvangsten_ontvangen"] > lines["ontvangsten_totaal"] + t.overrun_eur]
    return _items(
        "ontvangen-boven-totaal",
        hit,
        _line_label,
        lambda h: (
            f"{euro(h['ontvangsten_ontvangen'])} ontvangen bij {euro(h['ontvangsten_totaal'])} geraamd "
            f"({euro(h['ontvangsten_ontvangen'] - h['ontvangsten_totaal'])} meer)"
        ),
        _line_path,
    )


def niet_gestart_budget_besteld(tasks: pd.DataFrame, plan_lines: pd.DataFrame, t: Thresholds) -> pd.DataFrame:
    """Tasks still 'Niet gestart' whose action plan has committed at least ``t.committed_pct`` of its
    uitgaven budget. ``plan_lines``: budget lines per action plan (policy-goal lines have no action
    plan and are not attributed to one: the source does not split them).
    """
    waiting = tasks[tasks["status"] == "Niet gestart"]
    plans = plan_lines[plan_lines["action_plan"].notna()][["action_plan", "uitgaven_totaal", "uitgaven_besteld"]]
    total = plans["uitgaven_totaal"].where(plans["uitgaven_totaal"] > 0)  # no budget: no percentage
    plans = plans.assign(besteld_pct=100.0 * plans["uitgaven_besteld"] / total)
    hit = waiting.merge(plans, on="action_plan", how="inner")
    hit = hit[hit["besteld_pct"] >= t.committed_pct]
    return _items(
        "niet-gestart-budget-besteld",
        hit,
        _task_label,
        lambda h: (
            f"Niet gestart; {h['action_plan'][-4:]} heeft {pct(h['besteld_pct'])} besteld "
            f"({euro(h['uitgaven_besteld'])} van {euro(h['uitgaven_totaal'])})"
        ),
        _task_path,
    )


def geen_toelichting(tasks: pd.DataFrame) -> pd.DataFrame:
    """Tasks whose toelichting this quarter is empty (or only whitespace)."""
    hit = tasks[tasks["toelichting"].fillna("").str.strip() == ""]
    return _items("geen-toelichting", hit, _task_label, lambda h: f"Status {h['status']}; geen toelichting", _task_path)


def _same_text(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


def toelichting_ongewijzigd(tasks: pd.DataFrame, previous: pd.DataFrame, previous_quarter: str | None) -> pd.DataFrame:
    """Tasks whose (non-empty) toelichting equals, up to whitespace, their toelichting of the
    previous quarter. ``previous``: the tasks of ``previous_quarter`` (task_id, toelichting)."""
    if previous is None or previous.empty or not previous_quarter:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    before = previous[["task_id", "toelichting"]].rename(columns={"toelichting": "before"})
    both = tasks.merge(before, on="task_id", how="inner")
    now, then = both["toelichting"].map(_same_text), both["before"].map(_same_text)
    hit = both[(now != "") & (now == then)]
    label = quarter_label(previous_quarter)
    return _items(
        "toelichting-ongewijzigd",
        hit,
        _task_label,
        lambda h: f"Zelfde tekst als in {label} (status {h['status']})",
        _task_path,
    )


def budget_zonder_taken(lines: pd.DataFrame, quarter_tasks: pd.DataFrame, t: Thresholds) -> pd.DataFrame:
    """Action-plan budget lines with a totaal above ``t.min_budget_eur`` (uitgaven or ontvangsten)
    whose action plan has no task at all this quarter (``quarter_tasks``: every task of the quarter,
    whatever the filters)."""
    with_plan = lines[lines["action_plan"].notna()]
    funded = with_plan[
        (with_plan["uitgaven_totaal"] > t.min_budget_eur) | (with_plan["ontvangsten_totaal"] > t.min_budget_eur)
    ]
    hit = funded[~funded["action_plan"].isin(set(quarter_tasks["action_plan"]))]
    return _items(
        "budget-zonder-taken",
        hit,
        _line_label,
        lambda h: f"Uitgaven {euro(h['uitgaven_totaal'])}, ontvangsten {euro(h['ontvangsten_totaal'])}; geen taken",
        _line_path,
    )


# --- running them ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Findings:
    """Every rule's items for one view, and the quarter the 'unchanged' rule compared with."""

    items: pd.DataFrame  # ITEM_COLUMNS, in rule order
    previous_quarter: str | None
    thresholds: Thresholds

    def explanation(self, rule: Rule) -> str:
        return explain(rule, self.thresholds, self.previous_quarter)


def previous_quarter(quarters: list[str], quarter: str) -> str | None:
    """The quarter before ``quarter`` among those in the store (None for the first)."""
    ordered = sorted(set(quarters) | {quarter}, key=quarter_sort_key)
    index = ordered.index(quarter)
    return ordered[index - 1] if index > 0 else None


class StoreSource:
    """Where :func:`collect` reads its data: straight from the store. The app passes a source with
    the same methods that answers from the query cache it shares with the pages."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def tasks(self, f: Filters) -> pd.DataFrame:
        return queries.tasks(self.engine, f)

    def budget_lines(self, f: Filters) -> pd.DataFrame:
        return queries.budget_lines(self.engine, f)

    def action_plans(self, org: str) -> pd.DataFrame:
        return queries.action_plans(self.engine, org)

    def sdgs(self, org: str) -> pd.DataFrame:
        return queries.sdgs(self.engine, org)

    def quarters(self, org: str) -> list[str]:
        return list(queries.list_quarters(self.engine, org))


def collect(engine: Engine | None, f: Filters, t: Thresholds, *, source=None) -> Findings:
    """Apply every rule to the view ``f`` (bestuur, quarter, department and status filters), reading
    from ``source`` (default: the store behind ``engine``)."""
    source = source or StoreSource(engine)
    tasks = source.tasks(f)
    unfiltered = Filters(f.org, f.quarter)
    lines = source.budget_lines(Filters(f.org, f.quarter, f.departments))
    all_lines = source.budget_lines(unfiltered)
    plans = source.action_plans(f.org).set_index("code")["label"]
    goals = source.sdgs(f.org).set_index("number")["short_name"]

    def labelled(frame: pd.DataFrame) -> pd.DataFrame:
        labels = [
            plans.get(ap, ap) if isinstance(ap, str) else goals.get(int(sdg), scope)
            for ap, sdg, scope in zip(frame["action_plan"], frame["sdg"], frame["scope"])
        ]
        return frame.assign(label=labels)

    lines = labelled(lines)
    previous = previous_quarter(source.quarters(f.org), f.quarter)
    before = source.tasks(Filters(f.org, previous)) if previous else None
    parts = [
        besteld_boven_totaal(lines, t),
        ontvangen_boven_totaal(lines, t),
        niet_gestart_budget_besteld(tasks, all_lines, t),
        geen_toelichting(tasks),
        toelichting_ongewijzigd(tasks, before, previous),
        budget_zonder_taken(lines, source.tasks(unfiltered), t),
    ]
    parts = [p for p in parts if not p.empty]
    items = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ITEM_COLUMNS)
    return Findings(items, previous, t)


def in_scope(
    items: pd.DataFrame, *, pillar: str | None = None, sdg: int | None = None, action_plan: str | None = None
) -> pd.DataFrame:
    """The items of one pillar, SDG or action plan (all of them when no scope is given)."""
    keep = pd.Series(True, index=items.index)
    if pillar is not None:
        keep &= items["pillar_id"] == pillar
    if sdg is not None:
        keep &= items["sdg"] == int(sdg)
    if action_plan is not None:
        keep &= items["action_plan"] == action_plan
    return items[keep]


def counts(items: pd.DataFrame) -> dict[str, int]:
    """Items per rule, for every rule (0 where a rule found nothing), in rule order."""
    found = items["rule"].value_counts()
    return {rule: int(found.get(rule, 0)) for rule in RULE_IDS}
