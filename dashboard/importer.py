"""Validated import of template files (CSV, XLSX, Parquet): all rows load in one transaction, or none."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, and_, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from . import schema, search
from .parsing import (
    Sheet,
    ValueRuleError,
    parse_amount_cents,
    parse_quarter,
    parse_sdg,
    parse_status,
    read_tables,
    text,
)
from .provenance import OPTIONAL_COLUMNS as SOURCE_COLUMNS
from .provenance import Sources
from .store import bump_data_version, create_schema

# The template: table name → (required columns, optional columns). Documented in README.md.
TEMPLATE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "besturen": (("bestuur", "naam"), ()),
    "sdgs": (("sdg", "titel", "korte_naam", "kleur", "pijler"), ("bestuur",)),
    "taken": (
        ("kwartaal", "sdg", "actieplan", "actie", "taak_id", "taak", "status", "toelichting"),
        ("bestuur", "actieplan_label", "actieplan_titel", "actie_omschrijving", "taakcode", "departement")
        + SOURCE_COLUMNS,
    ),
    "budget": (
        (
            "kwartaal",
            "sdg",
            "actieplan",
            "uitgaven_totaal",
            "uitgaven_besteld",
            "ontvangsten_totaal",
            "ontvangsten_ontvangen",
        ),
        ("bestuur", *SOURCE_COLUMNS),
    ),
    "departementen": (("actieplan", "taak_id", "departement"), ("bestuur", "basis")),
}
# Tables are loaded in this order, so declarations come before their use.
LOAD_ORDER = ("besturen", "sdgs", "taken", "budget", "departementen")

_AP_CODE = re.compile(r"^D(\d{2})/AP(\d{2})$")
_ACTION_CODE = re.compile(r"^(D\d{2}/AP\d{2})/(\d{2})$")
_TASK_ID = re.compile(r"^(D\d{2}/AP\d{2}/\d{2})-(\d+)$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_ORG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class Problem:
    """One broken rule, located as precisely as the input allows."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            where.append(f"waarde '{shown}'")
        return f"{', '.join(where)}: {self.rule}"


