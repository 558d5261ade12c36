"""Read-side queries for the pages and the CLI; each returns a pandas DataFrame (or plain values).

Conventions that every page relies on:
- Amounts are euros (float, exact to the cent as stored).
- A percentage is ``100 * realised / total`` when ``total > 0``; with a zero total it is NaN
  (shown as "–"), because receipts can exist without a budget (SDG 03 AP06: 0 € / 28.718 €).
- The **status** filter narrows tasks (counts, lists); budgets belong to action plans, not to
  tasks, so the status filter does not change budget figures.
- The **department** filter narrows tasks by their effective department (the task's own, else its
  action plan's, else "Niet toegewezen") and budgets by their action plan's department; budget held
  at policy-goal level (SDG 16 in the source) has no action plan and is left out while a
  department filter is active.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, case, func, literal, select

from . import schema
from .parsing import quarter_sort_key
from .schema import STATUSES

UNASSIGNED = "Niet toegewezen"


@dataclass(frozen=True)
class Filters:
    """The page filters; hashable, so results can be cached on them."""

    org: str
    quarter: str
    departments: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()


def _frame(engine: Engine, stmt, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame.from_records(rows, columns=columns)


def _pct(realised: pd.Series, total: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(total > 0, 100.0 * realised / total.where(total > 0, 1), np.nan), index=total.index)


# --- reference lists -------------------------------------------------------------------------


def list_organisations(engine: Engine) -> pd.DataFrame:
    """All besturen: ``id``, ``name``."""
    o = schema.organisation
    return _frame(engine, select(o.c.id, o.c.name).order_by(o.c.name), ["id", "name"])


def list_quarters(engine: Engine, org: str) -> list[str]:
    """The quarters with task updates or budget lines for ``org``, oldest first."""
    tu, b = schema.task_update, schema.budget
    stmt = select(tu.c.quarter).where(tu.c.org_id == org).union(select(b.c.quarter).where(b.c.org_id == org))
    with engine.connect() as conn:
        quarters = list(conn.scalars(stmt))
    return sorted(set(quarters), key=quarter_sort_key)


def _effective_department():
    return func.coalesce(schema.task.c.department, schema.action_plan.c.department, literal(UNASSIGNED))


def list_departments(engine: Engine, org: str) -> list[str]:
    """Every department a task or action plan of ``org`` is assigned to (incl. "Niet toegewezen")."""
    t, a, ap = schema.task, schema.action, schema.action_plan
    dept = _effective_department()
    stmt = (
        select(dept)
        .distinct()
        .select_from(t)
        .join(a, and_(a.c.org_id == t.c.org_id, a.c.code == t.c.action))
        .join(ap, and_(ap.c.org_id == a.c.org_id, ap.c.code == a.c.action_plan))
        .where(t.c.org_id == org)
    )
    stmt_ap = select(func.coalesce(ap.c.department, literal(UNASSIGNED))).distinct().where(ap.c.org_id == org)
    with engine.connect() as conn:
        names = set(conn.scalars(stmt)) | set(conn.scalars(stmt_ap))
    return sorted(names, key=lambda n: (n == UNASSIGNED, n.lower()))


def pillars(engine: Engine, org: str) -> pd.DataFrame:
    """The five pillars in plan order with their SDG numbers: ``id``, ``name``, ``sdgs``."""
    p, s = schema.pillar, schema.sdg
    frame = _frame(
        engine, select(p.c.id, p.c.name, p.c.sort_order).order_by(p.c.sort_order), ["id", "name", "sort_order"]
    )
    mapping = _frame(
        engine, select(s.c.pillar_id, s.c.number).where(s.c.org_id == org).order_by(s.c.number), ["pillar_id", "number"]
    )
    frame["sdgs"] = [mapping.loc[mapping.pillar_id == pid, "number"].tolist() for pid in frame["id"]]
    return frame


def sdgs(engine: Engine, org: str) -> pd.DataFrame:
    """The SDGs of ``org``: number, title, short_name, colour, pillar_id, pillar_name, action_plans."""
    s, p, ap = schema.sdg, schema.pillar, schema.action_plan
    n_ap = (
        select(func.count()).select_from(ap).where(ap.c.org_id == s.c.org_id, ap.c.sdg == s.c.number).scalar_subquery()
    )
    stmt = (
        select(s.c.number, s.c.title, s.c.short_name, s.c.colour, s.c.pillar_id, p.c.name, p.c.sort_order, n_ap)
        .join(p, p.c.id == s.c.pillar_id)
        .where(s.c.org_id == org)
        .order_by(p.c.sort_order, s.c.number)
    )
    return _frame(
        engine,
        stmt,
        ["number", "title", "short_name", "colour", "pillar_id", "pillar_name", "pillar_order", "action_plans"],
    )


def action_plans(engine: Engine, org: str, sdg: int | None = None) -> pd.DataFrame:
    """Action plans of ``org`` (optionally of one SDG): code, sdg, number, label, title, department."""
    ap = schema.action_plan
    stmt = select(
        ap.c.code, ap.c.sdg, ap.c.label, ap.c.title, func.coalesce(ap.c.department, literal(UNASSIGNED))
    ).where(ap.c.org_id == org)
    if sdg is not None:
        stmt = stmt.where(ap.c.sdg == sdg)
    frame = _frame(engine, stmt.order_by(ap.c.code), ["code", "sdg", "label", "title", "department"])
    frame.insert(2, "number", frame["code"].str[-2:].astype(int) if len(frame) else pd.Series(dtype=int))
    return frame


# --- tasks -----------------------------------------------------------------------------------


TASK_COLUMNS = [
    "task_id",
    "code",
    "name",
    "action",
    "action_text",
    "action_plan",
    "ap_label",
    "sdg",
    "pillar_id",
    "department",
    "status",
    "toelichting",
]


def tasks(
    engine: Engine, f: Filters, *, pillar: str | None = None, sdg: int | None = None, action_plan: str | None = None
) -> pd.DataFrame:
    """The tasks with their status and toelichting in ``f.quarter``, narrowed by all filters.

    Columns: task_id, code, name, action, action_text, action_plan, ap_label, sdg, pillar_id,
    department (effective), status, toelichting; ordered by task id.
    """
    t, a, ap, s, tu = schema.task, schema.action, schema.action_plan, schema.sdg, schema.task_update
    dept = _effective_department()
    stmt = (
        select(
            t.c.id,
            t.c.code,
            t.c.name,
            a.c.code,
            a.c.text,
            ap.c.code,
            ap.c.label,
            ap.c.sdg,
            s.c.pillar_id,
            dept,
            tu.c.status,
            tu.c.toelichting,
        )
        .select_from(tu)
        .join(t, and_(t.c.org_id == tu.c.org_id, t.c.id == tu.c.task_id))
        .join(a, and_(a.c.org_id == t.c.org_id, a.c.code == t.c.action))
        .join(ap, and_(ap.c.org_id == a.c.org_id, ap.c.code == a.c.action_plan))
        .join(s, and_(s.c.org_id == ap.c.org_id, s.c.number == ap.c.sdg))
        .where(tu.c.org_id == f.org, tu.c.quarter == f.quarter)
    )
    if f.departments:
        stmt = stmt.where(dept.in_(f.departments))
    if f.statuses:
        stmt = stmt.where(tu.c.status.in_(f.statuses))
    if pillar is not None:
        stmt = stmt.where(s.c.pillar_id == pillar)
    if sdg is not None:
        stmt = stmt.where(ap.c.sdg == sdg)
    if action_plan is not None:
        stmt = stmt.where(ap.c.code == action_plan)
    return _frame(engine, stmt.order_by(t.c.id), TASK_COLUMNS)


def task_detail(engine: Engine, org: str, task_id: str) -> dict | None:
    """One task with its action, action plan and SDG, or None."""
    t, a, ap = schema.task, schema.action, schema.action_plan
    stmt = (
        select(
            t.c.id,
            t.c.code,
            t.c.name,
            a.c.code,
            a.c.text,
            ap.c.code,
            ap.c.label,
            ap.c.title,
            ap.c.sdg,
            _effective_department(),
        )
        .join(a, and_(a.c.org_id == t.c.org_id, a.c.code == t.c.action))
        .join(ap, and_(ap.c.org_id == a.c.org_id, ap.c.code == a.c.action_plan))
        .where(t.c.org_id == org, t.c.id == task_id)
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        return None
    keys = [
        "task_id",
        "code",
        "name",
        "action",
        "action_text",
        "action_plan",
        "ap_label",
        "ap_title",
        "sdg",
        "department",
    ]
    return dict(zip(keys, row))


def task_history(engine: Engine, org: str, task_id: str) -> pd.DataFrame:
    """Every quarter's status and toelichting of one task, oldest first."""
    tu = schema.task_update
    frame = _frame(
        engine,
        select(tu.c.quarter, tu.c.status, tu.c.toelichting).where(tu.c.org_id == org, tu.c.task_id == task_id),
        ["quarter", "status", "toelichting"],
    )
    if len(frame):
        frame = frame.iloc[frame["quarter"].map(quarter_sort_key).argsort()].reset_index(drop=True)
    return frame


