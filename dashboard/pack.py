"""Council pack (raadspakket): a pillar, an SDG or the whole plan as an A4-landscape PDF.

Two steps, so each can be tested alone: :func:`collect` assembles a :class:`Pack` from query
results with the app's own figure builders and tables (no browser, no PDF), and
:func:`render_pdf` turns it into a PDF with reportlab. Charts are vector graphics: Plotly renders
each figure dict to SVG in :mod:`dashboard.chart_images` (headless Chromium), svglib turns the SVG
into reportlab drawings, so the pack stays small and sharp at any zoom. Every data text goes into
the PDF escaped, so a toelichting with markup (``<b>``, ``<script>``) is printed literally.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import Engine, inspect
from svglib.fonts import register_font as register_svg_font
from svglib.svglib import svg2rlg

from . import figures, queries, schema, tables, urls
from .chart_images import ImageSpec
from .formatting import euro, number, pct, quarter_label
from .queries import Filters
from .schema import STATUSES

log = logging.getLogger(__name__)

SOURCE_LINE = "opvolgingsrapport meerjarenplan 2020–2025 (Power BI-rapport, status per kwartaal) · Beleidsmonitor"
PLAN_TITLE = "Meerjarenplan 2020–2025"
MONTHS = ("januari februari maart april mei juni juli augustus september oktober november december").split()


# --- scope ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a pack covers: the whole plan, one pillar (slug) or one SDG (number)."""

    kind: str  # "plan" | "pillar" | "sdg"
    key: str | int | None = None

    @classmethod
    def parse(cls, text: str) -> Scope:
        """'plan', 'pillar:people' or 'sdg:3' → a Scope; ValueError (Dutch message) otherwise."""
        value = (text or "").strip().lower()
        if value == "plan":
            return cls("plan")
        kind, _, key = value.partition(":")
        if kind in ("pillar", "pijler") and key in urls.PILLAR_SLUGS:
            return cls("pillar", key)
        if kind == "sdg" and key.isdigit() and 1 <= int(key) <= 17:
            return cls("sdg", int(key))
        raise ValueError(
            f"onbekende reikwijdte '{text}': gebruik plan, pillar:<{'|'.join(urls.PILLAR_SLUGS)}> of sdg:<1–17>"
        )

    @property
    def code(self) -> str:
        """The scope in a file name: 'Meerjarenplan', 'People', 'SDG03'."""
        if self.kind == "sdg":
            return f"SDG{int(self.key):02d}"
        if self.kind == "pillar":
            return str(self.key).capitalize()
        return "Meerjarenplan"

    def __str__(self) -> str:
        return "plan" if self.kind == "plan" else f"{self.kind}:{self.key}"


def pack_filename(scope: Scope, quarter: str) -> str:
    """'Raadspakket_SDG03_2023KW1.pdf'."""
    return f"Raadspakket_{scope.code}_{quarter}.pdf"


# --- the pack as data ----------------------------------------------------------------------------


@dataclass
class Chart:
    """A figure and the width (CSS pixels) it is drawn at; its height comes from the figure."""

    figure: dict
    width: int


@dataclass
class TaskGroup:
    """The tasks of one action plan, as :func:`tables.task_table` gives them."""

    heading: str  # 'AP02 Welzijn en de gezondheid optimaliseren'
    title: str  # the action plan's full title
    rows: pd.DataFrame


@dataclass
class Summary:
    """A compact table of the SDGs of a pillar or the pillars of the plan."""

    title: str
    header: str
    rows: list[tuple[str, pd.Series | None]]  # (label, overview row); None: no action plans
    total: pd.Series | None = None


@dataclass
class Section:
    """One pillar, SDG or overview part of the pack, in the order the pages show it."""

    level: int  # outline depth
    title: str
    subtitle: str = ""
    colour: str | None = None
    kpis: pd.Series | None = None
    notes: list[str] = field(default_factory=list)
    summary: Summary | None = None
    budget: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # (kind, tables.budget_table)
    charts: list[list[Chart]] = field(default_factory=list)  # rows of charts
    tasks: list[TaskGroup] | None = None  # None: this section lists no tasks
    empty: str | None = None  # why the section has nothing to show
    running: str = ""  # the short name in the running header of its pages


@dataclass
class Pack:
    """Everything a council pack shows, independent of how it is drawn."""

    scope: Scope
    org_name: str
    filters: Filters
    title: str
    subtitle: str
    colour: str
    synthetic: bool
    generated: datetime
    kpis: pd.Series | None
    sections: list[Section]
    synthetic_note: str | None = None

    @property
    def filter_text(self) -> str:
        """'Departement: alle · Status: Bezig'."""
        dept = ", ".join(self.filters.departments) if self.filters.departments else "alle"
        stat = ", ".join(self.filters.statuses) if self.filters.statuses else "alle"
        return f"Departement: {dept} · Status: {stat}"

    @property
    def filename(self) -> str:
        """'Raadspakket_SDG03_2023KW1.pdf'."""
        return pack_filename(self.scope, self.filters.quarter)


# Drawn sizes: a chart is laid out at `width` CSS pixels and drawn at PX_TO_PT of that (less where
# the slot is narrower), so the figures' 13 px text prints at 8–9 pt.
PX_TO_PT = 0.68
THIRD, HALF = 368, 630
DONUT_HEIGHT = 280


