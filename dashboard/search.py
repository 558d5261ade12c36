"""Full-text search over task names and toelichtingen, in the database's own index.

Dutch, accent- and case-insensitive: every word is folded (accents off, lower case) and stemmed
with the Snowball Dutch stemmer, in Python, both when a text is indexed and when a query is read,
so "Oekraine" finds "Oekraïne" and "beek" finds "beken". The stemmed text is what the database
indexes: an FTS5 table on SQLite (ranked with bm25), a tsvector column with a GIN index on
PostgreSQL (ranked with ts_rank), both with the plain ``simple``/``unicode61`` tokenizers so the
two backends match the same rows.

A query word matches an indexed word with the same stem or, from six letters on, one that starts
with the folded query word (so "Oekraine" also finds "Oekraïnecrisis"); all query words must
match, and rows matching whole words rank before rows found through a compound. The index is
derived data: :func:`index_written` keeps it in step inside the importer's transaction, and
:func:`ensure_index` (called by ``store.create_schema``) creates it, filling it from the tables
when it is new. Highlighting (:func:`highlight`) applies the same rule to the original text, in
Python, and returns plain text pieces: the pages mark them with html.Mark, never as HTML.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
import snowballstemmer
from sqlalchemy import (
    Engine,
    and_,
    column,
    delete,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    select,
    table,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection

from . import schema
from .queries import UNASSIGNED, Filters

INDEX_TABLE = "search_index"
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
DEFAULT_LIMIT = 200  # results per search; the page says when there may be more
# Query words this long also match longer words that start with them (Dutch compounds: "Oekraine" finds
# "Oekraïnecrisis"); shorter ones match whole words only, or "beken" would find "bekend".
MIN_PREFIX = 6
NAME_WEIGHT, TEXT_WEIGHT = 3.0, 1.0  # a word in the task's name counts more than one in its toelichting
# Ignored in a query (unless nothing else is left): they are in almost every toelichting.
STOPWORDS = frozenset(
    "de het een van en in op te voor met aan door dat die is zijn of om bij als er tot uit naar ook".split()
)

# The index as SQL sees it (kept out of schema.metadata: it is derived, never exported or dumped).
_INDEX = table(
    INDEX_TABLE, column("org_id"), column("task_id"), column("quarter"), column("name"), column("toelichting")
)
# SQLite only: which FTS5 row (id = its rowid) holds which bestuur, quarter and task. FTS5 finds rows by
# its UNINDEXED columns only by reading every row (0.7 s at 600k rows, bench/region.py), so imports find
# a quarter's rows here, and each bestuur's rows get rowids in a block of their own (slot << SLOT_BITS
# onwards), which a search gives FTS5 as a rowid range: it then reads only that bestuur's part of the index.
ROWS_TABLE = f"{INDEX_TABLE}_rows"
_ROWS = table(ROWS_TABLE, column("id"), column("org_id"), column("quarter"), column("task_id"))
SLOT_BITS = 32
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# A word: letters and digits, with any combining accents that follow them (decomposed "ï" too).
_WORD = re.compile(rf"(?:[^\W_][{_COMBINING}]*)+")
_PART = re.compile(r"[^\W_]+")


# --- words ------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: 'Oekraïne' → 'oekraine', 'ﬁets' → 'fiets'."""
    if text.isascii():  # most words: nothing to decompose (indexing 4× faster, bench/region.py)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Dutch stem of a folded word ('beken' → 'bek', 'fietspaden' → 'fietspad')."""
    # A stemmer object keeps state while it works, so each (cached) call gets its own.
    return snowballstemmer.stemmer("dutch_porter").stemWord(word)


@dataclass(frozen=True)
class Word:
    """One word of a text: where it is, and the stems it is indexed under (usually one)."""

    start: int
    end: int
    stems: tuple[str, ...]


def words(text: str) -> list[Word]:
    """The words of ``text`` with their positions and stems, as the index sees them."""
    out = []
    for m in _WORD.finditer(text or ""):
        parts = _PART.findall(fold(m.group()))
        if parts:
            out.append(Word(m.start(), m.end(), tuple(stem(p) for p in parts)))
    return out


def index_text(text: str) -> str:
    """The text the database indexes: the stems of its words, separated by spaces."""
    # The stems of words(text) without building Word objects: every import indexes every task update.
    return " ".join(stem(p) for m in _WORD.finditer(text or "") for p in _PART.findall(fold(m.group())))


# --- queries ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One query word: matches an indexed stem equal to ``stem`` or starting with ``prefix``."""

    stem: str
    prefix: str | None

    def matches(self, indexed_stem: str) -> bool:
        return indexed_stem == self.stem or (self.prefix is not None and indexed_stem.startswith(self.prefix))


