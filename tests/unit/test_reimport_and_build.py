"""Re-importing a quarter replaces exactly that quarter; building the store is idempotent."""

from __future__ import annotations

from storekit import Q1, Q2, assert_same_dump, dump, make_quarter, quarter_content, run_cli, write_quarter_csv

from dashboard.config import SEED_DIR
from dashboard.importer import import_files
from dashboard.store import build_from_seed, data_version


def test_reimport_of_a_quarter_replaces_exactly_that_quarter(fresh_store, kw2, tmp_path):
    engine = fresh_store.engine
    seed_dump = dump(engine, skip=("meta",))
    import_files(engine, list(write_quarter_csv(kw2, tmp_path / "kw2-first")))
    kw3 = make_quarter("2023KW3", sdgs=("4", "10"), status={}, toelichting={}, amounts={})
    import_files(engine, list(write_quarter_csv(kw3, tmp_path / "kw3")))
    others = dump(engine, skip=("meta",), exclude_quarter=Q2)
    version = data_version(engine)

    dropped = ("D03/AP02/01-1", "D03/AP02/02-1", "D16/AP02/02-1", "D01/AP02/02-1")
    second = make_quarter(
        Q2,
        sdgs=("1", "3", "16"),
        drop_tasks=dropped,
        drop_scopes=("D03/AP05", "D01/AP01"),
        status={"D01/AP01/02-1": ("Bezig", "Bezig"), "D03/AP06/01-1": ("Taak voltooid", "Voltooid")},
        toelichting={"D03/AP06/01-1": "Afgerond na de tweede lezing."},
        amounts={"D03/AP06": (448348900, 170000000, 0, 3500000)},
    )
    assert len(second.taken) < len(kw2.taken) and len(second.budget) < len(kw2.budget)
    import_files(engine, list(write_quarter_csv(second, tmp_path / "kw2-second")))

    updates, budget = quarter_content(engine, Q2)
    assert updates == second.expected_updates  # the second file, and nothing left over from the first
    assert budget == second.expected_budget
    assert not set(dropped) & set(updates)
    assert not any(key[0] == 4 for key in budget)  # SDG 4 was in the first KW2 file only
    after = dump(engine, skip=("meta",), exclude_quarter=Q2)
    assert_same_dump(after, others)  # KW1, KW3 and the plan structure, row-for-row
    for table in ("task_update", "budget"):  # column 2 is the quarter in both tables
        assert [r for r in after[table] if r[2] == Q1] == seed_dump[table]
    assert data_version(engine) == version + 1


def test_reimport_of_the_same_file_changes_nothing_but_the_data_version(fresh_store, kw2, tmp_path):
    paths = list(write_quarter_csv(kw2, tmp_path))
    import_files(fresh_store.engine, paths)
    once = dump(fresh_store.engine, skip=("meta",), ignore_budget_id=True)
    import_files(fresh_store.engine, paths)
    assert_same_dump(dump(fresh_store.engine, skip=("meta",), ignore_budget_id=True), once)


def test_build_twice_gives_identical_content(fresh_store):
    first = dump(fresh_store.engine)
    build_from_seed(fresh_store.engine, SEED_DIR)
    assert_same_dump(dump(fresh_store.engine), first)  # every table, budget ids and meta included


def test_build_resets_a_store_with_imported_quarters_to_the_seed(store_with_kw2, seed_store):
    assert Q2 in {r[0] for r in dump(store_with_kw2.engine)["quarter"]}
    build_from_seed(store_with_kw2.engine, SEED_DIR)
    assert_same_dump(dump(store_with_kw2.engine), dump(seed_store.engine))


def test_cli_build_over_a_built_store_gives_the_same_content_as_build_from_seed(fresh_store, seed_store):
    before = dump(fresh_store.engine)
    proc = run_cli(["build"], fresh_store.url)  # the second build of this store
    assert proc.returncode == 0, proc.stderr
    assert "164 taken" in proc.stdout
    assert_same_dump(dump(fresh_store.engine), before)
    assert_same_dump(dump(fresh_store.engine), dump(seed_store.engine))


def test_summary_on_a_store_that_was_never_built_says_how_to_build_it(tmp_path):
    import subprocess
    import sys

    env = {**__import__("os").environ, "DASHBOARD_DB_URL": f"sqlite:///{tmp_path / 'never.sqlite'}"}
    proc = subprocess.run([sys.executable, "-m", "dashboard", "summary"], capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "python -m dashboard build" in proc.stderr
    assert "Traceback" not in proc.stderr and "sqlalche" not in proc.stderr