def quarter_source(engine: Engine, org: str, quarter: str) -> tuple[bool, str | None]:
    """Whether the store marks ``quarter`` as synthetic (generated for test and demo), and its note.

    Feature-checked: a store (or a code base) without the ``quarter_source`` marking has only
    reported quarters. A marking that cannot be read is logged and counts as reported.
    """
    sources = getattr(queries, "quarter_sources", None)
    if sources is None or getattr(schema, "quarter_source", None) is None:
        return False, None
    try:
        if not inspect(engine).has_table(schema.quarter_source.name):
            return False, None
        frame = sources(engine, org)
    except Exception:  # the pack must not fail on its label; the log says why it is missing
        log.warning("could not read the source of quarter %s", quarter, exc_info=True)
        return False, None
    match = frame[frame["quarter"] == quarter]
    if match.empty or not bool(match["synthetic"].iloc[0]):
        return False, None
    note = match["note"].iloc[0] if "note" in match else None
    return True, note if isinstance(note, str) and note.strip() else None


def _totals(frame: pd.DataFrame) -> pd.Series:
    from .pages.common import totals  # the pages' own KPI arithmetic (zero-total rule included)

    return totals(frame)


def _sdg_rows(engine: Engine, f: Filters, pillar: str | None = None) -> pd.DataFrame:
    return queries.sdg_overview(engine, f, pillar=pillar)


def _status_counts(row: pd.Series) -> dict[str, int]:
    return {s: int(row[s]) for s in STATUSES}


def _donuts(row: pd.Series, name: str, caption: str) -> list[Chart]:
    """The status, uitgaven and ontvangsten donuts of a scope (as its page shows them)."""
    return [
        Chart(
            figures.status_donut(
                _status_counts(row), title=f"{name}: taken per status", caption=caption, height=DONUT_HEIGHT
            ),
            THIRD,
        ),
        Chart(
            figures.budget_donut(
                row["uitgaven_besteld"],
                row["uitgaven_totaal"],
                kind="uitgaven",
                title=f"{name}: uitgaven, besteld en resterend",
                caption=caption,
                height=DONUT_HEIGHT,
            ),
            THIRD,
        ),
        Chart(
            figures.budget_donut(
                row["ontvangsten_ontvangen"],
                row["ontvangsten_totaal"],
                kind="ontvangsten",
                title=f"{name}: ontvangsten, ontvangen en resterend",
                caption=caption,
                height=DONUT_HEIGHT,
            ),
            THIRD,
        ),
    ]


def _budget_bar_pair(frame: pd.DataFrame, label: str, title: str, caption: str, width: int = HALF) -> list[Chart]:
    """Uitgaven and ontvangsten bars per row of ``frame`` (title gets 'uitgaven'/'ontvangsten')."""
    return [
        Chart(
            figures.budget_bars(
                frame,
                label=label,
                total=f"{kind}_totaal",
                realised="uitgaven_besteld" if kind == "uitgaven" else "ontvangsten_ontvangen",
                kind=kind,
                title=title.format(kind=kind),
                caption=caption,
            ),
            width,
        )
        for kind in ("uitgaven", "ontvangsten")
    ]


def _task_groups(engine: Engine, f: Filters, sdg: int, plans: pd.DataFrame) -> list[TaskGroup]:
    """The SDG's tasks per action plan, in plan order (action plans without shown tasks left out)."""
    rows = tables.task_table(queries.tasks(engine, f, sdg=sdg))
    plan_of = rows["_task_id"].str[:8]
    groups = []
    for _, plan in plans.iterrows():
        chosen = rows[plan_of == plan["key"]]
        if len(chosen):
            groups.append(TaskGroup(f"{plan['key'][-4:]} {plan['label']}", plan["title"], chosen))
    return groups


def _sdg_section(engine: Engine, f: Filters, info: pd.Series, row: pd.Series, caption: str, level: int) -> Section:
    """An SDG as its page shows it: KPIs, UITGAVEN and ONTVANGSTEN, donuts, bars per action plan, tasks."""
    n = int(info["number"])
    section = Section(
        level,
        f"SDG {n:02d}: {info['title']}",
        f"{info['short_name']} · pijler {info['pillar_name']}",
        info["colour"],
        running=f"{info['pillar_name']} › SDG {n:02d} · {info['short_name']}",
    )
    if int(info["action_plans"]) == 0:
        section.empty = (
            f"Het meerjarenplan heeft geen actieplannen onder SDG {n}. Er zijn dus geen taken of budgetten om te tonen."
        )
        return section
    rows = queries.action_plan_overview(engine, f, n)
    section.kpis = row
    goal = rows[rows["level"] == "beleidsdoelstelling"]
    if len(goal):
        section.notes.append(
            "De bron houdt het budget van deze SDG bij op het niveau van de beleidsdoelstelling, "
            "niet per actieplan; de tabellen tonen daarom één budgetlijn."
        )
    elif f.departments:
        unfiltered = queries.action_plan_overview(engine, Filters(f.org, f.quarter), n)
        if (unfiltered["level"] == "beleidsdoelstelling").any():
            section.notes.append(
                "Het budget van deze SDG staat op beleidsdoelstellingsniveau en kan niet aan een "
                "departement toegewezen worden; met een departementsfilter wordt het niet getoond."
            )
    section.budget = [
        (kind, tables.budget_table(rows, kind, info["short_name"])) for kind in ("uitgaven", "ontvangsten")
    ]
    plans = rows[rows["level"] == "actieplan"].copy()
    plans["label_full"] = [f"{k[-4:]} {lab}" for k, lab in zip(plans["key"], plans["label"])]
    budget_rows = plans[plans["has_budget"]]
    if len(goal):
        budget_rows = goal.assign(label_full=goal["label"])
    section.charts = [
        _donuts(row, f"SDG {n}", caption),
        _budget_bar_pair(budget_rows, "label_full", f"SDG {n}: {{kind}} per actieplan", caption),
    ]
    section.tasks = _task_groups(engine, f, n, plans)
    return section


