"""Synthetic quarters for test and demo: plausible later quarters derived from a real one, written in
the import template and labelled synthetic (column ``synthetisch`` = ja), never into data/seed.

What changes from one quarter to the next (deterministic for a given seed):
- status moves forward (Niet gestart → Bezig → Voltooid) with the probabilities in :class:`Rates`;
  a rare setback (Bezig → Niet gestart) only when ``Rates.setback`` allows it;
- toelichtingen: a task whose status changed always gets a new one; others sometimes do, the rest
  keep theirs unchanged. A new toelichting starts with ``[Synthetisch]`` and keeps most of the
  previous text (a sentence replaced, dropped or added), so a word-level diff reads naturally;
- one task is added in the first generated quarter (and another in the third), one is dropped;
- budget: besteld and ontvangen grow monotonically towards their totals; totals rarely change and
  never drop below what is already committed or received. A line held at policy-goal level (no
  action plan, SDG 16) stays at that level.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from . import exporter, schema
from .config import SEED_DIR
from .exporter import template_tables
from .formatting import quarter_label
from .parsing import parse_amount_cents, parse_quarter, quarter_sort_key
from .provenance import NOTE_COLUMN, SYNTHETIC_COLUMN

PREFIX = "[Synthetisch]"
TAKEN_COLUMNS = [*exporter.TAKEN_COLUMNS, SYNTHETIC_COLUMN, NOTE_COLUMN]
AMOUNTS = ["uitgaven_totaal", "uitgaven_besteld", "ontvangsten_totaal", "ontvangsten_ontvangen"]
BUDGET_COLUMNS = ["bestuur", "kwartaal", "sdg", "actieplan", *AMOUNTS, SYNTHETIC_COLUMN, NOTE_COLUMN]
STATUS_ORDER = {"Niet gestart": 0, "Bezig": 1, "Voltooid": 2}
DEFAULT_SEED = 2023

_MONTHS = {
    1: ("januari", "februari", "maart"),
    2: ("april", "mei", "juni"),
    3: ("juli", "augustus", "september"),
    4: ("oktober", "november", "december"),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Sentences for a status change: (before, after) → templates.
_TRANSITION = {
    ("Niet gestart", "Bezig"): (
        "De voorbereidingen zijn gestart in {maand}.",
        "In {maand} vond de startvergadering plaats met de betrokken diensten.",
        "De opdracht werd toegewezen en de uitvoering is opgestart.",
    ),
    ("Niet gestart", "Voltooid"): ("De taak werd in {maand} in één beweging uitgevoerd en afgerond.",),
    ("Bezig", "Voltooid"): (
        "De taak werd afgerond in {maand}.",
        "De realisatie is opgeleverd in {maand}; de nazorg loopt via de reguliere werking.",
        "Alle acties zijn uitgevoerd; de evaluatie werd besproken in het managementteam.",
    ),
    ("Bezig", "Niet gestart"): ("De uitvoering werd tijdelijk stopgezet door een personeelswissel; herstart volgt.",),
}
_PROGRESS = {
    "Niet gestart": (
        "De opstart is uitgesteld tot {volgend}.",
        "Er is nog geen capaciteit vrijgemaakt; de planning wordt herbekeken in {volgend}.",
    ),
    "Bezig": (
        "Stand {kwartaal}: de werking loopt volgens planning.",
        "In {maand} vond een overleg plaats met de betrokken partners.",
        "Er werden {n} nieuwe aanvragen behandeld.",
        "De evaluatie wordt voorbereid en volgt in {volgend}.",
        "Een offerte werd opgevraagd; de gunning is voorzien in {volgend}.",
        "Het budget werd voor {pct}% vastgelegd.",
        "De communicatie naar de inwoners is verstuurd in {maand}.",
    ),
    "Voltooid": ("De opvolging gebeurt voortaan binnen de reguliere werking.",),
}


@dataclass(frozen=True)
class Rates:
    """Per quarter and task: the chance of each status step and of a new toelichting; per budget line
    the chance that its total is adjusted."""

    start: float = 0.30  # Niet gestart → Bezig
    jump: float = 0.03  # Niet gestart → Voltooid
    finish: float = 0.15  # Bezig → Voltooid
    setback: float = 0.005  # Bezig → Niet gestart (rare)
    new_text: float = 0.55  # a new toelichting without a status change (Voltooid: a fifth of this)
    total_change: float = 0.05


@dataclass(frozen=True)
class Event:
    """One thing the generator changed: ``kind`` is status, toelichting, added or dropped."""

    quarter: str
    task_id: str
    kind: str
    before: str = ""
    after: str = ""


@dataclass
class SyntheticQuarters:
    """Generated quarters in the import template: ``taken`` (text cells) and ``budget`` (amounts in cents)."""

    base: str
    quarters: list[str]
    taken: pd.DataFrame
    budget: pd.DataFrame
    events: list[Event] = field(default_factory=list)

    def count(self, kind: str, quarter: str | None = None) -> int:
        """How many events of ``kind`` (in ``quarter``, or in all generated quarters)."""
        return sum(1 for e in self.events if e.kind == kind and (quarter is None or e.quarter == quarter))

    def budget_template(self) -> pd.DataFrame:
        """The budget table as the template writes it (plain euros, '1234' or '1234.56')."""
        out = self.budget.copy()
        for column in AMOUNTS:
            out[column] = out[column].map(lambda c: f"{c // 100}" if c % 100 == 0 else f"{c / 100:.2f}")
        return out[BUDGET_COLUMNS]


def next_quarter(code: str) -> str:
    """'2023KW4' → '2024KW1'."""
    year, number = quarter_sort_key(code)
    return f"{year + 1}KW1" if number == 4 else f"{year}KW{number + 1}"


def latest_real_quarter(engine: Engine, org: str) -> str | None:
    """The newest quarter of ``org`` that is not synthetic, or None."""
    from .queries import quarter_sources

    sources = quarter_sources(engine, org)
    real = sources.loc[~sources["synthetic"], "quarter"].tolist()
    return real[-1] if real else None


def _sentences(text: str) -> list[str]:
    body = text.strip()
    if body.startswith(PREFIX):
        body = body[len(PREFIX) :].strip()
    return [s for s in _SENTENCE_END.split(body) if s.strip()]


def _fill(template: str, rng: random.Random, quarter: str) -> str:
    number = quarter_sort_key(quarter)[1]
    return template.format(
        maand=rng.choice(_MONTHS[number]),
        kwartaal=quarter_label(quarter),
        volgend=quarter_label(next_quarter(quarter)),
        n=rng.randint(2, 40),
        pct=rng.randrange(20, 95, 5),
    )


def new_toelichting(rng: random.Random, previous: str, before: str, after: str, quarter: str) -> str:
    """A marked new toelichting that keeps most of ``previous`` (one sentence replaced, dropped or added)."""
    kept = _sentences(previous)
    choice = rng.random()
    if kept and choice < 0.35:
        kept = kept[:-1]  # the last sentence is replaced by the new one
    elif len(kept) > 1 and choice < 0.5:
        kept = kept[1:]  # the oldest sentence is dropped
    kept = kept[-4:]  # keeps texts from growing quarter after quarter
    if kept and not kept[-1].rstrip().endswith((".", "!", "?")):
        kept[-1] = kept[-1].rstrip() + "."
    templates = _TRANSITION.get((before, after)) or _PROGRESS[after]
    return " ".join([PREFIX, *kept, _fill(rng.choice(templates), rng, quarter)])


def _next_status(rng: random.Random, status: str, rates: Rates) -> str:
    draw = rng.random()
    if status == "Niet gestart":
        if draw < rates.jump:
            return "Voltooid"
        if draw < rates.jump + rates.start:
            return "Bezig"
    elif status == "Bezig":
        if draw < rates.finish:
            return "Voltooid"
        if draw < rates.finish + rates.setback:
            return "Niet gestart"
    return status


def _whole_euros(cents: float) -> int:
    return int(round(cents / 100)) * 100


def _next_amounts(rng: random.Random, ut: int, ub: int, ot: int, oo: int, rates: Rates) -> tuple[int, int, int, int]:
    if ut > 0 and rng.random() < rates.total_change:  # a budget change: the total moves, never below besteld
        ut = max(ub, ut + _whole_euros(ut * rng.uniform(-0.05, 0.10)))
    if ut > ub and rng.random() < 0.8:
        ub += min(ut - ub, max(100, _whole_euros((ut - ub) * rng.uniform(0.04, 0.30))))
    if ot > oo and rng.random() < 0.6:
        oo += min(ot - oo, max(100, _whole_euros((ot - oo) * rng.uniform(0.03, 0.35))))
    return ut, ub, ot, oo


def _plan(count: int) -> tuple[set[int], set[int]]:
    """Which generated quarters (by index) add a task and which drop one."""
    adds = {0} | ({2} if count >= 3 else set())
    drops = {min(1, count - 1)}
    return adds, drops


def generate(
    taken: pd.DataFrame,
    budget: pd.DataFrame,
    *,
    base: str,
    quarters: int = 3,
    seed: int = DEFAULT_SEED,
    known_task_ids: set[str] | None = None,
    rates: Rates = Rates(),
) -> SyntheticQuarters:
    """Derive ``quarters`` quarters after ``base`` from its rows.

    ``taken``: template rows of the base quarter (columns as :data:`TAKEN_COLUMNS`, text cells);
    ``budget``: its budget lines (bestuur, sdg, actieplan and :data:`AMOUNTS` in cents);
    ``known_task_ids``: every task id in the store, so added tasks get new ids.
    """
    if quarters < 1:
        raise ValueError("quarters must be at least 1")
    rng = random.Random(seed)
    codes = [next_quarter(base)]
    while len(codes) < quarters:
        codes.append(next_quarter(codes[-1]))
    note = f"gegenereerd uit {base} met seed {seed} (python -m dashboard synth)"
    known = set(known_task_ids or ()) | set(taken["taak_id"])
    current = {r["taak_id"]: dict(r) for r in taken.sort_values("taak_id").to_dict("records")}
    lines = [dict(r) for r in budget.sort_values(["bestuur", "sdg", "actieplan"]).to_dict("records")]
    adds, drops = _plan(quarters)
    added: set[str] = set()
    events: list[Event] = []
    taken_out, budget_out = [], []
    for index, quarter in enumerate(codes):
        if index in drops:
            candidates = sorted(t for t in current if t not in added)
            dropped = rng.choice(candidates)
            events.append(Event(quarter, dropped, "dropped", current[dropped]["status"], ""))
            del current[dropped]
        rows = {}
        for task_id in sorted(current):
            row = dict(current[task_id], kwartaal=quarter)
            before = row["status"]
            after = _next_status(rng, before, rates)
            wants_text = rng.random() < (rates.new_text / 5 if before == "Voltooid" else rates.new_text)
            if after != before:
                events.append(Event(quarter, task_id, "status", before, after))
            if after != before or wants_text:
                text = new_toelichting(rng, row["toelichting"], before, after, quarter)
                events.append(Event(quarter, task_id, "toelichting", row["toelichting"], text))
                row["toelichting"] = text
            row["status"] = after
            rows[task_id] = row
        if index in adds:
            busy = sorted({r["actie"] for r in rows.values() if r["status"] == "Bezig"})
            action = rng.choice(busy or sorted({r["actie"] for r in rows.values()}))
            sibling = next(r for r in rows.values() if r["actie"] == action)
            suffixes = [int(t.rsplit("-", 1)[1]) for t in known if t.rsplit("-", 1)[0] == action]
            task_id = f"{action}-{max(suffixes, default=0) + 1}"
            known.add(task_id)
            added.add(task_id)
            rows[task_id] = dict(
                sibling,
                taak_id=task_id,
                taak=f"{PREFIX} Opvolging en evaluatie: {sibling['taak']}",
                status="Niet gestart",
                toelichting=f"{PREFIX} Nieuwe taak, toegevoegd in {quarter_label(quarter)}. "
                "De planning en de verdeling van de opdrachten worden opgemaakt.",
            )
            events.append(Event(quarter, task_id, "added", "", "Niet gestart"))
        current = rows
        taken_out += [dict(rows[t], **{SYNTHETIC_COLUMN: "ja", NOTE_COLUMN: note}) for t in sorted(rows)]
        for line in lines:
            ut, ub, ot, oo = _next_amounts(rng, *(int(line[c]) for c in AMOUNTS), rates)
            line.update(zip(AMOUNTS, (ut, ub, ot, oo)))
            budget_out.append(dict(line, kwartaal=quarter, **{SYNTHETIC_COLUMN: "ja", NOTE_COLUMN: note}))
    taken_frame = pd.DataFrame(taken_out)
    for column in TAKEN_COLUMNS:
        if column not in taken_frame:
            taken_frame[column] = ""
    return SyntheticQuarters(
        base=base,
        quarters=codes,
        taken=taken_frame[TAKEN_COLUMNS].fillna(""),
        budget=pd.DataFrame(budget_out, columns=BUDGET_COLUMNS),
        events=events,
    )


def load_base(engine: Engine, org: str, base: str | None = None) -> tuple[str, pd.DataFrame, pd.DataFrame, set[str]]:
    """The rows of quarter ``base`` (default: the latest real quarter) of ``org`` in the store:
    (quarter, taken rows, budget lines in cents, every task id). Raises ValueError if there is none."""
    quarter = parse_quarter(base) if base else latest_real_quarter(engine, org)
    tables = template_tables(engine)
    taken = tables["taken"]
    taken = taken[(taken["bestuur"] == org) & (taken["kwartaal"] == quarter)].copy()
    if quarter is None or taken.empty:
        raise ValueError(f"de store heeft geen taken voor bestuur '{org}' in kwartaal {quarter or '—'}")
    budget = tables["budget"]
    budget = budget[(budget["bestuur"] == org) & (budget["kwartaal"] == quarter)].copy()
    for column in AMOUNTS:
        budget[column] = [parse_amount_cents(v) for v in budget[column]]
    budget["sdg"] = budget["sdg"].astype(str)
    budget["actieplan"] = budget["actieplan"].fillna("").astype(str)
    taken["sdg"] = taken["sdg"].astype(str)
    # Task ids already taken, except those that only synthetic quarters use: generating again from the
    # same store then gives the same ids, so a re-import replaces the synthetic quarters identically.
    from .queries import quarter_sources

    sources = quarter_sources(engine, org)
    synthetic_quarters = set(sources.loc[sources["synthetic"], "quarter"])
    t, tu = schema.task, schema.task_update
    with engine.connect() as conn:
        ids = set(conn.scalars(select(t.c.id).where(t.c.org_id == org)))
        used = defaultdict(set)
        for task_id, q in conn.execute(select(tu.c.task_id, tu.c.quarter).where(tu.c.org_id == org)):
            used[task_id].add(q)
    ids = {i for i in ids if not used[i] or used[i] - synthetic_quarters}
    return quarter, taken, budget[["bestuur", "sdg", "actieplan", *AMOUNTS]], ids


def from_store(
    engine: Engine, org: str, *, quarters: int = 3, seed: int = DEFAULT_SEED, base: str | None = None
) -> SyntheticQuarters:
    """Generate ``quarters`` quarters after ``base`` (default: the store's latest real quarter)."""
    quarter, taken, budget, ids = load_base(engine, org, base)
    return generate(taken, budget, base=quarter, quarters=quarters, seed=seed, known_task_ids=ids)


def check_target(out: Path, forbidden: tuple[Path, ...] = (SEED_DIR,)) -> None:
    """Refuse to write into (or under) the seed folder: synthetic rows never mix with the real seed."""
    target = Path(out).resolve()
    for folder in forbidden:
        folder = Path(folder).resolve()
        if target == folder or folder in target.parents:
            raise ValueError(f"synthetische gegevens worden nooit in {folder} geschreven; kies een andere map")


def write(result: SyntheticQuarters, out: Path, forbidden: tuple[Path, ...] = (SEED_DIR,)) -> list[Path]:
    """Write ``taken.csv`` and ``budget.csv`` (the import template) into folder ``out``."""
    check_target(out, forbidden)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "taken.csv", out / "budget.csv"]
    result.taken.to_csv(paths[0], index=False, encoding="utf-8", lineterminator="\n")
    result.budget_template().to_csv(paths[1], index=False, encoding="utf-8", lineterminator="\n")
    return paths


def add_to_store(
    engine: Engine,
    out: Path,
    *,
    org: str = "harelbeke",
    quarters: int = 3,
    seed: int = DEFAULT_SEED,
    base: str | None = None,
) -> SyntheticQuarters:
    """Generate synthetic quarters from the store, write them to ``out`` and import them into the same
    store (for tests, benchmarks and demos; never use it on a production store)."""
    from .importer import import_files

    result = from_store(engine, org, quarters=quarters, seed=seed, base=base)
    import_files(engine, write(result, out), default_org=org)
    return result
