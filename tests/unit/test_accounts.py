"""Accounts on a real store: hashing, signing in, rules, grants, throttling records, the CLI that
makes the first account, and imports limited to the besturen granted."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select
from storekit import PROJECT_ROOT, assert_unchanged, run_cli, snapshot

from dashboard import accounts
from dashboard.auth import safe_next
from dashboard.config import load_settings
from dashboard.importer import ImportRejected, import_files

PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture
def engine(fresh_store):
    accounts.create_tables(fresh_store.engine)
    return fresh_store.engine


def test_passwords_are_stored_as_argon2id_hashes_never_in_clear(engine):
    accounts.add_user(engine, "Anna", PASSWORD, "lezer", ["harelbeke"])
    with engine.connect() as conn:
        stored = conn.scalar(select(accounts.app_user.c.password_hash))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_needs_the_right_password_and_ignores_case_of_the_name(engine):
    accounts.add_user(engine, "anna", PASSWORD, "beheerder", ["harelbeke"])
    account = accounts.authenticate(engine, "  ANNA ", PASSWORD)
    assert account == accounts.Account("anna", "beheerder", ("harelbeke",), True)
    assert accounts.authenticate(engine, "anna", PASSWORD + "x") is None
    assert accounts.authenticate(engine, "anna", "") is None
    assert accounts.authenticate(engine, "bert", PASSWORD) is None


def test_a_blocked_account_cannot_sign_in_until_unblocked(engine):
    accounts.add_user(engine, "anna", PASSWORD, "lezer", ["harelbeke"])
    accounts.set_active(engine, "anna", False)
    assert accounts.authenticate(engine, "anna", PASSWORD) is None
    assert accounts.get_account(engine, "anna").active is False
    accounts.set_active(engine, "anna", True)
    assert accounts.authenticate(engine, "anna", PASSWORD) is not None


def test_a_proxy_only_account_cannot_sign_in_with_any_password(engine):
    accounts.add_user(engine, "proxy-anna", None, "lezer", ["harelbeke"])
    assert accounts.get_account(engine, "proxy-anna") is not None
    for attempt in ("", PASSWORD, "None"):
        assert accounts.authenticate(engine, "proxy-anna", attempt) is None


@pytest.mark.parametrize(
    ("name", "password", "role", "grants", "message"),
    [
        ("anna", "kort", "lezer", ["harelbeke"], "minstens 12 tekens"),
        ("a", PASSWORD, "lezer", ["harelbeke"], "Ongeldige gebruikersnaam"),
        ("anna<script>", PASSWORD, "lezer", ["harelbeke"], "Ongeldige gebruikersnaam"),
        ("anna", PASSWORD, "admin", ["harelbeke"], "Onbekende rol"),
        ("anna", PASSWORD, "lezer", [], "minstens één bestuur"),
    ],
)
def test_accounts_that_break_a_rule_are_refused(engine, name, password, role, grants, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add_user(engine, name, password, role, grants)
    assert accounts.list_accounts(engine) == []


def test_a_name_is_taken_once(engine):
    accounts.add_user(engine, "anna", PASSWORD, "lezer", ["harelbeke"])
    with pytest.raises(accounts.AccountError, match="bestaat al"):
        accounts.add_user(engine, "ANNA", PASSWORD, "beheerder", ["*"])


def test_grants_decide_which_besturen_an_account_sees():
    one = accounts.Account("a", "lezer", ("harelbeke",))
    everyone = accounts.Account("b", "lezer", (accounts.ALL_BESTUREN,))
    assert one.visible(["kortrijk", "harelbeke", "zwevegem"]) == ["harelbeke"]
    assert not one.may_see("zwevegem") and everyone.may_see("zwevegem")
    assert everyone.visible(["kortrijk", "harelbeke"]) == ["kortrijk", "harelbeke"]


def test_removing_an_account_removes_its_grants(engine):
    accounts.add_user(engine, "anna", PASSWORD, "lezer", ["harelbeke", "zwevegem"])
    accounts.remove_user(engine, "anna")
    assert accounts.get_account(engine, "anna") is None
    with engine.connect() as conn:
        assert conn.execute(select(accounts.user_grant)).all() == []


def test_failed_sign_ins_are_counted_per_key_within_the_window(engine):
    accounts.record_failure(engine, ["addr:1|anna", "user:anna"], now=1000.0)
    accounts.record_failure(engine, ["addr:1|anna", "user:anna"], now=1050.0)
    assert accounts.recent_failures(engine, "addr:1|anna", 60, now=1055.0) == 2
    assert accounts.recent_failures(engine, "addr:1|anna", 60, now=1070.0) == 1  # the first one is older
    assert accounts.recent_failures(engine, "addr:2|anna", 60, now=1055.0) == 0
    accounts.record_failure(engine, ["user:bert"], now=1000.0 + 2 * 86_400)  # old rows are dropped
    with engine.connect() as conn:
        assert sorted(conn.scalars(select(accounts.login_failure.c.key))) == ["user:bert"]


def test_rebuilding_the_plan_data_keeps_the_accounts(fresh_store):
    accounts.create_tables(fresh_store.engine)
    accounts.add_user(fresh_store.engine, "anna", PASSWORD, "lezer", ["harelbeke"])
    proc = run_cli(["build"], fresh_store.url)
    assert proc.returncode == 0, proc.stderr
    assert accounts.get_account(fresh_store.engine, "anna") is not None


def test_the_first_account_is_made_from_the_command_line(fresh_store):
    proc = run_cli(
        ["user", "add", "beheer", "--role", "beheerder", "--password-stdin"], fresh_store.url, stdin=PASSWORD
    )
    assert proc.returncode == 0, proc.stderr
    assert "aangemaakt: beheerder, besturen harelbeke" in proc.stdout
    assert accounts.authenticate(fresh_store.engine, "beheer", PASSWORD).is_admin
    short = run_cli(["user", "add", "lezer", "--role", "lezer", "--password-stdin"], fresh_store.url, stdin="kort")
    assert short.returncode == 1 and "minstens 12 tekens" in short.stderr
    listing = run_cli(["user", "list"], fresh_store.url)
    assert listing.stdout.splitlines() == ["beheer\tbeheerder\tharelbeke"]


def test_an_import_limited_to_granted_besturen_rejects_other_rows_and_writes_nothing(fresh_store, tmp_path):
    before = snapshot(fresh_store)
    example = PROJECT_ROOT / "examples" / "2023KW2_taken.csv"
    taken = pd.read_csv(example, sep=None, engine="python", dtype=str, keep_default_na=False)
    taken.insert(0, "bestuur", "zwevegem")
    path = tmp_path / "taken.csv"
    taken.to_csv(path, index=False)
    with pytest.raises(ImportRejected) as caught:
        import_files(fresh_store.engine, [path], allowed_orgs=("harelbeke",))
    problem = next(p for p in caught.value.problems if p.column == "bestuur")
    assert (problem.file, problem.row, problem.value) == ("taken.csv", 2, "zwevegem")
    assert "geen rechten" in problem.rule
    assert_unchanged(fresh_store, before)


@pytest.mark.parametrize(
    ("value", "mode"),
    [(None, "on"), ("", "on"), ("off", "off"), ("OFF", "off"), ("0", "off"), ("proxy", "proxy"), ("ja", "on")],
)
def test_sign_in_is_on_unless_clearly_switched_off(value, mode):
    env = {} if value is None else {"DASHBOARD_AUTH": value}
    assert load_settings(env).auth_mode == mode


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/sdg/3?kwartaal=2023KW1", "/sdg/3?kwartaal=2023KW1"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        (None, "/"),
    ],
)
def test_after_sign_in_only_local_paths_are_followed(target, expected):
    assert safe_next(target) == expected