def _summary(title: str, header: str, rows: pd.DataFrame, labels: Sequence[str], total: pd.Series) -> Summary:
    entries = [
        (label, r if int(r.get("action_plans", 1)) > 0 else None)
        for label, (_, r) in zip(labels, rows.iterrows(), strict=True)
    ]
    return Summary(title, header, entries, total)


def _pillar_sections(engine: Engine, f: Filters, pillar: pd.Series, caption: str, level: int) -> list[Section]:
    """A pillar as its page shows it (KPIs, SDG table, donuts, bars per SDG), then each of its SDGs."""
    slug, name = pillar["key"], pillar["name"]
    sdg_rows = _sdg_rows(engine, f, pillar=slug)
    numbers = ", ".join(str(int(k)) for k in sdg_rows["key"])
    section = Section(level, f"Pijler {name}", f"SDG {numbers}" if numbers else "", running=name)
    if not len(sdg_rows) or int(sdg_rows["action_plans"].sum()) == 0:
        section.empty = f"Het meerjarenplan 2020–2025 heeft geen actieplannen, taken of budget onder {name}" + (
            f" (SDG {numbers})." if numbers else "."
        )
        return [section]
    overall = _totals(sdg_rows)
    section.kpis = overall
    labels = [f"SDG {int(k)} {s}" for k, s in zip(sdg_rows["key"], sdg_rows["short_name"])]
    section.summary = _summary(f"SDG's van {name}", "SDG", sdg_rows, labels, overall)
    plotted = sdg_rows[sdg_rows["action_plans"] > 0].copy()
    plotted["label"] = [f"SDG {int(k)} {n}" for k, n in zip(plotted["key"], plotted["short_name"])]
    section.charts = [
        _donuts(overall, name, caption),
        _budget_bar_pair(plotted, "label", f"{name}: {{kind}} per SDG", caption),
    ]
    sections = [section]
    for _, row in sdg_rows.iterrows():
        if int(row["action_plans"]) > 0:
            info = row.rename({"key": "number"})
            sections.append(_sdg_section(engine, f, info, row, caption, level + 1))
    return sections


def _org_name(engine: Engine, org: str) -> str:
    orgs = queries.list_organisations(engine)
    match = orgs[orgs["id"] == org]
    return str(match["name"].iloc[0]) if len(match) else org


def _sdg_pack(engine: Engine, f: Filters, number: int, caption: str) -> dict:
    all_sdgs = _sdg_rows(engine, f)
    match = all_sdgs[all_sdgs["key"] == number]
    if match.empty:
        raise ValueError(f"SDG {number} bestaat niet voor bestuur '{f.org}'")
    row = match.iloc[0]
    section = _sdg_section(engine, f, row.rename({"key": "number"}), row, caption, 0)
    return {
        "title": section.title,
        "subtitle": section.subtitle,
        "colour": row["colour"],
        "kpis": section.kpis,
        "sections": [section],
    }


def _pillar_pack(engine: Engine, f: Filters, slug: str, caption: str) -> dict:
    pillar_rows = queries.pillar_overview(engine, f)
    pillar = pillar_rows[pillar_rows["key"] == slug].iloc[0]
    sections = _pillar_sections(engine, f, pillar, caption, 0)
    return {
        "title": f"Pijler {pillar['name']}",
        "subtitle": f"{PLAN_TITLE} · {sections[0].subtitle}",
        "colour": figures.TEXT_COLOUR,
        "kpis": sections[0].kpis,
        "sections": sections,
    }


def _plan_pack(engine: Engine, f: Filters, caption: str) -> dict:
    """The overview page (pillar table, tasks and uitgaven per SDG), then every pillar with its SDGs."""
    pillar_rows = queries.pillar_overview(engine, f)
    overall = _totals(pillar_rows)
    sdg_rows = _sdg_rows(engine, f)
    overview = Section(
        0,
        "Overzicht",
        "De voortgang van het meerjarenplan per pijler: taken, uitgaven en ontvangsten.",
        running="Overzicht",
    )
    overview.kpis = overall
    pillar_sdgs = {
        p: ", ".join(str(int(k)) for k in sdg_rows.loc[sdg_rows["pillar_id"] == p, "key"]) for p in pillar_rows["key"]
    }
    labels = [f"{name} (SDG {pillar_sdgs[k]})" for k, name in zip(pillar_rows["key"], pillar_rows["name"])]
    with_plans = pillar_rows.assign(
        action_plans=[int(sdg_rows.loc[sdg_rows["pillar_id"] == k, "action_plans"].sum()) for k in pillar_rows["key"]]
    )
    overview.summary = _summary("Pijlers", "Pijler", with_plans, labels, overall)
    with_tasks = sdg_rows[sdg_rows["action_plans"] > 0].copy()
    with_tasks["label"] = [f"SDG {int(k)} {n}" for k, n in zip(with_tasks["key"], with_tasks["short_name"])]
    status_fig = figures.status_bars(with_tasks, label="label", title="Taken per SDG en status", caption=caption)
    money_fig = figures.budget_bars(
        with_tasks,
        label="label",
        total="uitgaven_totaal",
        realised="uitgaven_besteld",
        kind="uitgaven",
        title="Uitgaven per SDG: totaal en besteld",
        caption=caption,
    )
    overview.charts = [[Chart(status_fig, HALF), Chart(money_fig, HALF)]]
    sections = [overview]
    for _, pillar in pillar_rows.iterrows():
        sections += _pillar_sections(engine, f, pillar, caption, 0)
    return {
        "title": PLAN_TITLE,
        "subtitle": "Alle pijlers, SDG's en actieplannen met hun taken en budget.",
        "colour": "#00689D",
        "kpis": overall,
        "sections": sections,
    }


