"""URL paths and query strings: the filter state of every view lives in the URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from .schema import STATUSES

PILLAR_SLUGS = ("people", "planet", "prosperity", "peace", "partnership")


def as_list(value) -> list[str]:
    """A query value (None, 'a', ['a', 'b'], 'a,b' from older links) as a clean list."""
    if value is None:
        return []
    values = value if isinstance(value, (list, tuple)) else [value]
    return [v.strip() for v in values if v and v.strip()]


def parse_search(search: str | None) -> dict[str, list[str]]:
    """'?kwartaal=2023KW1&departement=A&departement=B' → {'kwartaal': [...], ...}."""
    return parse_qs((search or "").lstrip("?"), keep_blank_values=False)


def query_string(quarter: str | None = None, departments=(), statuses=(), **extra) -> str:
    """The canonical query string ('' when nothing is set), parameters in a fixed order."""
    pairs = []
    if quarter:
        pairs.append(("kwartaal", quarter))
    pairs += [("departement", d) for d in departments]
    pairs += [("status", s) for s in statuses if s in STATUSES]
    pairs += [(k, v) for k, v in extra.items() if v not in (None, "")]
    return "?" + urlencode(pairs) if pairs else ""


def overview() -> str:
    """Path of the overview page."""
    return "/"


def pillar(slug: str) -> str:
    """Path of a pillar page."""
    return f"/pijler/{slug}"


def sdg(number: int) -> str:
    """Path of an SDG page."""
    return f"/sdg/{int(number)}"


def action_plan(code: str) -> str:
    """Path of an action-plan page from its code ('D03/AP02' → '/sdg/3/ap/02')."""
    return f"/sdg/{int(code[1:3])}/ap/{code[-2:]}"


def task(task_id: str) -> str:
    """Path of a task's page ('D03/AP02/04-1' → '/sdg/3/ap/02/taak/04-1')."""
    return f"{action_plan(task_id[:8])}/taak/{task_id[9:]}"


def action_plan_code(sdg_number: int, ap: str) -> str:
    """'3', '2' → 'D03/AP02'."""
    return f"D{int(sdg_number):02d}/AP{int(ap):02d}"


def presentation_sequence(pillar_rows, sdg_rows) -> list[str]:
    """The views a presentation steps through with ← / →: the overview, then each pillar followed
    by its SDGs that have action plans, in plan order (``pillar_rows``: queries.pillars;
    ``sdg_rows``: queries.sdgs)."""
    paths = [overview()]
    for slug in pillar_rows["id"]:
        paths.append(pillar(slug))
        mine = sdg_rows[(sdg_rows["pillar_id"] == slug) & (sdg_rows["action_plans"] > 0)]
        paths += [sdg(n) for n in sorted(mine["number"])]
    return paths


def changes(van: str | None = None, tot: str | None = None, departments=(), statuses=()) -> str:
    """The changes page comparing quarter ``van`` with ``tot`` (filters kept; the quarter filter is
    ``tot``, so the filter bar shows it): '/wijzigingen?kwartaal=…&van=…&tot=…'."""
    return "/wijzigingen" + query_string(tot, departments, statuses, van=van, tot=tot)
