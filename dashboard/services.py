"""The pages' door to the store: cached queries keyed on hashable filter values and the data version.

Every cached entry carries the store's data version (bumped by every import), so an import is
seen at once by every worker and every instance that shares the cache.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

import pandas as pd
from flask import g, has_request_context
from flask_caching import Cache
from sqlalchemy.engine import make_url

from . import attention, queries, search
from .config import Settings, load_settings
from .parsing import ValueRuleError, parse_quarter
from .queries import Filters
from .store import data_version, get_engine
from .urls import as_list

cache = Cache()  # configured by app.create_app(); holds nothing until then

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def cache_config(settings: Settings) -> dict:
    """The Flask-Caching configuration: Redis shared by every instance when ``cache_url`` names one,
    else a SimpleCache in each process (an unknown scheme is refused rather than silently not shared)."""
    if not settings.cache_url:
        return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": settings.cache_seconds, "CACHE_THRESHOLD": 2000}
    if not settings.cache_url.startswith(REDIS_SCHEMES):
        raise ValueError(f"DASHBOARD_CACHE_URL must start with redis://, rediss:// or unix://: {settings.cache_url!r}")
    # Keys are the data version plus the arguments, not the store: two stores sharing one Redis
    # (staging and production) must not read each other's entries, so the prefix names the store
    # (its URL without the password, hashed, so a password change only starts a cold cache).
    store = make_url(settings.db_url).render_as_string(hide_password=True)
    return {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": settings.cache_url,
        "CACHE_KEY_PREFIX": f"beleidsmonitor:{hashlib.sha256(store.encode()).hexdigest()[:12]}:",
        "CACHE_DEFAULT_TIMEOUT": settings.cache_seconds,
        # A stalled Redis must not hold a request: on an error the query runs without the cache.
        "CACHE_OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2, "health_check_interval": 30},
    }


@functools.cache
def settings() -> Settings:
    """The process settings (read once from the environment)."""
    return load_settings()


def _engine():
    return get_engine(settings().db_url)


def _version() -> int:
    """The data version, read once per request (every cached entry is keyed on it)."""
    if has_request_context():
        if "data_version" not in g:
            g.data_version = data_version(_engine())
        return g.data_version
    return data_version(_engine())


def current_version() -> int:
    """The store's data version as this request sees it."""
    return _version()


def current_org() -> str:
    """The bestuur this request shows.

    Inside a request it is what dashboard/auth.py resolved from the user's grants and choice
    (``g.org``; "" when the user may see no bestuur, which matches no data); outside a request
    (CLI, benchmarks) it is the configured default.
    """
    if has_request_context() and "org" in g:
        return g.org
    return settings().default_org


@dataclass(frozen=True)
class View:
    """The resolved filters of one page view, plus what the page should say about them."""

    filters: Filters
    quarters: tuple[str, ...]
    notice: str | None = None
    synthetic_quarters: tuple[str, ...] = ()  # quarters generated for test and demo, labelled on every page

    @property
    def empty_store(self) -> bool:
        return not self.quarters

    @property
    def synthetic(self) -> bool:
        """Whether the quarter shown is synthetic."""
        return self.filters.quarter in self.synthetic_quarters


@cache.memoize()
def _quarters(version: int, org: str) -> tuple[str, ...]:
    return tuple(queries.list_quarters(_engine(), org))


@cache.memoize()
def _departments(version: int, org: str) -> tuple[str, ...]:
    return tuple(queries.list_departments(_engine(), org))


@cache.memoize()
def _synthetic_quarters(version: int, org: str) -> tuple[str, ...]:
    sources = queries.quarter_sources(_engine(), org)
    return tuple(sources.loc[sources["synthetic"], "quarter"])


def _org(org: str | None) -> str:
    return current_org() if org is None else org


def synthetic_quarters(org: str | None = None) -> tuple[str, ...]:
    """The quarters of the bestuur that hold synthetic (generated) figures, oldest first."""
    return _synthetic_quarters(_version(), _org(org))


def quarters(org: str | None = None) -> tuple[str, ...]:
    """The quarters in the store, oldest first."""
    return _quarters(_version(), _org(org))


def departments(org: str | None = None) -> tuple[str, ...]:
    """The departments in the store, "Niet toegewezen" last."""
    return _departments(_version(), _org(org))


def resolve_view(kwartaal=None, departement=None, status=None, org: str | None = None) -> View:
    """Query-string values → a validated :class:`View` (latest quarter by default)."""
    org = _org(org)
    version = _version()
    known = _quarters(version, org)
    notice = None
    quarter = known[-1] if known else ""
    if kwartaal:
        try:
            wanted = parse_quarter(kwartaal)
        except ValueRuleError:
            wanted = None
        if wanted in known:
            quarter = wanted
        else:
            notice = f"Kwartaal '{kwartaal}' bestaat niet in de gegevens; getoond wordt het laatste kwartaal."
    statuses = tuple(s for s in as_list(status) if s in queries.STATUSES)
    synthetic = _synthetic_quarters(version, org) if known else ()
    return View(Filters(org, quarter, tuple(as_list(departement)), statuses), known, notice, synthetic)


def _cached(name: str):
    """A memoized wrapper of ``queries.<name>`` whose key includes the data version."""
    func = getattr(queries, name)

    def versioned(version, *args, **kwargs):
        return func(_engine(), *args, **kwargs)

    # The cache key is derived from the function's name, so each wrapper needs its own.
    versioned.__name__ = versioned.__qualname__ = f"cached_{name}"
    versioned = cache.memoize()(versioned)

    @functools.wraps(func)
    def call(*args, **kwargs):
        return versioned(_version(), *args, **kwargs)

    return call


pillars = _cached("pillars")
sdgs = _cached("sdgs")
action_plans = _cached("action_plans")
tasks = _cached("tasks")
task_detail = _cached("task_detail")
task_history = _cached("task_history")
pillar_overview = _cached("pillar_overview")
sdg_overview = _cached("sdg_overview")
action_plan_overview = _cached("action_plan_overview")
organisations = _cached("list_organisations")
quarter_sources = _cached("quarter_sources")
trends = _cached("trends")
budget_lines = _cached("budget_lines")


def sdg_info(org: str, number: int) -> pd.Series | None:
    """One SDG's row of :func:`sdgs`, or None when the bestuur has no such SDG."""
    frame = sdgs(org)
    rows = frame[frame["number"] == number]
    return None if rows.empty else rows.iloc[0]


@cache.memoize()
def _search_tasks(version: int, f: Filters, text: str) -> pd.DataFrame:
    return search.search(_engine(), f, text)


def search_tasks(f: Filters, text: str) -> pd.DataFrame:
    """Task updates of every quarter matching ``text`` (dashboard/search.py), best first."""
    return _search_tasks(_version(), f, text)


class _CachedSource:
    """attention.collect's data from the cached queries it shares with the pages: a filtered view
    then reads the unfiltered tasks, budget and previous quarter from the cache, not the store."""

    tasks = staticmethod(lambda f: tasks(f))
    budget_lines = staticmethod(lambda f: budget_lines(f))
    action_plans = staticmethod(lambda org: action_plans(org))
    sdgs = staticmethod(lambda org: sdgs(org))
    quarters = staticmethod(lambda org: list(quarters(org)))


@cache.memoize()
def _attention(version: int, f: Filters) -> attention.Findings:
    return attention.collect(None, f, attention.Thresholds.from_settings(settings()), source=_CachedSource())


def attention_points(f: Filters) -> attention.Findings:
    """The aandachtspunten of the view ``f`` for the whole plan (narrow them with attention.in_scope)."""
    return _attention(_version(), f)