def collect(engine: Engine, scope: Scope, filters: Filters, *, generated: datetime | None = None) -> Pack:
    """Assemble the pack of ``scope`` under ``filters`` from the store (no rendering yet).

    Raises ValueError (a Dutch message) when the store has no such quarter or SDG.
    """
    quarters = queries.list_quarters(engine, filters.org)
    if filters.quarter not in quarters:
        known = ", ".join(quarters) or "geen"
        raise ValueError(f"kwartaal '{filters.quarter}' staat niet in de store (wel: {known})")
    org_name = _org_name(engine, filters.org)
    synthetic, note = quarter_source(engine, filters.org, filters.quarter)
    # Charts of a synthetic quarter say so in their caption too (an argument that comes with the marking).
    labelled = {"synthetic": True} if synthetic else {}
    caption = figures.caption_text(org_name, filters.quarter, filters.departments, filters.statuses, **labelled)
    if scope.kind == "sdg":
        parts = _sdg_pack(engine, filters, int(scope.key), caption)
    elif scope.kind == "pillar":
        parts = _pillar_pack(engine, filters, str(scope.key), caption)
    else:
        parts = _plan_pack(engine, filters, caption)
    return Pack(
        scope=scope,
        org_name=org_name,
        filters=filters,
        synthetic=synthetic,
        synthetic_note=note,
        generated=generated or datetime.now().astimezone(),
        **parts,
    )


# --- drawing -------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)
INK = "#1B2733"
MUTED = "#5B6B7B"
LINE = "#DFE5EC"
SHADE = "#F4F6F9"
WARN = "#B42318"