# --- aggregates ------------------------------------------------------------------------------

_GROUP_COLUMN = {"pillar": "pillar_id", "sdg": "sdg", "action_plan": "action_plan"}


def status_counts(
    engine: Engine, f: Filters, by: str, *, pillar: str | None = None, sdg: int | None = None
) -> pd.DataFrame:
    """Task counts per status, grouped ``by`` 'pillar', 'sdg' or 'action_plan'.

    Columns: key, Niet gestart, Bezig, Voltooid, tasks, pct_voltooid (NaN for zero tasks).
    Only groups with at least one task are returned.
    """
    frame = tasks(engine, f, pillar=pillar, sdg=sdg)
    column = _GROUP_COLUMN[by]
    counts = (
        frame.groupby([column, "status"]).size().unstack(fill_value=0).reindex(columns=list(STATUSES), fill_value=0)
    )
    counts.columns = list(STATUSES)
    counts = counts.reset_index().rename(columns={column: "key"})
    counts["tasks"] = counts[list(STATUSES)].sum(axis=1)
    counts["pct_voltooid"] = _pct(counts["Voltooid"], counts["tasks"])
    return counts


BUDGET_COLUMNS = [
    "uitgaven_totaal",
    "uitgaven_besteld",
    "uitgaven_resterend",
    "besteld_pct",
    "ontvangsten_totaal",
    "ontvangsten_ontvangen",
    "ontvangsten_resterend",
    "ontvangen_pct",
]