class ImportRejected(Exception):
    """The input broke one or more rules; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} fout(en); er werd niets geïmporteerd")
        self.problems = problems


@dataclass
class ImportResult:
    """What an import wrote."""

    files: list[str]
    quarters: list[str]
    tasks: int = 0
    task_updates: int = 0
    budget_lines: int = 0
    notices: list[str] = field(default_factory=list)


@dataclass
class _Table:
    kind: str
    sheet: Sheet


def _classify(sheet: Sheet) -> str | None:
    """The template table a sheet holds: by its name, else by the best match of its columns."""
    name = sheet.name.strip().lower()
    if name in TEMPLATE:
        return name
    best, best_score = None, 0.0
    columns = set(sheet.frame.columns)
    for kind, (required, _optional) in TEMPLATE.items():
        score = len(columns & set(required)) / len(required)
        if score > best_score:
            best, best_score = kind, score
    return best if best_score >= 0.6 else None


def _read(paths: list[Path], problems: list[Problem], notices: list[str]) -> list[_Table]:
    tables: list[_Table] = []
    for path in paths:
        try:
            sheets = read_tables(path)
        except ValueRuleError as exc:
            problems.append(Problem(path.name, None, None, None, str(exc)))
            continue
        if all(sheet.frame.empty and not len(sheet.frame.columns) for sheet in sheets):
            problems.append(Problem(path.name, None, None, None, "bestand is leeg"))
            continue
        found = []
        for sheet in sheets:
            kind = _classify(sheet)
            if kind is None:
                if len(sheets) > 1:
                    notices.append(f"{path.name}: blad '{sheet.name}' genegeerd (geen sjabloontabel)")
                    continue
                cols = ", ".join(map(str, sheet.frame.columns)) or "geen"
                expected = "; ".join(f"{k}: {', '.join(r)}" for k, (r, _o) in TEMPLATE.items())
                problems.append(
                    Problem(
                        path.name, 1, None, None, f"onbekend sjabloon (kolommen: {cols}); verwacht één van — {expected}"
                    )
                )
                continue
            found.append(_Table(kind, sheet))
        if not found and len(sheets) > 1:
            problems.append(
                Problem(path.name, None, None, None, f"geen blad met een sjabloontabel ({', '.join(TEMPLATE)})")
            )
        tables.extend(found)
    return tables


class _Validator:
    """Turns raw sheets into typed rows, collecting every problem instead of stopping at the first."""

    def __init__(self, conn: Connection, default_org: str, quarter: str | None, allowed_orgs=None):
        self.conn = conn
        self.default_org = default_org
        self.allowed_orgs = None if allowed_orgs is None else frozenset(allowed_orgs)
        self.quarter = quarter
        self.problems: list[Problem] = []
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.declared_orgs: set[str] = set()
        # Duplicates are looked for across all files of one import, not per file.
        self.seen_tasks: dict[tuple[str, str, str], tuple[str, int]] = {}
        self.seen_budget: dict[tuple[str, str, str], tuple[str, int]] = {}
        self.declared_sdgs: set[tuple[str, int]] = set()
        self.declared_aps: dict[tuple[str, str], int] = {}
        self.declared_tasks: set[tuple[str, str]] = set()
        self.known_sdgs = {(o, n) for o, n in conn.execute(select(schema.sdg.c.org_id, schema.sdg.c.number))}
        self.known_aps = {
            (o, c): s
            for o, c, s in conn.execute(
                select(schema.action_plan.c.org_id, schema.action_plan.c.code, schema.action_plan.c.sdg)
            )
        }
        self.known_tasks = {(o, t) for o, t in conn.execute(select(schema.task.c.org_id, schema.task.c.id))}
        self.pillars = set(conn.scalars(select(schema.pillar.c.id)))
        self.sources = Sources()  # per bestuur and quarter: synthetic or real (columns synthetisch, bron)

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def where(first: tuple[str, int], sheet: Sheet) -> str:
        """'rij 7', or 'taken_deel1.csv rij 7' when the first occurrence is in another file."""
        file, row = first
        return f"rij {row}" if file == sheet.file else f"{file} rij {row}"

    def problem(self, sheet: Sheet, row: int | None, column: str | None, value: object, rule: str) -> None:
        shown = None if value is None else text(value) if not isinstance(value, str) else value
        self.problems.append(
            Problem(
                sheet.file if sheet.name == Path(sheet.file).stem else f"{sheet.file} [{sheet.name}]",
                row,
                column,
                shown,
                rule,
            )
        )

    def cell(self, sheet, row_no, record, column, parser, required=True):
        raw = record.get(column)
        if parser is text:
            value = text(raw)
            if required and not value:
                self.problem(sheet, row_no, column, "", "verplichte waarde ontbreekt")
                return None
            return value
        try:
            return parser(raw)
        except ValueRuleError as exc:
            self.problem(sheet, row_no, column, raw, str(exc))
            return None

    def org_of(self, sheet, row_no, record) -> str | None:
        org = text(record.get("bestuur")) or self.default_org
        if not _ORG_ID.match(org):
            self.problem(
                sheet,
                row_no,
                "bestuur",
                org,
                "ongeldige bestuurscode (kleine letters, cijfers, - of _; max. 40 tekens)",
            )
            return None
        if self.allowed_orgs is not None and org not in self.allowed_orgs:
            self.problem(sheet, row_no, "bestuur", org, "u hebt geen rechten om voor dit bestuur te importeren")
            return None
        return org

    def quarter_of(self, sheet, row_no, record) -> str | None:
        if "kwartaal" not in record and self.quarter:
            return self.quarter
        q = self.cell(sheet, row_no, record, "kwartaal", parse_quarter)
        if q and self.quarter and q != self.quarter:
            self.problem(
                sheet,
                row_no,
                "kwartaal",
                record.get("kwartaal"),
                f"kwartaal komt niet overeen met --quarter {self.quarter}",
            )
            return None
        return q

    def sdg_exists(self, org: str, number: int) -> bool:
        return (org, number) in self.known_sdgs or (org, number) in self.declared_sdgs

    def ap_sdg(self, org: str, code: str) -> int | None:
        return self.declared_aps.get((org, code), self.known_aps.get((org, code)))

    # -- per table ------------------------------------------------------------------------------
    def check_columns(self, table: _Table) -> bool:
        required, _ = TEMPLATE[table.kind]
        columns = set(table.sheet.frame.columns)
        missing = [c for c in required if c not in columns and not (c == "kwartaal" and self.quarter)]
        for column in missing:
            self.problem(table.sheet, 1, column, None, f"verplichte kolom ontbreekt in tabel '{table.kind}'")
        if table.sheet.frame.empty:
            self.problem(table.sheet, None, None, None, "bestand bevat geen gegevensrijen")
            return False
        return not missing

    def records(self, table: _Table):
        frame = table.sheet.frame
        for index, record in zip(frame.index, frame.to_dict("records")):
            yield table.sheet.first_row + int(index), record

    def besturen(self, table: _Table) -> None:
        for row_no, rec in self.records(table):
            org = self.org_of(table.sheet, row_no, rec)
            name = self.cell(table.sheet, row_no, rec, "naam", text)
            if org and name:
                self.declared_orgs.add(org)
                self.rows["besturen"].append({"id": org, "name": name})

    def sdgs(self, table: _Table) -> None:
        seen: dict[tuple[str, int], int] = {}
        for row_no, rec in self.records(table):
            s = table.sheet
            org = self.org_of(s, row_no, rec)
            number = self.cell(s, row_no, rec, "sdg", parse_sdg)
            title = self.cell(s, row_no, rec, "titel", text)
            short = self.cell(s, row_no, rec, "korte_naam", text)
            colour = self.cell(s, row_no, rec, "kleur", text)
            pillar = self.cell(s, row_no, rec, "pijler", text)
            if colour and not _COLOUR.match(colour):
                self.problem(s, row_no, "kleur", colour, "geen kleurcode (verwacht #RRGGBB)")
                colour = None
            if pillar and pillar.lower() not in self.pillars:
                self.problem(
                    s, row_no, "pijler", pillar, f"onbekende pijler (toegestaan: {', '.join(sorted(self.pillars))})"
                )
                pillar = None
            if org and number is not None:
                if (org, number) in seen:
                    self.problem(
                        s,
                        row_no,
                        "sdg",
                        rec.get("sdg"),
                        f"SDG staat twee keer in de tabel (ook rij {seen[(org, number)]})",
                    )
                    continue
                seen[(org, number)] = row_no
            if None in (org, number, title, short, colour, pillar):
                continue
            self.declared_sdgs.add((org, number))
            self.rows["sdgs"].append(
                {
                    "org_id": org,
                    "number": number,
                    "title": title,
                    "short_name": short,
                    "colour": colour.upper(),
                    "pillar_id": pillar.lower(),
                }
            )

    def _ap_code(self, s, row_no, rec, sdg_number) -> str | None:
        code = self.cell(s, row_no, rec, "actieplan", text)
        if code is None:
            return None
        m = _AP_CODE.match(code)
        if not m:
            self.problem(s, row_no, "actieplan", code, "geen actieplancode (verwacht bv. D03/AP02)")
            return None
        if sdg_number is not None and int(m.group(1)) != sdg_number:
            self.problem(s, row_no, "actieplan", code, f"actieplancode hoort niet bij SDG {sdg_number}")
            return None
        return code

    def taken(self, table: _Table) -> None:
        s = table.sheet
        # Declarations first: an action plan is declared by any row that gives its full title.
        for _row_no, rec in self.records(table):
            org, code, title = (
                text(rec.get("bestuur")) or self.default_org,
                text(rec.get("actieplan")),
                text(rec.get("actieplan_titel")),
            )
            m = _AP_CODE.match(code)
            if m and title:
                self.declared_aps[(org, code)] = int(m.group(1))
        seen = self.seen_tasks
        for row_no, rec in self.records(table):
            org = self.org_of(s, row_no, rec)
            quarter = self.quarter_of(s, row_no, rec)
            number = self.cell(s, row_no, rec, "sdg", parse_sdg)
            if org and number is not None and not self.sdg_exists(org, number):
                self.problem(
                    s,
                    row_no,
                    "sdg",
                    rec.get("sdg"),
                    f"SDG {number} bestaat niet voor bestuur '{org}' en wordt niet gedeclareerd (tabel sdgs)",
                )
                number = None
            ap = self._ap_code(s, row_no, rec, number)
            if ap and org and self.ap_sdg(org, ap) is None:
                self.problem(
                    s,
                    row_no,
                    "actieplan",
                    ap,
                    "actieplan bestaat niet en wordt niet gedeclareerd (vul kolom actieplan_titel in)",
                )
                ap = None
            action = self.cell(s, row_no, rec, "actie", text)
            if action:
                m = _ACTION_CODE.match(action)
                if not m:
                    self.problem(s, row_no, "actie", action, "geen actiecode (verwacht bv. D03/AP02/04)")
                    action = None
                elif ap and m.group(1) != ap:
                    self.problem(s, row_no, "actie", action, f"actie hoort niet bij actieplan {ap}")
                    action = None
            task_id = self.cell(s, row_no, rec, "taak_id", text)
            if task_id:
                m = _TASK_ID.match(task_id)
                if not m:
                    self.problem(s, row_no, "taak_id", task_id, "geen taak-id (verwacht bv. D03/AP02/04-1)")
                    task_id = None
                elif action and m.group(1) != action:
                    self.problem(s, row_no, "taak_id", task_id, f"taak-id hoort niet bij actie {action}")
                    task_id = None
            name = self.cell(s, row_no, rec, "taak", text)
            status = self.cell(s, row_no, rec, "status", parse_status)
            toelichting = text(rec.get("toelichting"))
            if org and quarter and task_id:
                key = (org, quarter, task_id)
                if key in seen:
                    self.problem(
                        s,
                        row_no,
                        "taak_id",
                        task_id,
                        f"taak staat twee keer in kwartaal {quarter} (ook {self.where(seen[key], s)})",
                    )
                    continue
                seen[key] = (s.file, row_no)
            if None in (org, quarter, number, ap, action, task_id, name, status):
                continue
            self.declared_tasks.add((org, task_id))
            self.sources.record(self, s, row_no, rec, org, quarter, "taken")
            self.rows["taken"].append(
                {
                    "org_id": org,
                    "quarter": quarter,
                    "sdg": number,
                    "action_plan": ap,
                    "ap_label": text(rec.get("actieplan_label")),
                    "ap_title": text(rec.get("actieplan_titel")),
                    "action": action,
                    "action_text": text(rec.get("actie_omschrijving")),
                    "task_id": task_id,
                    "task_code": text(rec.get("taakcode")) or None,
                    "task_name": name,
                    "status": status,
                    "toelichting": toelichting,
                    "department": text(rec.get("departement")) or None,
                }
            )

    def budget(self, table: _Table) -> None:
        s = table.sheet
        seen = self.seen_budget
        for row_no, rec in self.records(table):
            org = self.org_of(s, row_no, rec)
            quarter = self.quarter_of(s, row_no, rec)
            number = self.cell(s, row_no, rec, "sdg", parse_sdg)
            if org and number is not None and not self.sdg_exists(org, number):
                self.problem(
                    s,
                    row_no,
                    "sdg",
                    rec.get("sdg"),
                    f"SDG {number} bestaat niet voor bestuur '{org}' en wordt niet gedeclareerd (tabel sdgs)",
                )
                number = None
            ap = None
            if text(rec.get("actieplan")):
                ap = self._ap_code(s, row_no, rec, number)
                if ap is None:
                    continue
                if org and self.ap_sdg(org, ap) is None:
                    self.problem(s, row_no, "actieplan", ap, "actieplan bestaat niet en wordt niet gedeclareerd")
                    continue
            amounts = {}
            for column in ("uitgaven_totaal", "uitgaven_besteld", "ontvangsten_totaal", "ontvangsten_ontvangen"):
                amounts[column] = self.cell(s, row_no, rec, column, parse_amount_cents)
            if None in (org, quarter, number) or None in amounts.values():
                continue
            scope = ap or f"D{number:02d}"
            key = (org, quarter, scope)
            if key in seen:
                self.problem(
                    s,
                    row_no,
                    "actieplan",
                    ap or "",
                    f"budgetlijn voor {scope} staat twee keer in kwartaal {quarter} (ook {self.where(seen[key], s)})",
                )
                continue
            seen[key] = (s.file, row_no)
            self.sources.record(self, s, row_no, rec, org, quarter, "budget")
            for kind, total, realised in (
                ("uitgaven", "uitgaven_totaal", "uitgaven_besteld"),
                ("ontvangsten", "ontvangsten_totaal", "ontvangsten_ontvangen"),
            ):
                self.rows["budget"].append(
                    {
                        "org_id": org,
                        "quarter": quarter,
                        "sdg": number,
                        "action_plan": ap,
                        "scope": scope,
                        "kind": kind,
                        "total_cents": amounts[total],
                        "realised_cents": amounts[realised],
                    }
                )

    def departementen(self, table: _Table) -> None:
        s = table.sheet
        for row_no, rec in self.records(table):
            org = self.org_of(s, row_no, rec)
            ap = self._ap_code(s, row_no, rec, None)
            dept = self.cell(s, row_no, rec, "departement", text)
            task_id = text(rec.get("taak_id")) or None
            if org and ap and self.ap_sdg(org, ap) is None:
                self.problem(s, row_no, "actieplan", ap, "actieplan bestaat niet en wordt niet gedeclareerd")
                ap = None
            if org and task_id and (org, task_id) not in self.known_tasks | self.declared_tasks:
                self.problem(s, row_no, "taak_id", task_id, "taak bestaat niet en wordt niet gedeclareerd")
                continue
            if task_id and ap and not task_id.startswith(ap + "/"):
                self.problem(s, row_no, "taak_id", task_id, f"taak hoort niet bij actieplan {ap}")
                continue
            if None in (org, ap, dept):
                continue
            self.rows["departementen"].append(
                {"org_id": org, "action_plan": ap, "task_id": task_id, "department": dept}
            )


def _upsert(conn: Connection, table, keys: tuple[str, ...], rows: list[dict]) -> None:
    """Insert new rows, update existing ones (portable between SQLite and PostgreSQL)."""
    if not rows:
        return
    key_cols = [table.c[k] for k in keys]
    existing = {tuple(r) for r in conn.execute(select(*key_cols))}
    new, old = [], []
    for row in rows:
        (old if tuple(row[k] for k in keys) in existing else new).append(row)
    if new:
        # Rows may carry different optional columns; give every new row the same keys.
        columns = {k for r in new for k in r}
        conn.execute(insert(table), [{c: r.get(c) for c in columns} for r in new])
    for row in old:
        cond = and_(*(table.c[k] == row[k] for k in keys))
        conn.execute(update(table).where(cond).values({k: v for k, v in row.items() if k not in keys}))


def _first_by_key(rows: list[dict], key) -> list[dict]:
    """The last row per key wins (later quarters in a file refine the structure)."""
    out: dict = {}
    for row in rows:
        out[key(row)] = row
    return list(out.values())


def _write(conn: Connection, rows: dict[str, list[dict]], result: ImportResult, sources: Sources | None = None) -> None:
    orgs = {r["id"]: r for r in rows["besturen"]}
    for kind in ("sdgs", "taken", "budget", "departementen"):
        for r in rows[kind]:
            orgs.setdefault(r["org_id"], {"id": r["org_id"], "name": r["org_id"].replace("-", " ").title()})
    existing_orgs = set(conn.scalars(select(schema.organisation.c.id)))
    _upsert(
        conn,
        schema.organisation,
        ("id",),
        [o for o in orgs.values() if o["id"] not in existing_orgs or o in rows["besturen"]],
    )

    quarters = sorted({r["quarter"] for k in ("taken", "budget") for r in rows[k]})
    known_q = set(conn.scalars(select(schema.quarter.c.code)))
    new_q = [{"code": q, "year": int(q[:4]), "number": int(q[-1])} for q in quarters if q not in known_q]
    if new_q:
        conn.execute(insert(schema.quarter), new_q)
    result.quarters = quarters

    _upsert(conn, schema.sdg, ("org_id", "number"), rows["sdgs"])

    taken = rows["taken"]
    known_aps = {
        (o, c): (lab, tit)
        for o, c, lab, tit in conn.execute(
            select(
                schema.action_plan.c.org_id,
                schema.action_plan.c.code,
                schema.action_plan.c.label,
                schema.action_plan.c.title,
            )
        )
    }
    aps = []
    for r in _first_by_key([r for r in taken if r["ap_title"]], lambda r: (r["org_id"], r["action_plan"])):
        label = r["ap_label"] or known_aps.get((r["org_id"], r["action_plan"]), (None, None))[0] or r["ap_title"][:80]
        aps.append(
            {"org_id": r["org_id"], "code": r["action_plan"], "sdg": r["sdg"], "label": label, "title": r["ap_title"]}
        )
    _upsert(conn, schema.action_plan, ("org_id", "code"), aps)

    known_actions = {(o, c) for o, c in conn.execute(select(schema.action.c.org_id, schema.action.c.code))}
    actions = []
    for r in _first_by_key(taken, lambda r: (r["org_id"], r["action"])):
        if r["action_text"] or (r["org_id"], r["action"]) not in known_actions:
            actions.append(
                {
                    "org_id": r["org_id"],
                    "code": r["action"],
                    "action_plan": r["action_plan"],
                    "text": r["action_text"] or r["action"],
                }
            )
    _upsert(conn, schema.action, ("org_id", "code"), actions)

    tasks = [
        {
            "org_id": r["org_id"],
            "id": r["task_id"],
            "action": r["action"],
            "name": r["task_name"],
            **({"code": r["task_code"]} if r["task_code"] else {}),
            **({"department": r["department"]} if r["department"] else {}),
        }
        for r in _first_by_key(taken, lambda r: (r["org_id"], r["task_id"]))
    ]
    _upsert(conn, schema.task, ("org_id", "id"), tasks)
    result.tasks = len(tasks)

    # Re-importing a quarter replaces exactly that quarter's updates and budget lines.
    tu = schema.task_update
    for org, q in sorted({(r["org_id"], r["quarter"]) for r in taken}):
        conn.execute(delete(tu).where(tu.c.org_id == org, tu.c.quarter == q))
    if taken:
        conn.execute(
            insert(tu),
            [
                {
                    "org_id": r["org_id"],
                    "task_id": r["task_id"],
                    "quarter": r["quarter"],
                    "status": r["status"],
                    "toelichting": r["toelichting"],
                }
                for r in taken
            ],
        )
    result.task_updates = len(taken)

    bud = schema.budget
    for org, q in sorted({(r["org_id"], r["quarter"]) for r in rows["budget"]}):
        conn.execute(delete(bud).where(bud.c.org_id == org, bud.c.quarter == q))
    if rows["budget"]:
        conn.execute(insert(bud), rows["budget"])
    result.budget_lines = len(rows["budget"]) // 2

    for r in rows["departementen"]:
        if r["task_id"]:
            conn.execute(
                update(schema.task)
                .where(schema.task.c.org_id == r["org_id"], schema.task.c.id == r["task_id"])
                .values(department=r["department"])
            )
        else:
            conn.execute(
                update(schema.action_plan)
                .where(schema.action_plan.c.org_id == r["org_id"], schema.action_plan.c.code == r["action_plan"])
                .values(department=r["department"])
            )
    if sources is not None:
        sources.write(conn)
    search.index_written(conn, taken)  # the full-text index changes with the data, in this transaction
    bump_data_version(conn)


def import_files(
    engine: Engine,
    paths: list[Path],
    *,
    quarter: str | None = None,
    default_org: str = "harelbeke",
    allowed_orgs=None,
) -> ImportResult:
    """Validate ``paths`` and load them in one transaction.

    Raises :class:`ImportRejected` listing every problem (file, row, column, value, rule); then
    nothing is written. ``quarter`` (any accepted spelling) makes every row's quarter match it.
    ``allowed_orgs`` (None: any) limits the besturen a row may belong to: an upload in the app
    passes the uploader's grants, so a beheerder cannot write another bestuur's data.
    """
    problems: list[Problem] = []
    notices: list[str] = []
    paths = [Path(p) for p in paths]
    if not paths:
        raise ImportRejected([Problem("(geen bestand)", None, None, None, "geef minstens één bestand op")])
    if quarter is not None:
        try:
            quarter = parse_quarter(quarter)
        except ValueRuleError as exc:
            raise ImportRejected([Problem("--quarter", None, None, quarter, str(exc))]) from None
    tables = _read(paths, problems, notices)
    create_schema(engine)
    result = ImportResult(files=[p.name for p in paths], quarters=[], notices=notices)
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            validator = _Validator(conn, default_org, quarter, allowed_orgs)
            validator.problems = problems
            for kind in LOAD_ORDER:
                for table in (t for t in tables if t.kind == kind):
                    if validator.check_columns(table):
                        getattr(validator, kind)(table)
            if problems:
                raise ImportRejected(problems)
            if not any(validator.rows.values()):
                raise ImportRejected(
                    [Problem(", ".join(result.files), None, None, None, "geen gegevens om te importeren")]
                )
            _write(conn, validator.rows, result, validator.sources)
            trans.commit()
        except SQLAlchemyError as exc:
            trans.rollback()
            detail = str(getattr(exc, "orig", exc)).splitlines()[0]
            raise ImportRejected(
                [Problem(", ".join(result.files), None, None, None, f"de databank weigerde de gegevens ({detail})")]
            ) from None
        except BaseException:
            trans.rollback()
            raise
    return result
