"""User accounts: who may sign in, with which role, for which besturen.

Accounts live in the same database as the plan data but in their own tables (own MetaData), so
rebuilding the plan data from the seed never drops them. Passwords are hashed with Argon2id
(argon2-cffi); the plain password is never stored or logged.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)

ROLES = ("lezer", "beheerder")
ALL_BESTUREN = "*"  # a grant on every bestuur, present and future (e.g. a region's own staff)
MIN_PASSWORD_LENGTH = 12
USERNAME_RULE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,79}$")

metadata = MetaData()

app_user = Table(
    "app_user",
    metadata,
    Column("username", String(80), primary_key=True),
    Column("password_hash", String(200), nullable=True),  # NULL: only via the trusted proxy header
    Column("role", String(20), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row per failed sign-in (key: "addr:<ip>|<user>" or "user:<user>"); read to throttle guessing.
login_failure = Table(
    "login_failure",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, index=True),
    Column("at", Float, nullable=False),  # epoch seconds: compares the same on every backend
)

user_grant = Table(
    "user_grant",
    metadata,
    Column("username", String(80), ForeignKey("app_user.username", ondelete="CASCADE"), primary_key=True),
    Column("org_id", String(40), primary_key=True),  # an organisation id, or ALL_BESTUREN
)


class AccountError(ValueError):
    """A request about accounts that breaks a rule; the message is Dutch and meant for the user."""


@dataclass(frozen=True)
class Account:
    """A signed-in (or signing-in) user: name, role and the besturen granted."""

    username: str
    role: str
    grants: tuple[str, ...]
    active: bool = True

    @property
    def is_admin(self) -> bool:
        """Beheerders may import quarters for their besturen."""
        return self.role == "beheerder"

    def may_see(self, org_id: str) -> bool:
        """Whether this account was granted the bestuur ``org_id``."""
        return ALL_BESTUREN in self.grants or org_id in self.grants

    def visible(self, org_ids) -> list[str]:
        """The besturen of ``org_ids`` this account may see, in the given order."""
        return [o for o in org_ids if self.may_see(o)]


def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2-cffi's defaults follow RFC 9106's recommendation


def create_tables(engine: Engine) -> None:
    """Create the account tables when missing (idempotent)."""
    metadata.create_all(engine)


def normalise_username(username: str) -> str:
    """Usernames are compared case-insensitively and without surrounding spaces."""
    return (username or "").strip().lower()


def check_password_rule(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn.")


def add_user(
    engine: Engine, username: str, password: str | None, role: str, grants: list[str] | tuple[str, ...]
) -> Account:
    """Create an account; ``password`` None makes one that can only sign in through the trusted proxy."""
    name = normalise_username(username)
    if not USERNAME_RULE.match(name):
        raise AccountError(f"Ongeldige gebruikersnaam '{username}': 2–80 tekens, kleine letters, cijfers en . _ @ -.")
    if role not in ROLES:
        raise AccountError(f"Onbekende rol '{role}': kies {' of '.join(ROLES)}.")
    if not grants:
        raise AccountError("Geef minstens één bestuur op (of '*' voor alle besturen).")
    if password is not None:
        check_password_rule(password)
    with engine.begin() as conn:
        if conn.scalar(select(app_user.c.username).where(app_user.c.username == name)) is not None:
            raise AccountError(f"Gebruiker '{name}' bestaat al.")
        conn.execute(
            insert(app_user),
            {
                "username": name,
                "password_hash": _hasher().hash(password) if password is not None else None,
                "role": role,
                "active": True,
                "created_at": datetime.now(UTC),
            },
        )
        unique = sorted(set(grants))
        conn.execute(insert(user_grant), [{"username": name, "org_id": g} for g in unique])
    return Account(name, role, tuple(unique))


def set_password(engine: Engine, username: str, password: str) -> None:
    """Replace an account's password."""
    check_password_rule(password)
    name = normalise_username(username)
    with engine.begin() as conn:
        done = conn.execute(
            update(app_user).where(app_user.c.username == name).values(password_hash=_hasher().hash(password))
        )
        if done.rowcount == 0:
            raise AccountError(f"Gebruiker '{name}' bestaat niet.")


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Block or unblock an account (a blocked account's open sessions stop working at once)."""
    name = normalise_username(username)
    with engine.begin() as conn:
        done = conn.execute(update(app_user).where(app_user.c.username == name).values(active=active))
        if done.rowcount == 0:
            raise AccountError(f"Gebruiker '{name}' bestaat niet.")


def remove_user(engine: Engine, username: str) -> None:
    """Delete an account and its grants."""
    name = normalise_username(username)
    with engine.begin() as conn:
        conn.execute(delete(user_grant).where(user_grant.c.username == name))
        if conn.execute(delete(app_user).where(app_user.c.username == name)).rowcount == 0:
            raise AccountError(f"Gebruiker '{name}' bestaat niet.")


def get_account(engine: Engine, username: str) -> Account | None:
    """The account called ``username`` (None when unknown)."""
    name = normalise_username(username)
    with engine.connect() as conn:
        row = conn.execute(select(app_user.c.role, app_user.c.active).where(app_user.c.username == name)).first()
        if row is None:
            return None
        grants = conn.scalars(select(user_grant.c.org_id).where(user_grant.c.username == name)).all()
    return Account(name, row.role, tuple(sorted(grants)), bool(row.active))


def list_accounts(engine: Engine) -> list[Account]:
    """All accounts, by name."""
    with engine.connect() as conn:
        users = conn.execute(select(app_user.c.username, app_user.c.role, app_user.c.active)).all()
        grants = conn.execute(select(user_grant.c.username, user_grant.c.org_id)).all()
    by_user: dict[str, list[str]] = {}
    for name, org in grants:
        by_user.setdefault(name, []).append(org)
    return [Account(u.username, u.role, tuple(sorted(by_user.get(u.username, []))), bool(u.active)) for u in users]


# A fixed hash to verify against when the user does not exist, so a wrong username takes as long
# as a wrong password and response times do not reveal which accounts exist.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$+2Z+R1TylUEg3YtIN4uPBg$1hLZp9I6yWU9UDcjCv0cA8ASL0eDUG5bflmHZJ6A8sI"


def authenticate(engine: Engine, username: str, password: str) -> Account | None:
    """The active account whose password matches, else None (same work either way)."""
    name = normalise_username(username)
    with engine.connect() as conn:
        row = conn.execute(
            select(app_user.c.password_hash, app_user.c.active).where(app_user.c.username == name)
        ).first()
    stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
    hasher = _hasher()
    try:
        hasher.verify(stored, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or not row.active or not row.password_hash:
        return None
    if hasher.check_needs_rehash(stored):  # parameters raised since this hash was made
        set_password(engine, name, password)
    return get_account(engine, name)


def recent_failures(engine: Engine, key: str, window_seconds: float, now: float | None = None) -> int:
    """How many failed sign-ins ``key`` had in the last ``window_seconds``."""
    since = (time.time() if now is None else now) - window_seconds
    with engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count())
                .select_from(login_failure)
                .where(login_failure.c.key == key, login_failure.c.at > since)
            )
        )


def record_failure(engine: Engine, keys: list[str], now: float | None = None) -> None:
    """Note a failed sign-in under each of ``keys``; rows older than a day are dropped on the way."""
    now = time.time() if now is None else now
    with engine.begin() as conn:
        conn.execute(delete(login_failure).where(login_failure.c.at < now - 86_400))
        conn.execute(insert(login_failure), [{"key": k, "at": now} for k in keys])