def budget_lines(engine: Engine, f: Filters, *, pillar: str | None = None, sdg: int | None = None) -> pd.DataFrame:
    """Budget lines of ``f.quarter`` in wide form, one row per scope (action plan or policy goal).

    Columns: scope, action_plan (None at policy-goal level), sdg, pillar_id, department, and
    BUDGET_COLUMNS. See the module docstring for how the department filter applies.
    """
    b, ap, s = schema.budget, schema.action_plan, schema.sdg
    dept = func.coalesce(ap.c.department, literal(UNASSIGNED))
    total = lambda kind: func.sum(case((b.c.kind == kind, b.c.total_cents), else_=0))  # noqa: E731
    realised = lambda kind: func.sum(case((b.c.kind == kind, b.c.realised_cents), else_=0))  # noqa: E731
    stmt = (
        select(
            b.c.scope,
            b.c.action_plan,
            b.c.sdg,
            s.c.pillar_id,
            dept,
            total("uitgaven"),
            realised("uitgaven"),
            total("ontvangsten"),
            realised("ontvangsten"),
        )
        .select_from(b)
        .join(s, and_(s.c.org_id == b.c.org_id, s.c.number == b.c.sdg))
        .outerjoin(ap, and_(ap.c.org_id == b.c.org_id, ap.c.code == b.c.action_plan))
        .where(b.c.org_id == f.org, b.c.quarter == f.quarter)
        .group_by(b.c.scope, b.c.action_plan, b.c.sdg, s.c.pillar_id, dept)
    )
    if f.departments:
        stmt = stmt.where(b.c.action_plan.is_not(None), dept.in_(f.departments))
    if pillar is not None:
        stmt = stmt.where(s.c.pillar_id == pillar)
    if sdg is not None:
        stmt = stmt.where(b.c.sdg == sdg)
    frame = _frame(
        engine,
        stmt.order_by(b.c.scope),
        ["scope", "action_plan", "sdg", "pillar_id", "department", "ut", "ub", "ot", "oo"],
    )
    return _with_budget_columns(frame, ["ut", "ub", "ot", "oo"])


def _with_budget_columns(frame: pd.DataFrame, cents: list[str]) -> pd.DataFrame:
    ut, ub, ot, oo = (frame[c].astype("int64") / 100.0 for c in cents)
    frame = frame.drop(columns=cents)
    frame["uitgaven_totaal"], frame["uitgaven_besteld"] = ut, ub
    frame["uitgaven_resterend"] = ut - ub
    frame["besteld_pct"] = _pct(ub, ut)
    frame["ontvangsten_totaal"], frame["ontvangsten_ontvangen"] = ot, oo
    frame["ontvangsten_resterend"] = ot - oo
    frame["ontvangen_pct"] = _pct(oo, ot)
    return frame


