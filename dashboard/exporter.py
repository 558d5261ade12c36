"""Export of the whole store in the import template, so an export can be imported again."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from . import schema
from .tables import keep_text_as_text

# The columns of the template's "taken" table, in the order the export writes them.
TAKEN_COLUMNS = [
    "bestuur",
    "kwartaal",
    "sdg",
    "actieplan",
    "actieplan_label",
    "actieplan_titel",
    "actie",
    "actie_omschrijving",
    "taak_id",
    "taakcode",
    "taak",
    "status",
    "toelichting",
]


def _frame(engine: Engine, stmt, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.DataFrame.from_records(conn.execute(stmt).all(), columns=columns)


def _euros(cents: pd.Series) -> pd.Series:
    """Cents as a plain number string ('1234567' or '1234.56'), which the importer reads back exactly."""
    return cents.astype("int64").map(lambda c: f"{c // 100}" if c % 100 == 0 else f"{c / 100:.2f}")


def template_tables(engine: Engine) -> dict[str, pd.DataFrame]:
    """The store's content as the template tables (besturen, sdgs, taken, budget, departementen)."""
    o, s, ap, a, t, tu, b = (
        schema.organisation,
        schema.sdg,
        schema.action_plan,
        schema.action,
        schema.task,
        schema.task_update,
        schema.budget,
    )
    besturen = _frame(engine, select(o.c.id, o.c.name).order_by(o.c.id), ["bestuur", "naam"])
    sdgs = _frame(
        engine,
        select(s.c.org_id, s.c.number, s.c.title, s.c.short_name, s.c.colour, s.c.pillar_id).order_by(
            s.c.org_id, s.c.number
        ),
        ["bestuur", "sdg", "titel", "korte_naam", "kleur", "pijler"],
    )
    taken = _frame(
        engine,
        select(
            tu.c.org_id,
            tu.c.quarter,
            ap.c.sdg,
            ap.c.code,
            ap.c.label,
            ap.c.title,
            a.c.code,
            a.c.text,
            t.c.id,
            t.c.code,
            t.c.name,
            tu.c.status,
            tu.c.toelichting,
        )
        .select_from(tu)
        .join(t, and_(t.c.org_id == tu.c.org_id, t.c.id == tu.c.task_id))
        .join(a, and_(a.c.org_id == t.c.org_id, a.c.code == t.c.action))
        .join(ap, and_(ap.c.org_id == a.c.org_id, ap.c.code == a.c.action_plan))
        .order_by(tu.c.org_id, tu.c.quarter, t.c.id),
        TAKEN_COLUMNS,
    )
    amount = lambda kind, col: func.sum(case((b.c.kind == kind, col), else_=0))  # noqa: E731
    budget = _frame(
        engine,
        select(
            b.c.org_id,
            b.c.quarter,
            b.c.sdg,
            b.c.action_plan,
            amount("uitgaven", b.c.total_cents),
            amount("uitgaven", b.c.realised_cents),
            amount("ontvangsten", b.c.total_cents),
            amount("ontvangsten", b.c.realised_cents),
        )
        .group_by(b.c.org_id, b.c.quarter, b.c.sdg, b.c.action_plan, b.c.scope)
        .order_by(b.c.org_id, b.c.quarter, b.c.scope),
        [
            "bestuur",
            "kwartaal",
            "sdg",
            "actieplan",
            "uitgaven_totaal",
            "uitgaven_besteld",
            "ontvangsten_totaal",
            "ontvangsten_ontvangen",
        ],
    )
    for column in ("uitgaven_totaal", "uitgaven_besteld", "ontvangsten_totaal", "ontvangsten_ontvangen"):
        budget[column] = _euros(budget[column]) if len(budget) else budget[column]
    ap_depts = _frame(
        engine,
        select(ap.c.org_id, ap.c.code, ap.c.department)
        .where(ap.c.department.is_not(None))
        .order_by(ap.c.org_id, ap.c.code),
        ["bestuur", "actieplan", "departement"],
    )
    ap_depts.insert(2, "taak_id", "")
    task_depts = _frame(
        engine,
        select(t.c.org_id, a.c.action_plan, t.c.id, t.c.department)
        .join(a, and_(a.c.org_id == t.c.org_id, a.c.code == t.c.action))
        .where(t.c.department.is_not(None))
        .order_by(t.c.org_id, t.c.id),
        ["bestuur", "actieplan", "taak_id", "departement"],
    )
    departementen = pd.concat([ap_depts, task_depts], ignore_index=True)
    qs = schema.quarter_source
    sources = {
        (org, q): (bool(synthetic), note if isinstance(note, str) else "")
        for org, q, synthetic, note in _frame(
            engine, select(qs.c.org_id, qs.c.quarter, qs.c.synthetic, qs.c.note), ["o", "q", "s", "n"]
        ).itertuples(index=False)
    }
    taken, budget = _with_source(taken, sources), _with_source(budget, sources)
    return {
        "besturen": besturen,
        "sdgs": sdgs,
        "taken": taken.fillna(""),
        "budget": budget.fillna(""),
        "departementen": departementen.fillna(""),
    }


def _with_source(frame: pd.DataFrame, sources: dict[tuple[str, str], tuple[bool, str]]) -> pd.DataFrame:
    """Add the template columns ``synthetisch`` (ja/nee) and ``bron``, so a synthetic quarter stays
    labelled after export and import."""
    keys = list(zip(frame["bestuur"], frame["kwartaal"]))
    frame = frame.copy()
    frame["synthetisch"] = ["ja" if sources.get(k, (False, ""))[0] else "nee" for k in keys]
    frame["bron"] = [sources.get(k, (False, ""))[1] for k in keys]
    return frame


def export_store(engine: Engine, fmt: str, out: Path) -> list[Path]:
    """Write the template tables: ``csv``/``parquet`` → one file per table in folder ``out``;
    ``xlsx`` → one workbook ``out`` with a sheet per table. Returns the written paths."""
    tables = template_tables(engine)
    out = Path(out)
    if fmt == "xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            for name, frame in tables.items():
                frame.astype(str).to_excel(writer, sheet_name=name, index=False)
                keep_text_as_text(writer.sheets[name])
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        elif fmt == "parquet":
            frame.astype(str).to_parquet(path, index=False)
        else:
            raise ValueError(f"unknown format {fmt!r}")
        written.append(path)
    return written
