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
    # Sign-in (dashboard/auth.py): "on" (accounts in the store), "off" (local demo, with a banner) or
    # "proxy" (a trusted reverse proxy names the user in ``auth_header``).
    auth_mode: str = "on"
    auth_header: str = "X-Forwarded-User"
    secret_key: str = ""  # signs sessions and CSRF tokens; empty: a random key per start (sessions end)
    secure_cookies: bool = False  # set behind HTTPS, so cookies never travel in clear text
    session_hours: float = 10.0
    # Failed sign-ins allowed per client address and username within the window (4× that per username
    # from any address), counted in the store so every worker and instance sees the same count.
    login_attempts: int = 5
    login_window_seconds: int = 60
    upload_max_mb: int = 20
    # Aandachtspunten (dashboard/attention.py): an action plan has committed "most" of its budget
    # from this share on; besteld/ontvangen may exceed totaal by this many euros; "has budget" above this.
    attention_committed_pct: float = 75.0
    attention_overrun_eur: float = 0.0
    attention_min_budget_eur: float = 0.0
    # Shared query cache of several app instances (redis://host:6379/0); empty: in-process SimpleCache.
    cache_url: str = ""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _auth_mode(value: str | None) -> str:
    """'off'/'false'/'0' → "off", 'proxy' → "proxy", anything else (or unset) → "on": fail closed."""
    value = (value or "").strip().lower()
    if value in {"off", "0", "false", "no", "uit"}:
        return "off"
    return "proxy" if value == "proxy" else "on"


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
        auth_mode=_auth_mode(env.get("DASHBOARD_AUTH")),
        auth_header=env.get("DASHBOARD_AUTH_HEADER") or "X-Forwarded-User",
        secret_key=env.get("DASHBOARD_SECRET_KEY") or "",
        secure_cookies=_flag(env.get("DASHBOARD_SECURE_COOKIES")),
        session_hours=_number(env.get("DASHBOARD_SESSION_HOURS"), 10.0),
        login_attempts=int(env.get("DASHBOARD_LOGIN_ATTEMPTS") or 5),
        login_window_seconds=int(env.get("DASHBOARD_LOGIN_WINDOW_SECONDS") or 60),
        upload_max_mb=int(env.get("DASHBOARD_UPLOAD_MAX_MB") or 20),
        attention_committed_pct=_number(env.get("DASHBOARD_ATTENTION_COMMITTED_PCT"), 75.0),
        attention_overrun_eur=_number(env.get("DASHBOARD_ATTENTION_OVERRUN_EUR"), 0.0),
        attention_min_budget_eur=_number(env.get("DASHBOARD_ATTENTION_MIN_BUDGET_EUR"), 0.0),
        cache_url=(env.get("DASHBOARD_CACHE_URL") or "").strip(),
    )
