"""The store's relational schema (SQLAlchemy Core), with its domain constraints."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

STATUSES = ("Niet gestart", "Bezig", "Voltooid")
BUDGET_KINDS = ("uitgaven", "ontvangsten")
# The UN "5P" pillars; the mapping of SDGs onto them is data (table ``sdg``), the pillars are vocabulary.
PILLARS = (
    ("people", "People", 1),
    ("planet", "Planet", 2),
    ("prosperity", "Prosperity", 3),
    ("peace", "Peace", 4),
    ("partnership", "Partnership", 5),
)

metadata = MetaData()

organisation = Table(
    "organisation",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
)

pillar = Table(
    "pillar",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("name", String(40), nullable=False, unique=True),
    Column("sort_order", Integer, nullable=False),
)

quarter = Table(
    "quarter",
    metadata,
    Column("code", String(7), primary_key=True),  # 2023KW1
    Column("year", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    CheckConstraint("number BETWEEN 1 AND 4", name="ck_quarter_number"),
    UniqueConstraint("year", "number", name="uq_quarter_year_number"),
)

sdg = Table(
    "sdg",
    metadata,
    Column("org_id", String(40), ForeignKey("organisation.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("short_name", String(200), nullable=False),
    Column("colour", String(7), nullable=False),
    Column("pillar_id", String(20), ForeignKey("pillar.id"), nullable=False),
    CheckConstraint("number BETWEEN 1 AND 17", name="ck_sdg_number"),
)

action_plan = Table(
    "action_plan",
    metadata,
    Column("org_id", String(40), primary_key=True),
    Column("code", String(20), primary_key=True),  # D03/AP02
    Column("sdg", Integer, nullable=False),
    Column("label", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("department", String(100)),
    ForeignKeyConstraint(["org_id", "sdg"], ["sdg.org_id", "sdg.number"]),
)

action = Table(
    "action",
    metadata,
    Column("org_id", String(40), primary_key=True),
    Column("code", String(30), primary_key=True),  # D03/AP02/04
    Column("action_plan", String(20), nullable=False),
    Column("text", Text, nullable=False),
    ForeignKeyConstraint(["org_id", "action_plan"], ["action_plan.org_id", "action_plan.code"]),
)

task = Table(
    "task",
    metadata,
    Column("org_id", String(40), primary_key=True),
    Column("id", String(40), primary_key=True),  # D03/AP02/04-1
    Column("action", String(30), nullable=False),
    Column("code", String(30)),  # the code as printed in the source; NULL when it shows none
    Column("name", Text, nullable=False),
    Column("department", String(100)),  # overrides the action plan's department
    ForeignKeyConstraint(["org_id", "action"], ["action.org_id", "action.code"]),
)

# One status and toelichting per task per quarter; later quarters are new rows, never edits.
task_update = Table(
    "task_update",
    metadata,
    Column("org_id", String(40), primary_key=True),
    Column("task_id", String(40), primary_key=True),
    Column("quarter", String(7), ForeignKey("quarter.code"), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("toelichting", Text, nullable=False, default=""),
    ForeignKeyConstraint(["org_id", "task_id"], ["task.org_id", "task.id"]),
    CheckConstraint("status IN ('Niet gestart', 'Bezig', 'Voltooid')", name="ck_task_update_status"),
    Index("ix_task_update_quarter", "org_id", "quarter"),
    # Quarter first and covering: the region-wide status counts read one quarter of every bestuur from the
    # index alone (queries.region_overview on 2 M task updates: ~560 ms → ~65 ms, bench/region.py).
    Index("ix_task_update_region", "quarter", "org_id", "status"),
)

# Budget lines: per action plan, or (action_plan NULL) for a whole policy goal as the source gives it.
budget = Table(
    "budget",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", String(40), nullable=False),
    Column("quarter", String(7), ForeignKey("quarter.code"), nullable=False),
    Column("sdg", Integer, nullable=False),
    Column("action_plan", String(20)),
    Column("scope", String(20), nullable=False),  # the action plan's code, or the policy goal's (D16)
    Column("kind", String(12), nullable=False),
    Column("total_cents", BigInteger, nullable=False),
    Column("realised_cents", BigInteger, nullable=False),  # besteld (uitgaven) / ontvangen (ontvangsten)
    ForeignKeyConstraint(["org_id", "sdg"], ["sdg.org_id", "sdg.number"]),
    ForeignKeyConstraint(["org_id", "action_plan"], ["action_plan.org_id", "action_plan.code"]),
    CheckConstraint("kind IN ('uitgaven', 'ontvangsten')", name="ck_budget_kind"),
    CheckConstraint("scope = COALESCE(action_plan, scope)", name="ck_budget_scope"),
    UniqueConstraint("org_id", "quarter", "scope", "kind", name="uq_budget_line"),
    Index("ix_budget_quarter", "org_id", "quarter"),
    # Quarter first and covering, for the region-wide budget sums (bench/region.py).
    Index("ix_budget_region", "quarter", "org_id", "kind", "total_cents", "realised_cents"),
)

# Where a bestuur's quarter comes from: real exports, or generated ("synthetisch") for test and demo,
# so every page can label synthetic figures as such. Written by the import that loads the quarter.
quarter_source = Table(
    "quarter_source",
    metadata,
    Column("org_id", String(40), ForeignKey("organisation.id"), primary_key=True),
    Column("quarter", String(7), ForeignKey("quarter.code"), primary_key=True),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("note", Text),
)

# A counter bumped by every write, so caches in every worker can tell that the data changed.
meta = Table(
    "meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)