def text(value) -> str:
    """A data value as reportlab paragraph markup that prints it literally (escaped, line breaks kept)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    clean = _CONTROL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return escape(clean).replace("\n", "<br/>")


CHART_FONT = "DejaVu Sans"


@functools.cache
def _fonts() -> tuple[str, str]:
    """(regular, bold) font names: DejaVu Sans where installed (wide Unicode coverage), else Helvetica.

    The font is registered through svglib, so the charts' text (laid out by Chromium in the same
    DejaVu Sans) and the pack's text share one embedded font.
    """
    for folder in FONT_CANDIDATES:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            register_svg_font(CHART_FONT, str(regular), rlgFontName="PackSans")
            register_svg_font(CHART_FONT, str(bold), weight="bold", rlgFontName="PackSans-Bold")
            pdfmetrics.registerFontFamily("PackSans", normal="PackSans", bold="PackSans-Bold")
            return "PackSans", "PackSans-Bold"
    log.warning("DejaVu Sans not found; the pack uses Helvetica (characters outside Latin-1 may be missing)")
    return "Helvetica", "Helvetica-Bold"


@functools.cache
def _styles() -> dict:

    regular, bold = _fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=9, leading=11.5, textColor=HexColor(INK))
    return {
        "base": base,
        "small": ParagraphStyle("small", base, fontSize=8, leading=10),
        "muted": ParagraphStyle("muted", base, fontSize=8, leading=10, textColor=HexColor(MUTED)),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
        "cell_bold": ParagraphStyle("cell_bold", base, fontName=bold, fontSize=8, leading=10),
        "toelichting": ParagraphStyle("toelichting", base, fontSize=8.5, leading=10.8),
        "num": ParagraphStyle("num", base, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        "num_bold": ParagraphStyle("num_bold", base, fontName=bold, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontName=bold, fontSize=8, leading=10, textColor=HexColor(MUTED)),
        "head_num": ParagraphStyle(
            "head_num", base, fontName=bold, fontSize=8, leading=10, textColor=HexColor(MUTED), alignment=TA_RIGHT
        ),
        "label": ParagraphStyle("label", base, fontName=bold, fontSize=9, leading=12, textColor=HexColor(MUTED)),
        "h1": ParagraphStyle("h1", base, fontName=bold, fontSize=17, leading=21),
        "h2": ParagraphStyle("h2", base, fontName=bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4),
        "h3": ParagraphStyle("h3", base, fontName=bold, fontSize=10, leading=13, spaceBefore=8, spaceAfter=1),
        "title_kicker": ParagraphStyle(
            "title_kicker", base, fontName=bold, fontSize=11, leading=14, textColor=HexColor(MUTED)
        ),
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=26, leading=31, spaceAfter=6),
        "title_sub": ParagraphStyle("title_sub", base, fontSize=13, leading=17, textColor=HexColor(MUTED)),
        "stand": ParagraphStyle("stand", base, fontName=bold, fontSize=20, leading=25),
        "kpi_label": ParagraphStyle("kpi_label", base, fontSize=7.5, leading=9, textColor=HexColor(MUTED)),
        "kpi_value": ParagraphStyle("kpi_value", base, fontName=bold, fontSize=16, leading=20),
        "warn": ParagraphStyle("warn", base, fontName=bold, fontSize=11, leading=14, textColor=HexColor(WARN)),
    }


PAGE_MARGIN = 34  # pt
FOOTER_Y = 18


def _page_size() -> tuple[float, float]:
    return landscape(A4)


def _frame_size() -> tuple[float, float]:
    width, height = _page_size()
    return width - 2 * PAGE_MARGIN, height - PAGE_MARGIN - (PAGE_MARGIN + 10)


def _para(markup: str, style: str):

    return Paragraph(markup, _styles()[style])


def _heading(markup: str):
    """A block heading that never ends a page on its own."""
    heading = _para(markup, "h2")
    heading.keepWithNext = 1
    return heading


def _kpi_table(row: pd.Series):
    """Tasks, % voltooid, uitgaven and ontvangsten of one scope, as the pages' KPI row."""
    items = [
        (
            "TAKEN",
            number(row["tasks"]),
            f"{int(row['Niet gestart'])} niet gestart · {int(row['Bezig'])} bezig · {int(row['Voltooid'])} voltooid",
        ),
        ("VOLTOOID", pct(row["pct_voltooid"]) if row["tasks"] else "–", "van de taken"),
        (
            "UITGAVEN (BUDGET)",
            euro(row["uitgaven_totaal"]),
            f"{euro(row['uitgaven_besteld'])} besteld ({pct(row['besteld_pct'])})",
        ),
        (
            "ONTVANGSTEN (BUDGET)",
            euro(row["ontvangsten_totaal"]),
            f"{euro(row['ontvangsten_ontvangen'])} ontvangen ({pct(row['ontvangen_pct'])})",
        ),
    ]
    cells = [[_para(text(a), "kpi_label"), _para(text(b), "kpi_value"), _para(text(c), "muted")] for a, b, c in items]
    width = _frame_size()[0]
    table = Table([cells], colWidths=[width / 4] * 4)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, HexColor(LINE)),
                ("LINEAFTER", (0, 0), (-2, -1), 0.6, HexColor(LINE)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _budget_flowable(kind: str, frame: pd.DataFrame):
    """The UITGAVEN or ONTVANGSTEN table in the report's layout (goal as a group row, Totaal row bold)."""
    headers = tables.BUDGET_HEADERS[kind]
    shown = headers[1:]
    money = {"Totaal", "Besteld", "Ontvangen", "Resterend"}
    data = [[_para(text(h), "head" if h == "Label" else "head_num") for h in shown]]
    goal = frame[headers[0]].iloc[0] if len(frame) > 1 else ""
    style = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor(MUTED)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if goal:
        data.append([_para(text(goal), "cell_bold")] + [""] * (len(shown) - 1))
        style += [("SPAN", (0, 1), (-1, 1)), ("BACKGROUND", (0, 1), (-1, 1), HexColor(SHADE))]
    for _, row in frame.iterrows():
        is_total = row["_level"] == "totaal"
        cells = []
        for h in shown:
            value = row[h]
            if h in money:
                shown_value = euro(value)
            elif h.endswith("%"):
                shown_value = pct(value)
            elif h == "# Taken":
                shown_value = str(int(value))
            else:
                shown_value = "Totaal" if is_total else value
            if h == "Label":
                cells.append(_para(text(shown_value), "cell_bold" if is_total else "cell"))
            else:
                cells.append(_para(text(shown_value), "num_bold" if is_total else "num"))
        data.append(cells)
        if is_total:
            style.append(("LINEABOVE", (0, len(data) - 1), (-1, len(data) - 1), 1.2, HexColor(INK)))
        else:
            style.append(("LINEBELOW", (0, len(data) - 1), (-1, len(data) - 1), 0.4, HexColor(LINE)))
    width = _frame_size()[0]
    label_width = width - 5 * 92
    table = Table(data, colWidths=[label_width] + [92] * 5, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return [_heading(kind.upper()), table]


def _summary_flowable(summary: Summary):
    """A row per SDG (or pillar): tasks by status, % voltooid, uitgaven and ontvangsten with their %."""
    heads = [
        summary.header,
        "Taken",
        "Niet gestart",
        "Bezig",
        "Voltooid",
        "% voltooid",
        "Uitgaven",
        "Besteld %",
        "Ontvangsten",
        "Ontvangen %",
    ]
    data = [[_para(text(h), "head" if i == 0 else "head_num") for i, h in enumerate(heads)]]
    style = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor(MUTED)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]

    def values(r: pd.Series) -> list[str]:
        return [
            number(r["tasks"]),
            number(r["Niet gestart"]),
            number(r["Bezig"]),
            number(r["Voltooid"]),
            pct(r["pct_voltooid"]) if r["tasks"] else "–",
            euro(r["uitgaven_totaal"]),
            pct(r["besteld_pct"]),
            euro(r["ontvangsten_totaal"]),
            pct(r["ontvangen_pct"]),
        ]

    for label, r in summary.rows:
        if r is None:
            data.append([_para(text(label), "cell"), _para("geen actieplannen", "muted")] + [""] * (len(heads) - 2))
            style.append(("SPAN", (1, len(data) - 1), (-1, len(data) - 1)))
        else:
            data.append([_para(text(label), "cell")] + [_para(text(v), "num") for v in values(r)])
        style.append(("LINEBELOW", (0, len(data) - 1), (-1, len(data) - 1), 0.4, HexColor(LINE)))
    if summary.total is not None:
        data.append([_para("Totaal", "cell_bold")] + [_para(text(v), "num_bold") for v in values(summary.total)])
        style.append(("LINEABOVE", (0, len(data) - 1), (-1, len(data) - 1), 1.2, HexColor(INK)))
    width = _frame_size()[0]
    numeric = [48, 62, 48, 56, 62, 86, 62, 86, 70]
    table = Table(data, colWidths=[width - sum(numeric)] + numeric, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return [_heading(text(summary.title)), table]


def _status_markup(status: str) -> str:
    colour = figures.STATUS_COLOURS.get(status, MUTED)
    return f'<font color="{colour}">■</font> {text(status)}'


TASK_WIDTHS = (118, 178, 64)  # Actie, Taak, Status; the Toelichting takes the rest


def _task_flowables(groups: list[TaskGroup]):
    """Per action plan a table whose first two rows, the action plan and the column headers, repeat
    on every page it runs over; long rows split across pages."""
    width = _frame_size()[0]
    widths = [*TASK_WIDTHS, width - sum(TASK_WIDTHS)]
    out = []
    for group in groups:
        heading = _para(
            f"{text(group.heading)} <font size=8 color='{MUTED}'>· {len(group.rows)} "
            f"{'taak' if len(group.rows) == 1 else 'taken'}</font>",
            "h3",
        )
        title = _para(text(group.title), "muted")
        data = [[[heading, title], "", "", ""], [_para(h, "head") for h in ("Actie", "Taak", "Status", "Toelichting")]]
        for _, row in group.rows.iterrows():
            task_cell = [_para(text(row["Taak"]), "cell")]
            if row["Departement"]:
                task_cell.append(_para(f"Departement: {text(row['Departement'])}", "muted"))
            toelichting = text(row["Toelichting"]) or f"<font color='{MUTED}'>(geen toelichting)</font>"
            data.append(
                [
                    _para(text(row["Actie"]), "cell"),
                    task_cell,
                    _para(_status_markup(row["Status"]), "cell"),
                    _para(toelichting, "toelichting"),
                ]
            )
        table = Table(data, colWidths=widths, repeatRows=2, splitInRow=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("SPAN", (0, 0), (-1, 0)),
                    ("LEFTPADDING", (0, 0), (-1, 0), 0),
                    ("TOPPADDING", (0, 0), (-1, 0), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
                    ("LINEBELOW", (0, 1), (-1, 1), 0.8, HexColor(MUTED)),
                    ("LINEBELOW", (0, 2), (-1, -1), 0.4, HexColor(LINE)),
                    ("BACKGROUND", (0, 1), (-1, 1), HexColor(SHADE)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 1), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
                ]
            )
        )
        # Room for the heading rows and a first task, else a new page; the table itself splits by
        # rows (and inside a long row), so a group never leaves half a page empty.
        out += [CondPageBreak(110) if out else Spacer(0, 0), table]
    return out


def _drawing(svg: bytes, factor: float):
    """An SVG as a reportlab drawing (vector), scaled by ``factor``."""
    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:
        raise ValueError("chart SVG could not be read")
    drawing.width, drawing.height = drawing.width * factor, drawing.height * factor
    drawing.scale(factor, factor)
    return drawing


def _chart_row(charts: list[Chart], images: dict[int, bytes]):
    """Charts side by side, each at PX_TO_PT of its pixel size, shrunk to fit its slot and the frame."""
    frame_width, frame_height = _frame_size()
    gap = 8
    slot = (frame_width - gap * (len(charts) - 1)) / len(charts)
    cells = []
    for chart in charts:
        px_height = chart.figure["layout"].get("height", 300)
        factor = min(slot / chart.width, PX_TO_PT, (frame_height - 40) / px_height)
        cells.append(_drawing(images[id(chart)], factor))
    table = Table([cells], colWidths=[slot] * len(charts), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), gap if len(charts) > 1 else 0),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