def budget_totals(
    engine: Engine, f: Filters, by: str, *, pillar: str | None = None, sdg: int | None = None
) -> pd.DataFrame:
    """Budget summed per 'pillar', 'sdg' or 'action_plan' (key = scope there, so a policy-goal
    line keeps its own row, e.g. 'D16'). Columns: key and BUDGET_COLUMNS."""
    lines = budget_lines(engine, f, pillar=pillar, sdg=sdg)
    column = {"pillar": "pillar_id", "sdg": "sdg", "action_plan": "scope"}[by]
    amounts = ["uitgaven_totaal", "uitgaven_besteld", "ontvangsten_totaal", "ontvangsten_ontvangen"]
    sums = lines.groupby(column, sort=True)[amounts].sum().reset_index().rename(columns={column: "key"})
    cents = sums[amounts].mul(100).round().astype("int64")
    sums = pd.concat([sums[["key"]], cents.set_axis(["ut", "ub", "ot", "oo"], axis=1)], axis=1)
    return _with_budget_columns(sums, ["ut", "ub", "ot", "oo"])


def _combine(keys: pd.DataFrame, counts: pd.DataFrame, money: pd.DataFrame) -> pd.DataFrame:
    out = keys.merge(counts, on="key", how="left").merge(money, on="key", how="left")
    for column in (*STATUSES, "tasks"):
        out[column] = out[column].fillna(0).astype(int)
    for column in (
        "uitgaven_totaal",
        "uitgaven_besteld",
        "uitgaven_resterend",
        "ontvangsten_totaal",
        "ontvangsten_ontvangen",
        "ontvangsten_resterend",
    ):
        out[column] = out[column].fillna(0.0)
    out["has_budget"] = out["key"].isin(money["key"])
    return out


def pillar_overview(engine: Engine, f: Filters) -> pd.DataFrame:
    """All five pillars in plan order with task counts by status and budget totals."""
    keys = pillars(engine, f.org).rename(columns={"id": "key"})
    return _combine(keys, status_counts(engine, f, "pillar"), budget_totals(engine, f, "pillar"))


def sdg_overview(engine: Engine, f: Filters, *, pillar: str | None = None) -> pd.DataFrame:
    """Every SDG of ``org`` (optionally of one pillar) with task counts and budget totals."""
    keys = sdgs(engine, f.org)
    if pillar is not None:
        keys = keys[keys.pillar_id == pillar]
    keys = keys.rename(columns={"number": "key"})
    return _combine(
        keys, status_counts(engine, f, "sdg", pillar=pillar), budget_totals(engine, f, "sdg", pillar=pillar)
    )


def action_plan_overview(engine: Engine, f: Filters, sdg: int) -> pd.DataFrame:
    """The rows of an SDG's budget tables: one per action plan, plus a policy-goal row where the
    source keeps budget at that level (label = the SDG's short name). Counts and budget as above.

    Columns: key (action plan code or 'D16'), label, title, department, level ('actieplan' or
    'beleidsdoelstelling'), the status counts, tasks, BUDGET_COLUMNS, has_budget.
    """
    plans = action_plans(engine, f.org, sdg)
    keys = plans.rename(columns={"code": "key"})[["key", "label", "title", "department"]].assign(level="actieplan")
    money = budget_totals(engine, f, "action_plan", sdg=sdg)
    goal_keys = [k for k in money["key"] if k not in set(keys["key"])]
    if goal_keys:
        info = sdgs(engine, f.org).set_index("number").loc[sdg]
        goal = pd.DataFrame(
            {
                "key": goal_keys,
                "label": info["short_name"],
                "title": info["title"],
                "department": None,
                "level": "beleidsdoelstelling",
            }
        )
        keys = pd.concat([goal, keys], ignore_index=True)
    counts = status_counts(engine, f, "action_plan", sdg=sdg)
    out = _combine(keys, counts, money)
    if goal_keys:
        # Tasks of a goal-level budget row are all tasks of the SDG, as the source's "# Taken" shows.
        total_row = counts[list(STATUSES) + ["tasks"]].sum()
        goal_rows = out["level"] == "beleidsdoelstelling"
        for column in (*STATUSES, "tasks"):
            out.loc[goal_rows, column] = int(total_row[column])
        out.loc[goal_rows, "pct_voltooid"] = _pct(out.loc[goal_rows, "Voltooid"], out.loc[goal_rows, "tasks"])
    return out