@dataclass(frozen=True)
class Query:
    """A parsed search: its terms (all must match) and the text as typed."""

    text: str
    terms: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def has_prefixes(self) -> bool:
        return any(t.prefix for t in self.terms)

    def fts5(self, *, whole_words: bool = False) -> str:
        """The FTS5 MATCH expression: ("bek" OR "beek"*) AND … (only the stems with ``whole_words``)."""
        return " AND ".join(
            f'("{t.stem}"' + (f' OR "{t.prefix}"*' if t.prefix and not whole_words else "") + ")" for t in self.terms
        )

    def tsquery(self, *, whole_words: bool = False) -> str:
        """The PostgreSQL to_tsquery text: ('bek' | 'beek':*) & … (only the stems with ``whole_words``)."""
        return " & ".join(
            f"('{t.stem}'" + (f" | '{t.prefix}':*" if t.prefix and not whole_words else "") + ")" for t in self.terms
        )


def parse_query(text: str | None) -> Query:
    """What the user typed → a :class:`Query` (stop words dropped unless nothing else is left)."""
    text = (text or "").strip()[:MAX_QUERY_CHARS]
    parts = [p for m in _WORD.finditer(text) for p in _PART.findall(fold(m.group()))]
    kept = [p for p in parts if p not in STOPWORDS] or parts
    terms: list[Term] = []
    for part in kept:
        term = Term(stem(part), part if len(part) >= MIN_PREFIX else None)
        if term not in terms:
            terms.append(term)
    return Query(text, tuple(terms[:MAX_TERMS]))


def highlight(text: str, query: Query) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matches) pieces: the words the query matches, and the text between."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for w in words(text):
        if any(t.matches(s) for s in w.stems for t in query.terms):
            if w.start > last:
                pieces.append((text[last : w.start], False))
            pieces.append((text[w.start : w.end], True))
            last = w.end
    if last < len(text or ""):
        pieces.append((text[last:], False))
    return pieces


def excerpt(text: str, query: Query, max_chars: int = 360) -> list[tuple[str, bool]]:
    """Like :func:`highlight`, but a long text is cut to about ``max_chars`` around its first match."""
    text = text or ""
    if len(text) <= max_chars:
        return highlight(text, query)
    pieces = highlight(text, query)
    first, pos = 0, 0
    for piece, hit in pieces:
        if hit:
            first = pos
            break
        pos += len(piece)
    start = max(0, first - max_chars // 3)
    if start:  # begin at a word boundary
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + max_chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    shown = highlight(text[start:end], query)
    return ([("…", False)] if start else []) + shown + ([("…", False)] if end < len(text) else [])


# --- the index ----------------------------------------------------------------------------------------


def _dialect(conn: Connection) -> str:
    return conn.dialect.name


def _exists(conn: Connection) -> bool:
    return inspect(conn).has_table(INDEX_TABLE)


def _create(conn: Connection) -> None:
    # IF NOT EXISTS: several workers may start on a store that has no index yet.
    if _dialect(conn) == "sqlite":
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX_TABLE} USING fts5("
            "org_id UNINDEXED, task_id UNINDEXED, quarter UNINDEXED, name, toelichting, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        _create_rows(conn)
    elif _dialect(conn) == "postgresql":
        conn.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS {INDEX_TABLE} ("
            "org_id varchar(40) NOT NULL, task_id varchar(40) NOT NULL, quarter varchar(7) NOT NULL, "
            "name text NOT NULL, toelichting text NOT NULL, "
            "document tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple'::regconfig, name), 'A') || "
            "setweight(to_tsvector('simple'::regconfig, toelichting), 'B')) STORED, "
            "PRIMARY KEY (org_id, quarter, task_id))"
        )
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_{INDEX_TABLE}_document ON {INDEX_TABLE} USING gin (document)"
        )
    else:
        raise NotImplementedError(f"full-text search is not available on {_dialect(conn)}")


def _create_rows(conn: Connection) -> None:
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {ROWS_TABLE} (id INTEGER PRIMARY KEY, org_id VARCHAR(40) NOT NULL, "
        "quarter VARCHAR(7) NOT NULL, task_id VARCHAR(40) NOT NULL)"
    )
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{ROWS_TABLE}_quarter ON {ROWS_TABLE} (org_id, quarter)")
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{ROWS_TABLE}_task ON {ROWS_TABLE} (org_id, task_id)")


def drop_index(engine: Engine) -> None:
    """Drop the search index (with the tables it is derived from, on a rebuild)."""
    with engine.begin() as conn:
        if _exists(conn):
            conn.exec_driver_sql(f"DROP TABLE {INDEX_TABLE}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {ROWS_TABLE}")