class _Bookmark(Flowable):
    """An invisible flowable that puts an outline entry (PDF bookmark) where it lands, and names
    the section in the running header from there on (``running``)."""

    def __init__(self, title: str, level: int, running: str | None = None):
        super().__init__()
        self.outline = (title, level)
        self.running = running

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        pass


def _section_heading(section: Section):
    """The section title with a coloured bar on its left, as the pages' header."""
    cells = [_para(text(section.title), "h1")]
    if section.subtitle:
        cells.append(_para(text(section.subtitle), "muted"))
    table = Table([[cells]], colWidths=[_frame_size()[0]], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBEFORE", (0, 0), (0, -1), 6, HexColor(section.colour or "#00689D")),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    table.keepWithNext = 1
    return table


def _section_flowables(section: Section, images: dict[int, bytes], first: bool):

    out = [] if first else [PageBreak()]
    out += [_Bookmark(section.title, section.level, section.running), _section_heading(section), Spacer(0, 8)]
    if section.empty:
        out.append(_para(text(section.empty), "base"))
        return out
    if section.kpis is not None and not first:  # the first section's figures are on the title page
        out += [_kpi_table(section.kpis), Spacer(0, 6)]
    for note in section.notes:
        out.append(_para(f"<i>{text(note)}</i>", "muted"))
    if section.summary is not None:
        out += _summary_flowable(section.summary)
    for kind, frame in section.budget:
        out += _budget_flowable(kind, frame)
    if section.charts:
        out += [CondPageBreak(230), _Bookmark("Grafieken", section.level + 1), _heading("Grafieken")]
        out += [_chart_row(row, images) for row in section.charts]
    if section.tasks is not None:
        total = sum(len(g.rows) for g in section.tasks)
        out += [CondPageBreak(160), _Bookmark(f"Taken ({total})", section.level + 1), _heading(f"Taken ({total})")]
        if section.tasks:
            out += _task_flowables(section.tasks)
        else:
            out.append(_para("Geen taken voor deze selectie.", "base"))
    return out


def _date_text(moment: datetime) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} om {moment:%H:%M}"


