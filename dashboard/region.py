"""A synthetic region for scale tests: many besturen, each with the seed's plan structure (17 SDGs,
about 40 action plans, about 300 tasks) over many quarters from 2020KW1, in the import template and
labelled synthetic (``synthetisch`` = ja), plus a bulk loader for benchmark stores.

Deterministic for a given seed: bestuur ``i`` depends only on (seed, i), so a region of 300 besturen
starts with the same 10 as a region of 10. What is generated:
- the plan: the seed's action plans (a few left out, a few added as a "second phase" of another one),
  their actions (sometimes one more) and ~270–330 tasks spread over the actions; texts are drawn from
  the seed's own names and toelichtingen; departments follow the seed's mapping, sometimes another;
- the first quarter: most tasks "Niet gestart", some "Bezig"; budget lines per action plan (or, for
  some besturen, SDG 16 at policy-goal level as in the seed) with totals and little committed yet;
- every later quarter comes from :func:`dashboard.synthetic.generate` (the same forward-moving
  statuses, marked toelichtingen and monotone budgets as ``python -m dashboard synth``), with rates
  per bestuur so the region does not move in lockstep.

Names end in "(synthetisch)" and ids start with ``synth-``; every row carries ``synthetisch`` = ja,
so every page labels the figures as generated. Never load a region into a production store.
"""

from __future__ import annotations

import functools
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, insert, select

from . import schema, search, synthetic
from .config import SEED_DIR
from .provenance import NOTE_COLUMN, SYNTHETIC_COLUMN
from .store import bump_data_version, create_schema
from .synthetic import AMOUNTS, BUDGET_COLUMNS, PREFIX, TAKEN_COLUMNS, Rates, next_quarter

DEFAULT_SEED = 2020
FIRST_QUARTER = "2020KW1"
ORG_PREFIX = "synth-"
TABLES = ("besturen", "sdgs", "taken", "budget", "departementen")
FORMATS = ("parquet", "csv")
KEEP_PLAN = 0.92  # share of the seed's action plans a bestuur keeps
TASKS = (270, 330)  # tasks per bestuur, uniform
# Place names: 20 × 15 = 300 distinct names, shuffled once with a fixed seed.
_NAME_HEADS = (
    "Aal Bos Dries Eike Hage Hoog Kapel Lede Linde Meers Molen Oost Ruis Schel Sleid Steen Ter Vier Wal Zand"
).split()
_NAME_TAILS = "beke dale gem hove kerke mere rode veld zele hem lo donk brugge loo ode".split()
_SUFFIXES = ("fase 2", "opvolging", "evaluatie", "uitbreiding", "communicatie", "wijkgerichte aanpak")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# The seed marks the three task rows missing from the report extract; a synthetic plan has no such gaps.
_MISSING = "ontbreekt in het rapport-extract"
SEED_TOWN = "Harelbeke"  # named in some of the seed's texts; each bestuur gets its own name there


@dataclass(frozen=True)
class _Action:
    code: str
    text: str
    task_names: tuple[str, ...]
    task_codes: tuple[str, ...]


@dataclass(frozen=True)
class _Plan:
    code: str
    sdg: int
    label: str
    title: str
    department: str | None
    actions: tuple[_Action, ...]

    @property
    def number(self) -> int:
        return int(self.code[-2:])


@dataclass(frozen=True)
class Template:
    """What every synthetic bestuur is modelled on: the seed's SDGs, plan, texts and departments."""

    sdgs: pd.DataFrame
    plans: tuple[_Plan, ...]
    texts: tuple[str, ...]
    task_names: tuple[str, ...]
    action_texts: tuple[str, ...]
    departments: tuple[str, ...]


@dataclass
class Bestuur:
    """One generated bestuur: its id and name and its import-template tables (amounts in cents)."""

    index: int
    org: str
    name: str
    tables: dict[str, pd.DataFrame]

    @property
    def rows(self) -> int:
        """Task-quarter rows (task updates)."""
        return len(self.tables["taken"])


