"""Helpers of the data-layer tests: table dumps, CLI runs, a second quarter in every file format,
and the report text (the Power BI extract) cut into its action-plan pages.

Nothing here uses the code under test to compute an expected value: amounts are formatted, statuses
canonicalised and departments resolved independently, so the tests check the code, not themselves.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from dashboard import schema
from dashboard.config import PROJECT_ROOT, SEED_DIR
from dashboard.store import data_version

ORG = "harelbeke"
Q1, Q2 = "2023KW1", "2023KW2"
UNASSIGNED = "Niet toegewezen"
STATUSES = ("Niet gestart", "Bezig", "Voltooid")

SHARED_DIR = Path(os.environ.get("BELEIDSMONITOR_SHARED_DIR") or PROJECT_ROOT.parent / "shared")
REPORT_PATH = SHARED_DIR / "seeds" / "002_b8611e86d210b3c6.txt"
REFERENCE_PATH = SHARED_DIR / "tools" / "reference_2023KW1.json"


# --- store dumps ---------------------------------------------------------------------------------


def _row_key(row: tuple) -> tuple:
    return tuple((value is None, type(value).__name__, str(value)) for value in row)


def dump(
    engine: Engine, *, skip: tuple[str, ...] = (), ignore_budget_id: bool = False, exclude_quarter: str | None = None
) -> dict[str, list[tuple]]:
    """Every table's rows (all columns, sorted), keyed by table name.

    ``ignore_budget_id`` leaves out the autoincrement ``budget.id``; ``exclude_quarter`` leaves out
    the rows of that quarter (task_update, budget and the quarter table itself).
    """
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            if table.name in skip:
                continue
            columns = [c for c in table.columns if not (ignore_budget_id and table is schema.budget and c.name == "id")]
            stmt = select(*columns)
            if exclude_quarter is not None:
                if "quarter" in table.c:
                    stmt = stmt.where(table.c.quarter != exclude_quarter)
                elif table is schema.quarter:
                    stmt = stmt.where(table.c.code != exclude_quarter)
            out[table.name] = sorted((tuple(r) for r in conn.execute(stmt)), key=_row_key)
    return out


def dump_differences(got: dict[str, list[tuple]], want: dict[str, list[tuple]], limit: int = 5) -> list[str]:
    """Readable differences between two dumps (empty when equal)."""
    problems = []
    for name in sorted(set(got) | set(want)):
        g, w = Counter(got.get(name, [])), Counter(want.get(name, []))
        extra, missing = list((g - w).elements()), list((w - g).elements())
        if extra or missing:
            problems.append(
                f"{name}: {len(extra)} unexpected rows {extra[:limit]}, {len(missing)} missing rows {missing[:limit]}"
            )
    return problems


def assert_same_dump(got: dict, want: dict) -> None:
    differences = dump_differences(got, want)
    assert not differences, "store content differs:\n" + "\n".join(differences)


@dataclass
class Snapshot:
    """Everything that could reveal a write: all rows, the data version and (SQLite) the file bytes."""

    tables: dict[str, list[tuple]]
    version: int
    files: dict[str, bytes] = field(default_factory=dict)


def snapshot(store) -> Snapshot:
    tables = dump(store.engine)
    version = data_version(store.engine)
    files = {}
    if store.path is not None:
        store.engine.dispose()  # closes the pool: SQLite checkpoints its WAL into the main file
        for suffix in ("", "-wal", "-journal"):
            path = Path(f"{store.path}{suffix}")
            if path.exists():
                files[path.name] = path.read_bytes()
    return Snapshot(tables, version, files)


def assert_unchanged(store, before: Snapshot) -> None:
    after = snapshot(store)
    assert_same_dump(after.tables, before.tables)
    assert after.version == before.version, "meta.data_version changed"
    if store.path is not None:
        assert sorted(after.files) == sorted(before.files), "the SQLite files on disk changed"
        for name, content in before.files.items():
            assert after.files[name] == content, f"the bytes of {name} changed"


def quarter_content(engine: Engine, quarter: str) -> tuple[dict, dict]:
    """(task updates {task_id: (status, toelichting)}, budget {(sdg, scope, kind): (total, realised)})."""
    tu, b = schema.task_update, schema.budget
    with engine.connect() as conn:
        updates = {
            r.task_id: (r.status, r.toelichting)
            for r in conn.execute(select(tu).where(tu.c.org_id == ORG, tu.c.quarter == quarter))
        }
        budget = {
            (r.sdg, r.scope, r.kind): (r.total_cents, r.realised_cents)
            for r in conn.execute(select(b).where(b.c.org_id == ORG, b.c.quarter == quarter))
        }
    return updates, budget


# --- the command line ----------------------------------------------------------------------------


def run_cli(args: list[str], db_url: str, timeout: int = 120, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``python -m dashboard ARGS`` against the store at ``db_url`` (``stdin``: text to type in)."""
    env = {
        **os.environ,
        "DASHBOARD_DB_URL": db_url,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=timeout,
    )