def _title_flowables(pack: Pack):

    out = [
        Spacer(0, 26),
        _para("RAADSPAKKET · BELEIDSMONITOR", "title_kicker"),
        Spacer(0, 8),
        _para(text(pack.title), "title"),
        _para(text(pack.subtitle), "title_sub"),
        Spacer(0, 16),
        _para(f"Stand van zaken {text(quarter_label(pack.filters.quarter))}", "stand"),
        Spacer(0, 10),
    ]
    if pack.synthetic:
        warning = Table(
            [
                [
                    [
                        _para(
                            f"SYNTHETISCHE GEGEVENS — {text(quarter_label(pack.filters.quarter))} is gegenereerd "
                            "voor test en demonstratie, niet door de stad gerapporteerd. "
                            "Niet gebruiken als beleidsinformatie.",
                            "warn",
                        ),
                        _para(text(pack.synthetic_note), "muted") if pack.synthetic_note else Spacer(0, 0),
                    ]
                ]
            ],
            colWidths=[_frame_size()[0]],
        )
        warning.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.5, HexColor(WARN)),
                    ("BACKGROUND", (0, 0), (-1, -1), HexColor("#FEF3F2")),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 7),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        out += [warning, Spacer(0, 10)]
    facts = [
        ("Bestuur", pack.org_name),
        ("Onderwerp", {"plan": "het hele meerjarenplan", "pillar": "één pijler", "sdg": "één SDG"}[pack.scope.kind]),
        ("Filters", pack.filter_text),
        ("Gemaakt op", _date_text(pack.generated)),
        ("Bron", SOURCE_LINE),
        (
            "Gegevens",
            "synthetisch (gegenereerd kwartaal)" if pack.synthetic else "zoals gerapporteerd in het opvolgingsrapport",
        ),
    ]
    fact_table = Table(
        [[_para(text(k), "label"), _para(text(v), "base")] for k, v in facts],
        colWidths=[90, _frame_size()[0] - 90],
        hAlign="LEFT",
    )
    fact_table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    out += [fact_table, Spacer(0, 16)]
    if pack.kpis is not None:
        out.append(_kpi_table(pack.kpis))
    out += [NextPageTemplate("body"), PageBreak()]
    return out


def _footer_text(pack: Pack) -> str:
    parts = [f"Raadspakket {pack.title if pack.scope.kind != 'sdg' else f'SDG {int(pack.scope.key):02d}'}"]
    parts += [pack.org_name, f"stand van zaken {quarter_label(pack.filters.quarter)}"]
    if pack.filters.departments or pack.filters.statuses:
        parts.append(pack.filter_text)
    return " · ".join(parts)


TOTAL_PAGES_FORM = "packTotalPages"


def _canvas_class(pack: Pack):
    """A canvas that prints the footer and 'pagina N van M' on every page.

    M is unknown until the end, so it is a form XObject that every page references and that is
    drawn once, at save; deferring whole pages instead would break the PDF outline.
    """
    regular, bold = _fonts()
    footer = _footer_text(pack)
    width, _ = _page_size()

    class PackCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages_drawn = 0

        def showPage(self):
            self._pages_drawn += 1
            self.saveState()
            self.setStrokeColor(HexColor(LINE))
            self.setLineWidth(0.6)
            self.line(PAGE_MARGIN, FOOTER_Y + 11, width - PAGE_MARGIN, FOOTER_Y + 11)
            self.setFont(regular, 7.5)
            self.setFillColor(HexColor(MUTED))
            self.drawString(PAGE_MARGIN, FOOTER_Y, footer[:170])
            if pack.synthetic:
                self.setFillColor(HexColor(WARN))
                self.setFont(bold, 7.5)
                self.drawString(PAGE_MARGIN + stringWidth(footer[:170] + "  ", regular, 7.5), FOOTER_Y, "SYNTHETISCH")
            self.setFillColor(HexColor(INK))
            self.setFont(regular, 8)
            label = f"pagina {self._pages_drawn} van "
            x = width - PAGE_MARGIN - stringWidth("pagina 000 van 000", regular, 8)
            self.drawString(x, FOOTER_Y, label)
            self.translate(x + stringWidth(label, regular, 8), FOOTER_Y)
            self.doForm(TOTAL_PAGES_FORM)
            self.restoreState()
            super().showPage()

        def save(self):
            self.beginForm(TOTAL_PAGES_FORM)
            self.setFont(regular, 8)
            self.setFillColor(HexColor(INK))
            self.drawString(0, 0, str(self._pages_drawn))
            self.endForm()
            super().save()

    return PackCanvas


@dataclass(frozen=True)
class RenderedPack:
    """The PDF of a pack, with what is worth reporting about it."""

    pdf: bytes
    pages: int
    charts: int
    seconds: float


def _print_figure(figure: dict) -> dict:
    """The figure as printed: in the pack's font (Chromium lays the text out in the font the PDF
    draws it with, so labels keep their measured widths), and with at most four value ticks,
    which stay horizontal in a half-page chart."""
    layout = dict(figure["layout"])
    font = layout.get("font", {})
    if _fonts()[0] != "Helvetica":  # one family, no fallback list: svglib parses it for every text
        layout["font"] = {**font, "family": CHART_FONT}
    if "xaxis" in layout and layout["xaxis"].get("visible", True):
        layout["xaxis"] = {**layout["xaxis"], "nticks": 4}
    return {**figure, "layout": layout}