def ensure_index(engine: Engine) -> None:
    """Create the search index if it is missing, and fill it from the tables already there."""
    with engine.begin() as conn:
        if _exists(conn):
            if _dialect(conn) != "sqlite" or inspect(conn).has_table(ROWS_TABLE):
                return
            conn.exec_driver_sql(f"DROP TABLE {INDEX_TABLE}")  # from before ROWS_TABLE: rebuilt with rowid blocks
        _create(conn)
        tu = schema.task_update
        pairs = conn.execute(select(tu.c.org_id, tu.c.quarter).distinct()).all()
        for org, quarter in pairs:
            _reindex_quarter(conn, org, quarter)


def _slot(conn: Connection, org: str, *, allocate: bool = False) -> int | None:
    """SQLite: the block of rowids of ``org``'s index rows (a new one when it has none and ``allocate``)."""
    found = conn.scalar(select(_ROWS.c.id).where(_ROWS.c.org_id == org).limit(1))
    if found is not None:
        return found >> SLOT_BITS
    if not allocate:
        return None
    top = conn.scalar(select(func.max(_ROWS.c.id)))
    return 1 if top is None else (top >> SLOT_BITS) + 1


def _rowids(conn: Connection, org: str, *, quarter: str | None = None, task_id: str | None = None) -> list[int]:
    """SQLite: the FTS5 rowids of ``org``'s index rows (of one quarter or one task), from ROWS_TABLE."""
    stmt = select(_ROWS.c.id).where(_ROWS.c.org_id == org)
    if quarter is not None:
        stmt = stmt.where(_ROWS.c.quarter == quarter)
    if task_id is not None:
        stmt = stmt.where(_ROWS.c.task_id == task_id)
    return list(conn.scalars(stmt))


def _reindex_quarter(conn: Connection, org: str, quarter: str) -> int:
    """Replace the index rows of one bestuur's quarter with its task updates as stored now."""
    tu, t = schema.task_update, schema.task
    sqlite = _dialect(conn) == "sqlite"
    if sqlite:  # by rowid: FTS5 would read every row to find them by bestuur and quarter
        slot = _slot(conn, org, allocate=True)
        ids = _rowids(conn, org, quarter=quarter)
        if ids:
            conn.execute(sql_text(f"DELETE FROM {INDEX_TABLE} WHERE rowid = :id"), [{"id": i} for i in ids])
            conn.execute(delete(_ROWS).where(_ROWS.c.org_id == org, _ROWS.c.quarter == quarter))
    else:
        conn.execute(delete(_INDEX).where(_INDEX.c.org_id == org, _INDEX.c.quarter == quarter))
    rows = conn.execute(
        select(tu.c.task_id, t.c.name, tu.c.toelichting)
        .join(t, and_(t.c.org_id == tu.c.org_id, t.c.id == tu.c.task_id))
        .where(tu.c.org_id == org, tu.c.quarter == quarter)
        .order_by(tu.c.task_id)
    ).all()
    if not rows:
        return 0
    values = [
        {
            "org_id": org,
            "task_id": task_id,
            "quarter": quarter,
            "name": index_text(name),
            "toelichting": index_text(body),
        }
        for task_id, name, body in rows
    ]
    if sqlite:  # the next rowids of the bestuur's block
        first = slot << SLOT_BITS
        top = conn.scalar(select(func.max(_ROWS.c.id)).where(_ROWS.c.id.between(first, first + (1 << SLOT_BITS) - 1)))
        for n, v in enumerate(values, start=(top or first) + 1):
            v["id"] = n
        conn.execute(insert(_ROWS), [{k: v[k] for k in ("id", "org_id", "quarter", "task_id")} for v in values])
        conn.execute(
            sql_text(
                f"INSERT INTO {INDEX_TABLE} (rowid, org_id, task_id, quarter, name, toelichting) "
                "VALUES (:id, :org_id, :task_id, :quarter, :name, :toelichting)"
            ),
            values,
        )
    else:
        conn.execute(insert(_INDEX), values)
    return len(rows)


def _refresh_names(conn: Connection, org: str) -> None:
    """A re-import may rename a task: its rows in the other quarters then get the new name."""
    t = schema.task
    current = {tid: index_text(name) for tid, name in conn.execute(select(t.c.id, t.c.name).where(t.c.org_id == org))}
    if _dialect(conn) == "sqlite":  # through ROWS_TABLE, as in _reindex_quarter
        indexed = conn.execute(
            sql_text(
                f"SELECT DISTINCT s.task_id, s.name FROM {ROWS_TABLE} AS r "
                f"JOIN {INDEX_TABLE} AS s ON s.rowid = r.id WHERE r.org_id = :org"
            ),
            {"org": org},
        ).all()
    else:
        indexed = conn.execute(select(_INDEX.c.task_id, _INDEX.c.name).where(_INDEX.c.org_id == org).distinct()).all()
    stale = sorted({tid for tid, name in indexed if tid in current and current[tid] != name})
    for tid in stale:
        if _dialect(conn) == "sqlite":
            conn.execute(
                sql_text(f"UPDATE {INDEX_TABLE} SET name = :name WHERE rowid = :id"),
                [{"name": current[tid], "id": i} for i in _rowids(conn, org, task_id=tid)],
            )
        else:
            conn.execute(
                update(_INDEX).where(_INDEX.c.org_id == org, _INDEX.c.task_id == tid).values(name=current[tid])
            )