@functools.cache
def _seed_frame(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def load_template(seed_dir: Path = SEED_DIR) -> Template:
    """The seed folder's structure and texts as a :class:`Template`."""
    folder = Path(seed_dir)
    taken = _seed_frame(folder, "taken")
    depts = _seed_frame(folder, "departementen")
    plan_dept = {r.actieplan: r.departement for r in depts.itertuples() if not r.taak_id}
    plans = []
    for code, rows in taken.groupby("actieplan", sort=True):
        first = rows.iloc[0]
        actions = []
        for action, group in rows.groupby("actie", sort=True):
            text = group.iloc[0]["actie_omschrijving"] or action
            named = [(n, c) for n, c in zip(group["taak"], group["taakcode"]) if _MISSING not in n]
            actions.append(
                _Action(
                    action,
                    "Uitvoering van het actieplan" if _MISSING in text else text,
                    tuple(n for n, _c in named),
                    tuple(c for _n, c in named),
                )
            )
        plans.append(
            _Plan(
                code,
                int(first["sdg"]),
                first["actieplan_label"],
                first["actieplan_titel"],
                plan_dept.get(code),
                tuple(actions),
            )
        )
    texts = tuple(t for t in taken["toelichting"] if t.strip())
    return Template(
        sdgs=_seed_frame(folder, "sdgs"),
        plans=tuple(plans),
        texts=texts,
        task_names=tuple(sorted({n for n in taken["taak"] if _MISSING not in n})),
        action_texts=tuple(sorted({t for t in taken["actie_omschrijving"] if t and _MISSING not in t})),
        departments=tuple(sorted(set(depts["departement"]))),
    )


def org_id(index: int) -> str:
    """'synth-001' for index 0."""
    return f"{ORG_PREFIX}{index + 1:03d}"


def place_name(index: int) -> str:
    """A made-up place name, distinct for the first 300 indexes ('Lindegem', …)."""
    names = [h + t for h in _NAME_HEADS for t in _NAME_TAILS]
    random.Random(0).shuffle(names)
    base = names[index % len(names)]
    return base if index < len(names) else f"{base} {index // len(names) + 1}"


def quarter_codes(count: int, first: str = FIRST_QUARTER) -> list[str]:
    """``count`` consecutive quarter codes from ``first``."""
    codes = [first]
    while len(codes) < count:
        codes.append(next_quarter(codes[-1]))
    return codes[:count]


def _first_sentences(text: str, count: int) -> str:
    return " ".join(_SENTENCE_END.split(text.strip())[:count])


def _plans(rng: random.Random, template: Template) -> list[_Plan]:
    kept = [p for p in template.plans if rng.random() < KEEP_PLAN]
    used = defaultdict(set)
    for p in template.plans:  # numbers of left-out plans stay unused, as a real plan's gaps do
        used[p.sdg].add(p.number)
    for _ in range(rng.randint(0, 4)):
        source = rng.choice(template.plans)
        number = max(used[source.sdg]) + 1
        used[source.sdg].add(number)
        code = f"D{source.sdg:02d}/AP{number:02d}"
        actions = tuple(
            _Action(
                f"{code}/{a.code[-2:]}", a.text, a.task_names, tuple(code + c[len(source.code) :] for c in a.task_codes)
            )
            for a in source.actions
        )
        kept.append(
            _Plan(
                code,
                source.sdg,
                f"{source.label} (fase 2)",
                f"{source.title} (tweede fase)",
                source.department,
                actions,
            )
        )
    out = []
    for plan in sorted(kept, key=lambda p: p.code):
        actions = list(plan.actions)
        if rng.random() < 0.3:  # one more action than the seed has
            number = max(int(a.code[-2:]) for a in actions) + 1
            actions.append(_Action(f"{plan.code}/{number:02d}", rng.choice(template.action_texts), (), ()))
        department = plan.department if rng.random() < 0.8 else rng.choice(template.departments)
        out.append(_Plan(plan.code, plan.sdg, plan.label, plan.title, department, tuple(actions)))
    return out


def _rates(rng: random.Random) -> Rates:
    """Per bestuur: slower than the synth defaults, so 24 quarters do not finish every task."""
    return Rates(
        start=rng.uniform(0.06, 0.16),
        jump=0.005,
        finish=rng.uniform(0.03, 0.07),
        setback=0.005,
        new_text=rng.uniform(0.35, 0.6),
        total_change=0.05,
    )


def plan_bestuur(template: Template, index: int, *, quarters: int = 24, seed: int = DEFAULT_SEED) -> Bestuur:
    """Generate bestuur ``index`` of the region: its plan and ``quarters`` quarters from 2020KW1."""
    if quarters < 1:
        raise ValueError("quarters must be at least 1")
    rng = random.Random(f"region:{seed}:{index}")
    org, place = org_id(index), place_name(index)
    name = f"{place} (synthetisch)"
    codes = quarter_codes(quarters)
    note = f"synthetische regio, seed {seed}, bestuur {index + 1} (python -m dashboard region)"
    plans = _plans(rng, template)
    local = lambda value: value.replace(SEED_TOWN, place)  # noqa: E731

    # Tasks: every action gets one, the rest follow the seed's own spread of tasks over actions.
    actions = [(plan, action) for plan in plans for action in plan.actions]
    target = max(rng.randint(*TASKS), len(actions))
    weights = [max(1, len(a.task_names)) for _p, a in actions]
    counts = [1] * len(actions)
    for i in rng.choices(range(len(actions)), weights=weights, k=target - len(actions)):
        counts[i] += 1
    taken, departments = [], []
    for (plan, action), count in zip(actions, counts):
        for k in range(1, count + 1):
            if k <= len(action.task_names):
                task_name, task_code = action.task_names[k - 1], action.task_codes[k - 1]
            else:
                task_name = f"{rng.choice(template.task_names)} ({rng.choice(_SUFFIXES)})"
                task_code = action.code if rng.random() < 0.95 else ""
            draw = rng.random()
            status = "Niet gestart" if draw < 0.70 else "Bezig" if draw < 0.98 else "Voltooid"
            text = ""
            if status != "Niet gestart" or rng.random() < 0.5:
                text = f"{PREFIX} {_first_sentences(rng.choice(template.texts), 2)}"
            task_id = f"{action.code}-{k}"
            taken.append(
                {
                    "bestuur": org,
                    "kwartaal": codes[0],
                    "sdg": str(plan.sdg),
                    "actieplan": plan.code,
                    "actieplan_label": local(plan.label),
                    "actieplan_titel": local(plan.title),
                    "actie": action.code,
                    "actie_omschrijving": local(action.text),
                    "taak_id": task_id,
                    "taakcode": task_code,
                    "taak": local(task_name),
                    "status": status,
                    "toelichting": local(text),
                    SYNTHETIC_COLUMN: "ja",
                    NOTE_COLUMN: note,
                }
            )
            if rng.random() < 0.04:  # a task done by another department than its action plan's
                departments.append((plan.code, task_id, rng.choice(template.departments)))
        if plan.department:
            departments.append((plan.code, "", plan.department))

    # Budget: per action plan, or SDG 16 as one policy-goal line (as the seed has it) for some besturen.
    goal_level = rng.random() < 0.3
    budget, scopes = [], set()
    for plan in plans:
        scope = (str(plan.sdg), "" if goal_level and plan.sdg == 16 else plan.code)
        if scope in scopes:
            continue
        scopes.add(scope)
        ut = 0 if rng.random() < 0.12 else int(rng.lognormvariate(11.5, 1.3)) * 100
        ot = int(ut * rng.uniform(0.05, 0.6)) // 100 * 100 if ut and rng.random() < 0.4 else 0
        ub = int(ut * rng.uniform(0.0, 0.1)) // 100 * 100
        budget.append({"bestuur": org, "sdg": scope[0], "actieplan": scope[1], **dict(zip(AMOUNTS, (ut, ub, ot, 0)))})
    base_taken = pd.DataFrame(taken, columns=TAKEN_COLUMNS)
    base_budget = pd.DataFrame(budget)
    frames_taken, frames_budget = [base_taken], [base_budget.assign(kwartaal=codes[0])]
    if quarters > 1:
        later = synthetic.generate(
            base_taken,
            base_budget,
            base=codes[0],
            quarters=quarters - 1,
            seed=rng.randrange(2**32),
            known_task_ids=set(base_taken["taak_id"]),
            rates=_rates(rng),
        )
        frames_taken.append(later.taken)
        frames_budget.append(later.budget)
    all_taken = pd.concat(frames_taken, ignore_index=True)
    all_budget = pd.concat(frames_budget, ignore_index=True)
    for frame in (all_taken, all_budget):
        frame[SYNTHETIC_COLUMN] = "ja"
        frame[NOTE_COLUMN] = note
    sdgs = template.sdgs.copy()
    sdgs["titel"] = sdgs["titel"].str.replace(SEED_TOWN, place, regex=False)
    sdgs.insert(0, "bestuur", org)
    tables = {
        "besturen": pd.DataFrame({"bestuur": [org], "naam": [name]}),
        "sdgs": sdgs,
        "taken": all_taken[TAKEN_COLUMNS],
        "budget": all_budget[BUDGET_COLUMNS],
        "departementen": pd.DataFrame(
            [
                {"bestuur": org, "actieplan": ap, "taak_id": tid, "departement": d, "basis": "synthetisch"}
                for ap, tid, d in departments
            ],
            columns=["bestuur", "actieplan", "taak_id", "departement", "basis"],
        ),
    }
    return Bestuur(index, org, name, tables)


def region(
    besturen: int, *, quarters: int = 24, seed: int = DEFAULT_SEED, template: Template | None = None, start: int = 0
):
    """Bestuur after bestuur (a generator, so a whole region never sits in memory at once)."""
    template = template or load_template()
    for index in range(start, start + besturen):
        yield plan_bestuur(template, index, quarters=quarters, seed=seed)


# --- files ------------------------------------------------------------------------------------


def _amounts_for_file(frame: pd.DataFrame, fmt: str) -> pd.DataFrame:
    out = frame.copy()
    for column in AMOUNTS:
        cents = out[column].astype("int64")
        if fmt == "parquet" and (cents % 100 == 0).all():
            out[column] = cents // 100  # whole euros as numbers, as a spreadsheet export holds them
        elif fmt == "parquet":
            out[column] = cents / 100
        else:
            out[column] = cents.map(lambda c: f"{c // 100}" if c % 100 == 0 else f"{c / 100:.2f}")
    return out


def write_bestuur(bestuur: Bestuur, out: Path, fmt: str = "parquet") -> list[Path]:
    """Write one bestuur's template tables into ``out/<bestuur id>/`` (one file per table)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    synthetic.check_target(out)
    folder = Path(out) / bestuur.org
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in TABLES:
        frame = bestuur.tables[name]
        if name == "budget":
            frame = _amounts_for_file(frame, fmt)
        path = folder / f"{name}.{fmt}"
        if fmt == "parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        paths.append(path)
    return paths


def bestuur_files(out: Path, org: str) -> list[Path]:
    """The files :func:`write_bestuur` wrote for ``org``, in the importer's load order."""
    folder = Path(out) / org
    return [p for name in TABLES for p in sorted(folder.glob(f"{name}.*"))]


def write_manifest(out: Path, *, besturen: int, quarters: int, seed: int, fmt: str, rows: int) -> Path:
    """``region.json``: what was generated and how to generate it again."""
    path = Path(out) / "region.json"
    path.write_text(
        json.dumps(
            {
                "synthetisch": True,
                "besturen": besturen,
                "quarters": quarter_codes(quarters),
                "seed": seed,
                "format": fmt,
                "task_quarter_rows": rows,
                "command": f"python -m dashboard region --besturen {besturen} --quarters {quarters} --seed {seed}",
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return path


# --- bulk loading -------------------------------------------------------------------------------


def store_rows(bestuur: Bestuur) -> dict[str, list[dict]]:
    """The store rows the importer would write for ``bestuur``, table by table (for :func:`bulk_load`)."""
    t = bestuur.tables
    org = bestuur.org
    taken = t["taken"].to_dict("records")
    depts = t["departementen"]
    plan_dept = {r.actieplan: r.departement for r in depts.itertuples() if not r.taak_id}
    task_dept = {r.taak_id: r.departement for r in depts.itertuples() if r.taak_id}
    plans, actions, tasks = {}, {}, {}
    for r in taken:  # the last row per key wins, as in the importer
        plans[r["actieplan"]] = {
            "org_id": org,
            "code": r["actieplan"],
            "sdg": int(r["sdg"]),
            "label": r["actieplan_label"] or r["actieplan_titel"][:80],
            "title": r["actieplan_titel"],
            "department": plan_dept.get(r["actieplan"]),
        }
        actions[r["actie"]] = {
            "org_id": org,
            "code": r["actie"],
            "action_plan": r["actieplan"],
            "text": r["actie_omschrijving"] or r["actie"],
        }
        tasks[r["taak_id"]] = {
            "org_id": org,
            "id": r["taak_id"],
            "action": r["actie"],
            "code": r["taakcode"] or None,
            "name": r["taak"],
            "department": task_dept.get(r["taak_id"]),
        }
    budget = []
    for r in t["budget"].to_dict("records"):
        sdg, ap = int(r["sdg"]), r["actieplan"] or None
        for kind, total, realised in (
            ("uitgaven", "uitgaven_totaal", "uitgaven_besteld"),
            ("ontvangsten", "ontvangsten_totaal", "ontvangsten_ontvangen"),
        ):
            budget.append(
                {
                    "org_id": org,
                    "quarter": r["kwartaal"],
                    "sdg": sdg,
                    "action_plan": ap,
                    "scope": ap or f"D{sdg:02d}",
                    "kind": kind,
                    "total_cents": int(r[total]),
                    "realised_cents": int(r[realised]),
                }
            )
    quarters = sorted({r["kwartaal"] for r in taken} | {r["quarter"] for r in budget})
    notes = dict(zip(t["taken"]["kwartaal"], t["taken"][NOTE_COLUMN]))
    return {
        "organisation": [{"id": org, "name": bestuur.name}],
        "quarter": [{"code": q, "year": int(q[:4]), "number": int(q[-1])} for q in quarters],
        "sdg": [
            {
                "org_id": org,
                "number": int(r["sdg"]),
                "title": r["titel"],
                "short_name": r["korte_naam"],
                "colour": r["kleur"].upper(),
                "pillar_id": r["pijler"].lower(),
            }
            for r in t["sdgs"].to_dict("records")
        ],
        "action_plan": list(plans.values()),
        "action": list(actions.values()),
        "task": list(tasks.values()),
        "task_update": [
            {
                "org_id": org,
                "task_id": r["taak_id"],
                "quarter": r["kwartaal"],
                "status": r["status"],
                "toelichting": r["toelichting"],
            }
            for r in taken
        ],
        "budget": budget,
        "quarter_source": [{"org_id": org, "quarter": q, "synthetic": True, "note": notes.get(q)} for q in quarters],
    }


def bulk_load(engine: Engine, bestuur: Bestuur) -> int:
    """Load one generated bestuur in one transaction without the importer's row-by-row validation
    (the generator's output is valid by construction; tests check that it gives the store the
    importer gives). Keeps the search index in step and bumps the data version. Refuses a bestuur
    that is already in the store. Returns the number of task updates written."""
    rows = store_rows(bestuur)
    with engine.begin() as conn:
        if conn.execute(select(schema.organisation.c.id).where(schema.organisation.c.id == bestuur.org)).first():
            raise ValueError(f"bestuur '{bestuur.org}' staat al in de store; laad een regio in een lege store")
        known = set(conn.scalars(select(schema.quarter.c.code)))
        rows["quarter"] = [q for q in rows["quarter"] if q["code"] not in known]
        for name in (
            "organisation",
            "quarter",
            "sdg",
            "action_plan",
            "action",
            "task",
            "task_update",
            "budget",
            "quarter_source",
        ):
            if rows[name]:
                conn.execute(insert(schema.metadata.tables[name]), rows[name])
        search.index_written(conn, [{"org_id": bestuur.org, "quarter": q["quarter"]} for q in rows["quarter_source"]])
        bump_data_version(conn)
    return len(rows["task_update"])


def build(engine: Engine, besturen: int, *, quarters: int = 24, seed: int = DEFAULT_SEED, progress=None) -> int:
    """Generate a region and bulk-load it into ``engine`` (bestuur by bestuur); returns task updates."""
    create_schema(engine)
    total = 0
    for bestuur in region(besturen, quarters=quarters, seed=seed):
        total += bulk_load(engine, bestuur)
        if progress:
            progress(bestuur, total)
    return total


def command(args, settings) -> int:
    """``python -m dashboard region``: write the region's files to ``--out`` and/or bulk-load it
    into the store (``--load``); prints what it did; the exit code."""
    import sys
    import time

    from .store import get_engine

    if not args.out and not args.load:
        print("region: geef --out MAP en/of --load", file=sys.stderr)
        return 2
    if args.besturen < 1 or args.quarters < 1:
        print("region: --besturen en --quarters moeten minstens 1 zijn", file=sys.stderr)
        return 2
    try:
        if args.out:
            synthetic.check_target(Path(args.out), (SEED_DIR, settings.seed_dir))
        engine = get_engine(settings.db_url) if args.load else None
        if engine is not None:
            create_schema(engine)
        started, rows = time.perf_counter(), 0
        for bestuur in region(args.besturen, quarters=args.quarters, seed=args.seed):
            if args.out:
                write_bestuur(bestuur, Path(args.out), args.format)
            rows += bulk_load(engine, bestuur) if engine is not None else bestuur.rows
            if args.progress:
                print(f"{bestuur.org}: {rows} taakupdates, {time.perf_counter() - started:.0f} s", flush=True)
    except ValueError as exc:
        print(f"region: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    codes = quarter_codes(args.quarters)
    print(
        f"Synthetische regio (seed {args.seed}): {args.besturen} besturen × {args.quarters} kwartalen "
        f"({codes[0]}–{codes[-1]}), {rows} taakupdates in {seconds:.0f} s."
    )
    if args.out:
        print(
            write_manifest(
                Path(args.out),
                besturen=args.besturen,
                quarters=args.quarters,
                seed=args.seed,
                fmt=args.format,
                rows=rows,
            )
        )
        print(f"Importeren per bestuur: python -m dashboard import {Path(args.out) / org_id(0)}/*.{args.format}")
    if engine is not None:
        print(f"Geladen in {engine.url.render_as_string(hide_password=True)} (enkel voor test en benchmark).")
    return 0