def chart_specs(pack: Pack) -> list[tuple[Chart, ImageSpec]]:
    """Every chart of the pack with the SVG image to render for it."""
    return [
        (chart, ImageSpec(_print_figure(chart.figure), chart.width, int(chart.figure["layout"].get("height", 300))))
        for section in pack.sections
        for row in section.charts
        for chart in row
    ]


def render_pdf(pack: Pack, render_images: Callable[[list[ImageSpec]], list[bytes]] | None = None) -> RenderedPack:
    """Draw the pack as an A4-landscape PDF. ``render_images`` turns image specs into SVG bytes
    (default: the process's shared Chromium); it raises ChartRenderError when it cannot."""
    started = time.perf_counter()
    if render_images is None:
        from .chart_images import shared_imager

        render_images = shared_imager().render
    specs = chart_specs(pack)
    pngs = render_images([s for _, s in specs])
    images = {id(chart): png for (chart, _), png in zip(specs, pngs, strict=True)}

    width, height = _page_size()
    frame_width, frame_height = _frame_size()
    buffer = io.BytesIO()

    class PackDocument(BaseDocTemplate):
        running = ""

        def afterFlowable(self, flowable):
            if getattr(flowable, "running", None):
                self.running = flowable.running
            outline = getattr(flowable, "outline", None)
            if outline:
                title, level = outline
                key = f"o{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)

    def running_header(canv, doc):
        """The section the page belongs to, small at its top right (drawn when the page is full)."""
        if doc.running:
            canv.saveState()
            canv.setFont(_fonts()[0], 7.5)
            canv.setFillColor(HexColor(MUTED))
            canv.drawRightString(width - PAGE_MARGIN, height - 22, doc.running[:120])
            canv.restoreState()

    def title_band(canv, _doc):
        canv.saveState()
        canv.setFillColor(HexColor(pack.colour))
        canv.rect(0, height - 14, width, 14, stroke=0, fill=1)
        canv.restoreState()

    doc = PackDocument(
        buffer,
        pagesize=(width, height),
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=PAGE_MARGIN,
        bottomMargin=PAGE_MARGIN + 10,
        title=f"Raadspakket {pack.title} — {quarter_label(pack.filters.quarter)}",
        author=pack.org_name,
        subject=f"Beleidsmonitor, stand van zaken {quarter_label(pack.filters.quarter)}; {pack.filter_text}",
        creator="Beleidsmonitor",
        lang="nl-BE",
    )
    frame = Frame(PAGE_MARGIN, PAGE_MARGIN + 10, frame_width, frame_height, id="body", leftPadding=0, rightPadding=0)
    doc.addPageTemplates(
        [
            PageTemplate(id="title", frames=[frame], onPage=title_band),
            PageTemplate(id="body", frames=[frame], onPageEnd=running_header),
        ]
    )
    story = _title_flowables(pack)
    for i, section in enumerate(pack.sections):
        story += _section_flowables(section, images, first=i == 0)
    canvas_class = _canvas_class(pack)
    doc.build(story, canvasmaker=canvas_class)
    pdf = buffer.getvalue()
    return RenderedPack(pdf, doc.page, len(specs), time.perf_counter() - started)


def build_pack(
    engine: Engine,
    scope: Scope,
    filters: Filters,
    render_images: Callable[[list[ImageSpec]], list[bytes]] | None = None,
) -> tuple[Pack, RenderedPack]:
    """Collect and render the pack of ``scope`` under ``filters``."""
    pack = collect(engine, scope, filters)
    return pack, render_pdf(pack, render_images)


def command(args, settings) -> int:
    """``python -m dashboard pack``: write the pack of ``--scope`` to OUT; the exit code."""
    import sys

    from .chart_images import ChartRenderError, shared_imager
    from .parsing import ValueRuleError, parse_quarter
    from .store import get_engine

    engine = get_engine(settings.db_url)
    org = args.bestuur or settings.default_org
    try:
        scope = Scope.parse(args.scope)
        quarters = queries.list_quarters(engine, org)
        if not quarters:
            print(f"De store bevat geen gegevens voor bestuur '{org}'. Bouw hem eerst: python -m dashboard build")
            return 1
        quarter = parse_quarter(args.quarter) if args.quarter else quarters[-1]
        filters = Filters(org, quarter, tuple(args.departement), tuple(dict.fromkeys(args.status)))
        unknown = sorted(set(filters.departments) - set(queries.list_departments(engine, org)))
        if unknown:
            print(f"Opmerking: onbekend departement {', '.join(unknown)}; die selectie heeft geen taken.")
        pack, rendered = build_pack(engine, scope, filters)
    except (ValueError, ValueRuleError) as exc:
        print(f"pack: {exc}", file=sys.stderr)
        return 2
    except ChartRenderError as exc:
        print(f"Raadspakket niet gemaakt: {exc}", file=sys.stderr)
        return 1
    finally:
        shared_imager().close()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(rendered.pdf)
    print(
        f"Raadspakket {pack.title} ({quarter_label(quarter)}; {pack.filter_text}): {out} — "
        f"{rendered.pages} pagina's, {len(rendered.pdf) / 1024:.0f} kB, {rendered.charts} grafieken, "
        f"{rendered.seconds:.1f} s"
    )
    return 0