def cli_json(args: list[str], db_url: str) -> dict:
    proc = run_cli(args, db_url)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# --- seed files, read independently --------------------------------------------------------------


def read_seed(name: str) -> pd.DataFrame:
    """A seed CSV with every cell as a string ('' for empty)."""
    return pd.read_csv(SEED_DIR / f"{name}.csv", dtype=str, keep_default_na=False)


def effective_departments() -> dict[str, str]:
    """task id → department as the seed's departementen.csv assigns it (task rows override plans)."""
    taken, depts = read_seed("taken"), read_seed("departementen")
    per_plan = {r.actieplan: r.departement for r in depts.itertuples() if not r.taak_id}
    per_task = {r.taak_id: r.departement for r in depts.itertuples() if r.taak_id}
    return {r.taak_id: per_task.get(r.taak_id) or per_plan.get(r.actieplan) or UNASSIGNED for r in taken.itertuples()}


def plan_departments() -> dict[str, str]:
    depts = read_seed("departementen")
    return {r.actieplan: r.departement for r in depts.itertuples() if not r.taak_id}


def euros_to_cents(text: str) -> int | None:
    """'55325' (the seed's plain whole euros) → cents; '' → None."""
    return None if text == "" else int(round(float(text) * 100))


# --- amounts written as exports write them ---------------------------------------------------------


def belgian_amount(cents: int | None) -> str:
    """1234567_89 → '1.234.567,89 €'; 2871800 → '28.718 €'; None → '' (independent of the app)."""
    if cents is None:
        return ""
    sign, cents = ("-" if cents < 0 else ""), abs(cents)
    euros, rest = divmod(cents, 100)
    grouped = f"{euros:,}".replace(",", ".")
    return f"{sign}{grouped}{',' + f'{rest:02d}' if rest else ''} €"