def summary(engine: Engine, org: str, quarter: str) -> dict:
    """Per pillar and per SDG: counts by status and budget totals (DESIGN.md §7 JSON shape)."""
    f = Filters(org=org, quarter=quarter)

    def entry(row) -> dict:
        return {
            "tasks": int(row["tasks"]),
            "status": {st: int(row[st]) for st in STATUSES},
            "uitgaven": {
                "totaal": _euro(row["uitgaven_totaal"]),
                "besteld": _euro(row["uitgaven_besteld"]),
                "resterend": _euro(row["uitgaven_resterend"]),
            },
            "ontvangsten": {
                "totaal": _euro(row["ontvangsten_totaal"]),
                "ontvangen": _euro(row["ontvangsten_ontvangen"]),
                "resterend": _euro(row["ontvangsten_resterend"]),
            },
        }

    pillar_rows = pillar_overview(engine, f)
    sdg_rows = sdg_overview(engine, f).sort_values("key")
    return {
        "quarter": quarter,
        "organisation": org,
        "pillars": [{"pillar": r["key"], "name": r["name"], **entry(r)} for _, r in pillar_rows.iterrows()],
        "sdgs": [
            {"sdg": int(r["key"]), "title": r["title"], "pillar": r["pillar_id"], **entry(r)}
            for _, r in sdg_rows.iterrows()
        ],
    }


def _euro(value: float) -> int | float:
    cents = round(float(value) * 100)
    return cents // 100 if cents % 100 == 0 else cents / 100


# --- several quarters ------------------------------------------------------------------------


def quarter_sources(engine: Engine, org: str) -> pd.DataFrame:
    """Where each quarter of ``org`` comes from, oldest first: ``quarter``, ``synthetic`` (bool), ``note``.

    Quarters loaded before the store recorded their origin count as real."""
    qs = schema.quarter_source
    known = _frame(
        engine,
        select(qs.c.quarter, qs.c.synthetic, qs.c.note).where(qs.c.org_id == org),
        ["quarter", "synthetic", "note"],
    ).set_index("quarter")
    quarters = list_quarters(engine, org)
    return pd.DataFrame(
        {
            "quarter": quarters,
            "synthetic": [bool(known["synthetic"].get(q, False)) for q in quarters],
            # object dtype keeps None (not NaN) for quarters without a note
            "note": pd.Series(
                [known["note"].get(q) if isinstance(known["note"].get(q), str) else None for q in quarters],
                dtype=object,
            ),
        }
    )


def trends(
    engine: Engine,
    org: str,
    departments: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
    *,
    pillar: str | None = None,
    sdg: int | None = None,
    action_plan: str | None = None,
) -> pd.DataFrame:
    """Per quarter of ``org`` (oldest first), task counts by status and budget of one scope (the
    whole plan, a pillar, an SDG or an action plan), with the filters applied as on one quarter's
    pages (module docstring). Columns: quarter, synthetic, the statuses, tasks, pct_voltooid and
    BUDGET_COLUMNS; a quarter without tasks or budget in the scope has zeros (and NaN percentages)."""
    t, a, ap, s, tu, b = schema.task, schema.action, schema.action_plan, schema.sdg, schema.task_update, schema.budget
    dept = _effective_department()
    counts_stmt = (
        select(tu.c.quarter, tu.c.status, func.count())
        .select_from(tu)
        .join(t, and_(t.c.org_id == tu.c.org_id, t.c.id == tu.c.task_id))
        .join(a, and_(a.c.org_id == t.c.org_id, a.c.code == t.c.action))
        .join(ap, and_(ap.c.org_id == a.c.org_id, ap.c.code == a.c.action_plan))
        .join(s, and_(s.c.org_id == ap.c.org_id, s.c.number == ap.c.sdg))
        .where(tu.c.org_id == org)
        .group_by(tu.c.quarter, tu.c.status)
    )
    ap_dept = func.coalesce(ap.c.department, literal(UNASSIGNED))
    amount = lambda kind, col: func.sum(case((b.c.kind == kind, col), else_=0))  # noqa: E731
    money_stmt = (
        select(
            b.c.quarter,
            amount("uitgaven", b.c.total_cents),
            amount("uitgaven", b.c.realised_cents),
            amount("ontvangsten", b.c.total_cents),
            amount("ontvangsten", b.c.realised_cents),
        )
        .select_from(b)
        .join(s, and_(s.c.org_id == b.c.org_id, s.c.number == b.c.sdg))
        .outerjoin(ap, and_(ap.c.org_id == b.c.org_id, ap.c.code == b.c.action_plan))
        .where(b.c.org_id == org)
        .group_by(b.c.quarter)
    )
    if departments:
        counts_stmt = counts_stmt.where(dept.in_(departments))
        money_stmt = money_stmt.where(b.c.action_plan.is_not(None), ap_dept.in_(departments))
    if statuses:
        counts_stmt = counts_stmt.where(tu.c.status.in_(statuses))
    if pillar is not None:
        counts_stmt = counts_stmt.where(s.c.pillar_id == pillar)
        money_stmt = money_stmt.where(s.c.pillar_id == pillar)
    if sdg is not None:
        counts_stmt = counts_stmt.where(ap.c.sdg == sdg)
        money_stmt = money_stmt.where(b.c.sdg == sdg)
    if action_plan is not None:
        counts_stmt = counts_stmt.where(ap.c.code == action_plan)
        money_stmt = money_stmt.where(b.c.action_plan == action_plan)
    sources = quarter_sources(engine, org)
    counts = _frame(engine, counts_stmt, ["quarter", "status", "n"])
    wide = counts.pivot_table(index="quarter", columns="status", values="n", aggfunc="sum", fill_value=0)
    wide = wide.reindex(index=sources["quarter"], columns=list(STATUSES), fill_value=0).fillna(0).astype(int)
    money = _frame(engine, money_stmt, ["quarter", "ut", "ub", "ot", "oo"]).set_index("quarter")
    money = money.reindex(sources["quarter"]).fillna(0).astype("int64").reset_index(drop=True)
    out = pd.DataFrame({"quarter": sources["quarter"], "synthetic": sources["synthetic"]})
    for status in STATUSES:
        out[status] = wide[status].to_numpy()
    out["tasks"] = out[list(STATUSES)].sum(axis=1)
    out["pct_voltooid"] = _pct(out["Voltooid"], out["tasks"])
    return _with_budget_columns(pd.concat([out, money], axis=1), ["ut", "ub", "ot", "oo"])


