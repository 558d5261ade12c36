"""Runtime configuration, read from environment variables with safe defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
SEED_DIR = DATA_DIR / "seed"
DEFAULT_DB_PATH = DATA_DIR / "beleidsmonitor.sqlite"


@dataclass(frozen=True)
class Settings:
    """All settings of one process; build with :func:`load_settings`."""

    db_url: str
    seed_dir: Path
    default_org: str
    debug: bool
    host: str
    port: int
    cache_seconds: int
    # Aandachtspunten (dashboard/attention.py): an action plan has committed "most" of its budget
    # from this share on; besteld/ontvangen may exceed totaal by this many euros; "has budget" above this.
    attention_committed_pct: float = 75.0
    attention_overrun_eur: float = 0.0
    attention_min_budget_eur: float = 0.0


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _number(value: str | None, default: float) -> float:
    """'75', '75.5' or '75,5' → a float; unset → ``default``."""
    return float(value.strip().replace(",", ".")) if value and value.strip() else default


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read the settings from ``env`` (default: ``os.environ``)."""
    env = os.environ if env is None else env
    return Settings(
        db_url=env.get("DASHBOARD_DB_URL") or f"sqlite:///{DEFAULT_DB_PATH}",
        seed_dir=Path(env.get("DASHBOARD_SEED_DIR") or SEED_DIR),
        default_org=env.get("DASHBOARD_ORG") or "harelbeke",
        debug=_flag(env.get("DASHBOARD_DEBUG")),
        host=env.get("DASHBOARD_HOST") or "127.0.0.1",
        port=int(env.get("DASHBOARD_PORT") or 8050),
        cache_seconds=int(env.get("DASHBOARD_CACHE_SECONDS") or 300),
        attention_committed_pct=_number(env.get("DASHBOARD_ATTENTION_COMMITTED_PCT"), 75.0),
        attention_overrun_eur=_number(env.get("DASHBOARD_ATTENTION_OVERRUN_EUR"), 0.0),
        attention_min_budget_eur=_number(env.get("DASHBOARD_ATTENTION_MIN_BUDGET_EUR"), 0.0),
    )