def index_written(conn: Connection, taken_rows: list[dict]) -> None:
    """Bring the index in step with an import's task rows (inside the import's transaction)."""
    written = sorted({(r["org_id"], r["quarter"]) for r in taken_rows})
    for org, quarter in written:
        _reindex_quarter(conn, org, quarter)
    for org in sorted({org for org, _ in written}):
        _refresh_names(conn, org)


# --- searching --------------------------------------------------------------------------------------

RESULT_COLUMNS = [
    "task_id",
    "quarter",
    "score",
    "code",
    "name",
    "action_plan",
    "ap_label",
    "sdg",
    "department",
    "status",
    "toelichting",
]


def _ranked(conn: Connection, f: Filters, query: Query, whole_words: bool, limit: int) -> list:
    """One ranked full-text query in the database's own index (bm25 / ts_rank), best first."""
    t, a, ap, tu = schema.task, schema.action, schema.action_plan, schema.task_update
    dept = func.coalesce(t.c.department, ap.c.department, literal(UNASSIGNED))
    if _dialect(conn) == "sqlite":
        fts = literal_column(INDEX_TABLE)
        weights = [literal_column(str(w)) for w in (0.0, 0.0, 0.0, NAME_WEIGHT, TEXT_WEIGHT)]
        score = -func.bm25(fts, *weights)
        slot = _slot(conn, f.org)
        if slot is None:
            return []
        first = slot << SLOT_BITS
        # The rowid range keeps FTS5 inside this bestuur's block: tens of ms instead of seconds at 2 M rows.
        matched = and_(
            fts.op("MATCH")(query.fts5(whole_words=whole_words)),
            literal_column(f"{INDEX_TABLE}.rowid").between(first, first + (1 << SLOT_BITS) - 1),
        )
    else:
        document = literal_column(f"{INDEX_TABLE}.document")
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), query.tsquery(whole_words=whole_words))
        score = func.ts_rank(document, tsquery)
        matched = document.op("@@")(tsquery)
    stmt = (
        select(
            _INDEX.c.task_id,
            _INDEX.c.quarter,
            score.label("score"),
            t.c.code,
            t.c.name,
            ap.c.code,
            ap.c.label,
            ap.c.sdg,
            dept,
            tu.c.status,
            tu.c.toelichting,
        )
        .select_from(_INDEX)
        .join(
            tu,
            and_(tu.c.org_id == _INDEX.c.org_id, tu.c.task_id == _INDEX.c.task_id, tu.c.quarter == _INDEX.c.quarter),
        )
        .join(t, and_(t.c.org_id == tu.c.org_id, t.c.id == tu.c.task_id))
        .join(a, and_(a.c.org_id == t.c.org_id, a.c.code == t.c.action))
        .join(ap, and_(ap.c.org_id == a.c.org_id, ap.c.code == a.c.action_plan))
        .where(matched, _INDEX.c.org_id == f.org)
    )
    if f.departments:
        stmt = stmt.where(dept.in_(f.departments))
    if f.statuses:
        stmt = stmt.where(tu.c.status.in_(f.statuses))
    stmt = stmt.order_by(score.desc(), _INDEX.c.quarter.desc(), _INDEX.c.task_id).limit(limit)
    return conn.execute(stmt).all()


def search(engine: Engine, f: Filters, text: str, limit: int = DEFAULT_LIMIT) -> pd.DataFrame:
    """The task updates of ``f.org`` (all quarters) that match ``text``, best first.

    Rows where every query word matches a whole word come first, each group ranked by the database
    (``score``: −bm25 on SQLite, ts_rank on PostgreSQL; higher is better); rows found only through
    a compound ("Oekraïnecrisis" for "Oekraine") follow. The department and status filters narrow
    the results as they narrow the task tables; the quarter filter does not (every quarter is
    searched). Columns: RESULT_COLUMNS.
    """
    query = parse_query(text)
    if query.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    with engine.connect() as conn:
        rows = list(_ranked(conn, f, query, True, limit))
        if query.has_prefixes and len(rows) < limit:
            seen = {(r[0], r[1]) for r in rows}
            rows += [r for r in _ranked(conn, f, query, False, limit) if (r[0], r[1]) not in seen]
    frame = pd.DataFrame.from_records(rows[:limit], columns=RESULT_COLUMNS)
    frame["score"] = frame["score"].astype(float)
    return frame