# --- the region (every bestuur) ----------------------------------------------------------------------


def region_overview(engine: Engine, quarter: str) -> pd.DataFrame:
    """Every bestuur's whole plan in ``quarter``, side by side (no filters), ordered by name.

    Columns: org, name, synthetic (that bestuur's quarter is generated), the statuses, tasks,
    pct_voltooid and BUDGET_COLUMNS. A bestuur without data in ``quarter`` has zeros (and NaN
    percentages). Reads through the quarter-first indexes of task_update and budget (bench/region.py).
    """
    o, tu, b, qs = schema.organisation, schema.task_update, schema.budget, schema.quarter_source
    amount = lambda kind, col: func.sum(case((b.c.kind == kind, col), else_=0))  # noqa: E731
    per_status = [func.sum(case((tu.c.status == status, 1), else_=0)) for status in STATUSES]
    with engine.connect() as conn:  # one connection, four indexed reads; pivoting in SQL spares pandas
        orgs = conn.execute(select(o.c.id, o.c.name).order_by(o.c.name, o.c.id)).all()
        counts = conn.execute(select(tu.c.org_id, *per_status).where(tu.c.quarter == quarter).group_by(tu.c.org_id))
        counts = {org: values for org, *values in counts}
        money = conn.execute(
            select(
                b.c.org_id,
                amount("uitgaven", b.c.total_cents),
                amount("uitgaven", b.c.realised_cents),
                amount("ontvangsten", b.c.total_cents),
                amount("ontvangsten", b.c.realised_cents),
            )
            .where(b.c.quarter == quarter)
            .group_by(b.c.org_id)
        )
        money = {org: values for org, *values in money}
        synthetic = dict(conn.execute(select(qs.c.org_id, qs.c.synthetic).where(qs.c.quarter == quarter)).all())
    none = (0,) * len(STATUSES)
    out = pd.DataFrame(
        [
            (org, name, bool(synthetic.get(org, False)), *counts.get(org, none), *money.get(org, (0, 0, 0, 0)))
            for org, name in orgs
        ],
        columns=["org", "name", "synthetic", *STATUSES, "ut", "ub", "ot", "oo"],
    )
    for status in STATUSES:
        out[status] = out[status].astype(int)
    out.insert(3 + len(STATUSES), "tasks", out[list(STATUSES)].sum(axis=1))
    out.insert(4 + len(STATUSES), "pct_voltooid", _pct(out["Voltooid"], out["tasks"]))
    return _with_budget_columns(out, ["ut", "ub", "ot", "oo"])