def plain_amount(cents: int | None) -> str:
    if cents is None:
        return ""
    return str(cents // 100) if cents % 100 == 0 else f"{cents / 100:.2f}"


def number_amount(cents: int | None):
    if cents is None:
        return None
    return cents // 100 if cents % 100 == 0 else cents / 100


AMOUNT_COLUMNS = ("uitgaven_totaal", "uitgaven_besteld", "ontvangsten_totaal", "ontvangsten_ontvangen")


# --- a second quarter ------------------------------------------------------------------------------

KW2_SDGS = ("1", "3", "4", "16")
# task → (status as the export writes it, the canonical status); other tasks keep their KW1 status.
KW2_STATUS = {
    "D01/AP01/02-1": ("Taak voltooid", "Voltooid"),
    "D03/AP02/02-1": ("VOLTOOID", "Voltooid"),
    "D03/AP03/05-1": ("bezig", "Bezig"),
    "D03/AP05/01-2": ("Bezig", "Bezig"),
    "D16/AP01/04-3": ("niet gestart", "Niet gestart"),
    "D16/AP01/04-4": ("Taak voltooid", "Voltooid"),
}
KW2_TOELICHTING = {
    "D04/AP01/01-1": "Opvang van kinderen uit Oekraïne: één extra klas; overleg met het CLB – zie nota €.",
    "D01/AP01/02-1": 'Evaluatie afgerond;\nnieuwe brugfiguur gestart op 1/4/2023, "zie verslag".',
    "D03/AP01/01-1": "",
}
# scope → the four amounts in cents (None = empty cell); other lines keep their KW1 amounts.
KW2_BUDGET = {
    "D03/AP01": (5532500, 4500050, 6097000, 250000),
    "D03/AP06": (448348900, 160000000, 0, 3000000),
    "D16": (533445500, 180000075, 0, None),
}


@dataclass
class Quarter:
    """A quarterly export in canonical form: template rows plus the store content they must give."""

    taken: pd.DataFrame  # template columns, text cells; 'status' as the export writes it
    budget: list[dict]  # kwartaal, sdg, actieplan and the four amounts in cents (None = empty)
    expected_updates: dict[str, tuple[str, str]]
    expected_budget: dict[tuple[int, str, str], tuple[int, int]]

    def budget_frame(self, style: str) -> pd.DataFrame:
        render = {"belgian": belgian_amount, "plain": plain_amount, "number": number_amount}[style]
        rows = [
            {**{k: r[k] for k in ("kwartaal", "sdg", "actieplan")}, **{c: render(r[c]) for c in AMOUNT_COLUMNS}}
            for r in self.budget
        ]
        return pd.DataFrame(rows, columns=["kwartaal", "sdg", "actieplan", *AMOUNT_COLUMNS])


def make_quarter(
    code: str = Q2,
    sdgs: tuple[str, ...] = KW2_SDGS,
    *,
    drop_tasks: tuple[str, ...] = (),
    drop_scopes: tuple[str, ...] = (),
    status: dict | None = None,
    toelichting: dict | None = None,
    amounts: dict | None = None,
) -> Quarter:
    """The seed's rows of ``sdgs`` as quarter ``code``, with the KW2 changes (or the given ones)."""
    status = KW2_STATUS if status is None else status
    toelichting = KW2_TOELICHTING if toelichting is None else toelichting
    amounts = KW2_BUDGET if amounts is None else amounts
    taken = read_seed("taken")
    taken = taken[taken.sdg.isin(sdgs) & ~taken.taak_id.isin(drop_tasks)].copy().reset_index(drop=True)
    taken["kwartaal"] = code
    canonical = []
    for i, row in taken.iterrows():
        written, final = status.get(row.taak_id, (row.status, row.status))
        taken.loc[i, "status"] = written
        canonical.append(final)
        if row.taak_id in toelichting:
            taken.loc[i, "toelichting"] = toelichting[row.taak_id]
        elif row.toelichting:
            taken.loc[i, "toelichting"] = f"Stand {code}: {row.toelichting}"
    expected_updates = {tid: (st, text) for tid, st, text in zip(taken.taak_id, canonical, taken.toelichting)}

    budget, expected_budget = [], {}
    for row in read_seed("budget").itertuples():
        scope = row.actieplan or f"D{int(row.sdg):02d}"
        if row.sdg not in sdgs or scope in drop_scopes:
            continue
        values = amounts.get(scope) or tuple(euros_to_cents(getattr(row, c)) for c in AMOUNT_COLUMNS)
        budget.append(
            {"kwartaal": code, "sdg": row.sdg, "actieplan": row.actieplan, **dict(zip(AMOUNT_COLUMNS, values))}
        )
        ut, ub, ot, oo = (v or 0 for v in values)
        expected_budget[(int(row.sdg), scope, "uitgaven")] = (ut, ub)
        expected_budget[(int(row.sdg), scope, "ontvangsten")] = (ot, oo)
    return Quarter(taken, budget, expected_updates, expected_budget)


def write_csv(frame: pd.DataFrame, path: Path, *, sep: str = ",", encoding: str = "utf-8", bom: bool = False) -> Path:
    """A CSV as Excel writes it (CRLF), in the given separator and encoding."""
    data = frame.to_csv(index=False, sep=sep, lineterminator="\r\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


FORMATS = ("csv_semicolon_belgian", "csv_comma", "csv_utf8_bom", "csv_cp1252", "xlsx_extra_sheets", "parquet")


def write_quarter(q: Quarter, folder: Path, fmt: str) -> list[Path]:
    """Write the quarter's taken and budget tables as a real export in format ``fmt``."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = q.taken.copy()
    if fmt == "csv_semicolon_belgian":
        taken["kwartaal"] = taken["kwartaal"].str.replace("KW", " KW")  # '2023 KW2', as the report prints it
        budget = q.budget_frame("belgian")
        return [write_csv(taken, folder / "taken.csv", sep=";"), write_csv(budget, folder / "budget.csv", sep=";")]
    if fmt == "csv_comma":
        return [
            write_csv(taken, folder / "kw2_taken.csv"),
            write_csv(q.budget_frame("plain"), folder / "kw2_budget.csv"),
        ]
    if fmt == "csv_utf8_bom":
        return [
            write_csv(taken, folder / "taken.csv", sep=";", bom=True),
            write_csv(q.budget_frame("belgian"), folder / "budget.csv", sep=";", bom=True),
        ]
    if fmt == "csv_cp1252":
        return [
            write_csv(taken, folder / "taken.csv", sep=";", encoding="cp1252"),
            write_csv(q.budget_frame("belgian"), folder / "budget.csv", sep=";", encoding="cp1252"),
        ]
    if fmt == "xlsx_extra_sheets":
        path = folder / "export_2023KW2.xlsx"
        taken["sdg"] = taken["sdg"].astype(int)
        budget = q.budget_frame("number")
        budget["sdg"] = budget["sdg"].astype(int)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            pd.DataFrame({"Uitleg": ["Kwartaalexport van de beleidsmonitor", "Bron: BBC-rapportering"]}).to_excel(
                writer, sheet_name="Leesmij", index=False
            )
            taken.to_excel(writer, sheet_name="Taken", index=False)
            budget.to_excel(writer, sheet_name="Budget 2023KW2", index=False)
            pd.DataFrame({"status": ["Niet gestart", "Bezig", "Taak voltooid"]}).to_excel(
                writer, sheet_name="Lijsten", index=False
            )
        return [path]
    if fmt == "parquet":
        taken["sdg"] = taken["sdg"].astype("int64")
        budget = q.budget_frame("number")
        budget["sdg"] = budget["sdg"].astype("int64")
        for column in AMOUNT_COLUMNS:
            budget[column] = pd.to_numeric(budget[column]).astype("float64")
        taken.to_parquet(folder / "taken.parquet", index=False)
        budget.to_parquet(folder / "budget.parquet", index=False)
        return [folder / "taken.parquet", folder / "budget.parquet"]
    raise ValueError(fmt)


def write_quarter_csv(q: Quarter, folder: Path) -> tuple[Path, Path]:
    """The plain ',' CSV pair (taken.csv, budget.csv) of a quarter."""
    folder.mkdir(parents=True, exist_ok=True)
    return (write_csv(q.taken, folder / "taken.csv"), write_csv(q.budget_frame("plain"), folder / "budget.csv"))


# --- the report text -------------------------------------------------------------------------------

_SDG_HEADER = re.compile(r"^\s*SDG (\d\d):")
_AP_HEADER = re.compile(r"^(AP\d\d) ")
STATUS_CELLS = {"Niet gestart": "Niet gestart", "Bezig": "Bezig", "Voltooid": "Voltooid", "Taak voltooid": "Voltooid"}


def normalise(text: str) -> str:
    """Whitespace-insensitive form: the extract breaks lines anywhere, also after a hyphen."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


def action_plan_pages(report: str) -> dict[str, list[str]]:
    """Action-plan code → the lines of its page(s) in the report (a page may continue on the next).

    A page starts at 'SDG nn: …', then 'TAKEN', then the plan's title 'APnn …'; it ends at the next
    'SDG nn:' header. The SDG pages (budget tables) have no such title and are left out.
    """
    pages: dict[str, list[str]] = {}
    lines = report.split("\n")
    sdg, current = None, None
    for i, line in enumerate(lines):
        m = _SDG_HEADER.match(line)
        if m:
            sdg, current = int(m.group(1)), None
            continue
        m = _AP_HEADER.match(line)
        if m and i >= 2 and lines[i - 2].strip() == "TAKEN" and sdg is not None:
            current = f"D{sdg:02d}/{m.group(1)}"
            pages.setdefault(current, [])
            continue
        if current is not None:
            pages[current].append(line)
    return pages


def page_statuses(lines: list[str]) -> Counter:
    """The status cells of a page (a line holding only a status), canonicalised."""
    return Counter(STATUS_CELLS[s.strip()] for s in lines if s.strip() in STATUS_CELLS)
