"""What changed between two quarters (dashboard.changes): status changes, toelichting diffs, tasks
added or dropped, budget deltas and the choice of quarters — on real query results and small frames."""

from __future__ import annotations

import pandas as pd
import pytest
from storekit import ORG, Q1, Q2, make_quarter, write_quarter_csv

from dashboard import changes, queries
from dashboard.importer import import_files
from dashboard.queries import Filters

TASK_COLUMNS = queries.TASK_COLUMNS


def task_frame(rows: list[dict]) -> pd.DataFrame:
    """A ``queries.tasks``-shaped frame: each row gives task_id, status and toelichting."""
    full = []
    for r in rows:
        ap = r["task_id"][:8]
        full.append(
            {
                "task_id": r["task_id"],
                "code": r["task_id"][:11],
                "name": r.get("name", f"Taak {r['task_id']}"),
                "action": r["task_id"][:11],
                "action_text": "Actie",
                "action_plan": ap,
                "ap_label": "Label",
                "sdg": int(ap[1:3]),
                "pillar_id": "people",
                "department": "Welzijn",
                "status": r["status"],
                "toelichting": r.get("toelichting", ""),
            }
        )
    return pd.DataFrame(full, columns=TASK_COLUMNS)


# --- word_diff -------------------------------------------------------------------------------------


def test_word_diff_marks_inserted_and_deleted_words_and_rebuilds_both_texts():
    old = "De evaluatie volgt in april. Er werden 8 aanvragen behandeld."
    new = "De evaluatie volgt in juni. Er werden 8 aanvragen behandeld. Het budget werd vastgelegd."
    runs = changes.word_diff(old, new)
    assert ("delete", "april.") in runs and ("insert", "juni.") in runs
    assert runs[-1] == ("insert", "Het budget werd vastgelegd.")
    assert " ".join(t for op, t in runs if op != "delete") == new
    assert " ".join(t for op, t in runs if op != "insert") == old


def test_word_diff_of_equal_texts_is_one_equal_run_and_whitespace_is_not_a_change():
    assert changes.word_diff("Een  tekst\nmet regels", "Een tekst met regels") == [("equal", "Een tekst met regels")]


def test_word_diff_of_a_new_or_removed_text_is_one_insert_or_one_delete():
    assert changes.word_diff("", "Nieuwe toelichting.") == [("insert", "Nieuwe toelichting.")]
    assert changes.word_diff("Oude toelichting.", "") == [("delete", "Oude toelichting.")]


def test_word_diff_folds_a_lone_shared_word_into_the_rewrite_around_it():
    runs = changes.word_diff(
        "Projecten. Een offerte werd opgevraagd; de gunning volgt.", "Projecten. Stand KW3: de werking loopt."
    )
    assert runs == [
        ("equal", "Projecten."),
        ("delete", "Een offerte werd opgevraagd; de gunning volgt."),
        ("insert", "Stand KW3: de werking loopt."),
    ]


# --- task_changes on small frames ----------------------------------------------------------------


def test_task_changes_lists_status_change_new_changed_removed_toelichting_added_and_dropped():
    before = task_frame(
        [
            {"task_id": "D03/AP01/01-1", "status": "Bezig", "toelichting": "Loopt."},
            {"task_id": "D03/AP01/02-1", "status": "Bezig", "toelichting": ""},
            {"task_id": "D03/AP01/03-1", "status": "Bezig", "toelichting": "Oud."},
            {"task_id": "D03/AP01/04-1", "status": "Niet gestart", "toelichting": "Gepland."},
            {"task_id": "D03/AP01/05-1", "status": "Bezig", "toelichting": "Ongewijzigd."},
            {"task_id": "D03/AP01/06-1", "status": "Bezig", "toelichting": "Weg."},
        ]
    )
    after = task_frame(
        [
            {"task_id": "D03/AP01/01-1", "status": "Voltooid", "toelichting": "Loopt."},
            {"task_id": "D03/AP01/02-1", "status": "Bezig", "toelichting": "Nu wel."},
            {"task_id": "D03/AP01/03-1", "status": "Bezig", "toelichting": "Nieuw."},
            {"task_id": "D03/AP01/04-1", "status": "Niet gestart", "toelichting": ""},
            {"task_id": "D03/AP01/05-1", "status": "Bezig", "toelichting": "Ongewijzigd."},
            {"task_id": "D03/AP01/07-1", "status": "Niet gestart", "toelichting": "Toegevoegd."},
        ]
    )
    got = changes.task_changes(before, after).set_index("task_id")

    assert "D03/AP01/05-1" not in got.index  # nothing changed
    assert got.loc["D03/AP01/01-1", ["status_before", "status_after", "status_changed"]].tolist() == [
        "Bezig",
        "Voltooid",
        True,
    ]
    assert got.loc["D03/AP01/01-1", "toelichting_change"] == ""
    assert got.loc["D03/AP01/02-1", "toelichting_change"] == changes.TEXT_NEW
    assert got.loc["D03/AP01/03-1", "toelichting_change"] == changes.TEXT_CHANGED
    assert got.loc["D03/AP01/04-1", "toelichting_change"] == changes.TEXT_REMOVED
    assert got.loc["D03/AP01/06-1", ["change", "status_before", "status_after"]].tolist() == [
        changes.DROPPED,
        "Bezig",
        None,
    ]
    assert got.loc["D03/AP01/07-1", ["change", "status_before", "status_after"]].tolist() == [
        changes.ADDED,
        None,
        "Niet gestart",
    ]
    assert not got.loc[["D03/AP01/06-1", "D03/AP01/07-1"], "status_changed"].any()
    counts = changes.count_changes(got.reset_index())
    assert counts == changes.Counts(status_changes=1, toelichtingen=2, added=1, dropped=1)


def test_task_changes_with_a_status_filter_keeps_tasks_whose_status_matches_in_either_quarter():
    before = task_frame(
        [
            {"task_id": "D03/AP01/01-1", "status": "Bezig"},
            {"task_id": "D03/AP01/02-1", "status": "Niet gestart"},
        ]
    )
    after = task_frame(
        [
            {"task_id": "D03/AP01/01-1", "status": "Voltooid"},
            {"task_id": "D03/AP01/02-1", "status": "Bezig"},
        ]
    )
    assert changes.task_changes(before, after, ("Voltooid",))["task_id"].tolist() == ["D03/AP01/01-1"]
    assert changes.task_changes(before, after, ("Bezig",))["task_id"].tolist() == ["D03/AP01/01-1", "D03/AP01/02-1"]
    assert changes.task_changes(before, after, ("Niet gestart",))["task_id"].tolist() == ["D03/AP01/02-1"]


def test_task_changes_of_identical_quarters_is_empty_with_the_documented_columns():
    frame = task_frame([{"task_id": "D03/AP01/01-1", "status": "Bezig", "toelichting": "x"}])
    got = changes.task_changes(frame, frame.copy())
    assert got.empty and list(got.columns) == changes.CHANGE_COLUMNS
    assert changes.count_changes(got) == changes.Counts(0, 0, 0, 0)


# --- on the store: KW1 → KW2 ----------------------------------------------------------------------


def test_task_changes_on_the_store_find_the_imported_status_changes_and_toelichtingen(store_with_kw2):
    engine = store_with_kw2.engine
    before = queries.tasks(engine, Filters(ORG, Q1), sdg=3)
    after = queries.tasks(engine, Filters(ORG, Q2), sdg=3)
    got = changes.task_changes(before, after).set_index("task_id")

    assert got.loc["D03/AP03/05-1", ["status_before", "status_after"]].tolist() == ["Niet gestart", "Bezig"]
    assert got.loc["D03/AP05/01-2", ["status_before", "status_after"]].tolist() == ["Niet gestart", "Bezig"]
    assert int(got["status_changed"].sum()) == 2
    # Already Voltooid with an empty toelichting in KW1, and so again in KW2: not a change.
    assert "D03/AP02/02-1" not in got.index and "D03/AP01/01-1" not in got.index
    # Every non-empty toelichting got a "Stand 2023KW2: " prefix in the KW2 file.
    prefixed = got[got["toelichting_change"] == changes.TEXT_CHANGED]
    assert len(prefixed) > 10
    runs = changes.word_diff(prefixed.iloc[0]["toelichting_before"], prefixed.iloc[0]["toelichting_after"])
    assert runs[0] == ("insert", "Stand 2023KW2:") and runs[1][0] == "equal" and len(runs) == 2
    assert (got["change"] == changes.CHANGED).all()  # SDG 3 keeps all its tasks in KW2


def test_task_changes_on_the_store_with_a_department_filter_only_lists_that_department(store_with_kw2):
    engine = store_with_kw2.engine
    f1, f2 = Filters(ORG, Q1, ("Welzijn",)), Filters(ORG, Q2, ("Welzijn",))
    got = changes.task_changes(queries.tasks(engine, f1), queries.tasks(engine, f2))
    assert len(got) and set(got["department"]) == {"Welzijn"}


def test_a_task_missing_from_the_next_quarter_is_dropped_and_a_new_one_added(fresh_store, tmp_path):
    quarter = make_quarter(Q2, sdgs=("1",), drop_tasks=("D01/AP02/02-1",), status={}, toelichting={}, amounts={})
    extra = quarter.taken.iloc[[0]].copy()
    extra["taak_id"], extra["taak"] = "D01/AP01/02-2", "Nieuwe brugfiguur"
    quarter.taken = pd.concat([quarter.taken, extra], ignore_index=True)
    import_files(fresh_store.engine, list(write_quarter_csv(quarter, tmp_path)))
    engine = fresh_store.engine
    got = changes.task_changes(
        queries.tasks(engine, Filters(ORG, Q1), sdg=1), queries.tasks(engine, Filters(ORG, Q2), sdg=1)
    ).set_index("task_id")
    assert got.loc["D01/AP02/02-1", "change"] == changes.DROPPED
    assert got.loc["D01/AP01/02-2", ["change", "name"]].tolist() == [changes.ADDED, "Nieuwe brugfiguur"]
    assert changes.count_changes(got.reset_index()).added == 1


# --- budget_changes ------------------------------------------------------------------------------


def test_budget_changes_give_besteld_and_ontvangen_deltas_per_action_plan_and_policy_goal(store_with_kw2):
    engine = store_with_kw2.engine
    got = changes.budget_changes(
        queries.budget_lines(engine, Filters(ORG, Q1)), queries.budget_lines(engine, Filters(ORG, Q2))
    ).set_index("scope")
    # storekit.KW2_BUDGET: D03/AP01 besteld 41.566,30 → 45.000,50; ontvangen 2.001 → 2.500.
    assert got.loc["D03/AP01", "besteld_before"] == pytest.approx(41566.30)
    assert got.loc["D03/AP01", "besteld_delta"] == pytest.approx(45000.50 - 41566.30)
    assert got.loc["D03/AP01", "ontvangen_delta"] == pytest.approx(2500 - 2001)
    assert got.loc["D03/AP01", "uitgaven_totaal_delta"] == 0
    # SDG 16 keeps its budget at policy-goal level: one line, no action plan.
    assert got.loc["D16", "action_plan"] is None and got.loc["D16", "sdg"] == 16
    assert got.loc["D16", "besteld_delta"] == pytest.approx(1800000.75 - 1558008)
    # Lines of SDGs that are not in the KW2 file count as 0 there.
    assert got.loc["D06/AP01", "besteld_after"] == 0 and got.loc["D06/AP01", "besteld_delta"] < 0
    unchanged = "D03/AP02"
    assert unchanged not in got.index
    everything = changes.budget_changes(
        queries.budget_lines(engine, Filters(ORG, Q1)),
        queries.budget_lines(engine, Filters(ORG, Q2)),
        only_changed=False,
    )
    assert unchanged in set(everything["scope"])


# --- choosing the quarters -----------------------------------------------------------------------

QUARTERS = ["2023KW1", "2023KW2", "2023KW3", "2023KW4"]


@pytest.mark.parametrize(
    ("van", "tot", "kwartaal", "expected"),
    [
        (None, None, None, ("2023KW3", "2023KW4", None)),
        ("2023KW1", "2023KW2", None, ("2023KW1", "2023KW2", None)),
        ("2023 KW1", "2023-Q3", None, ("2023KW1", "2023KW3", None)),  # any accepted spelling
        (None, "2023KW2", None, ("2023KW1", "2023KW2", None)),
        ("2023KW2", "2023KW3", "2023KW4", ("2023KW2", "2023KW4", None)),  # the quarter filter picks 'tot'
        (None, "2023KW1", None, ("2023KW1", "2023KW2", None)),  # the oldest: compare the first two
        ("2023KW3", "2023KW4", "2023KW2", ("2023KW1", "2023KW2", None)),  # a new quarter filter moves 'van' too
    ],
)
def test_resolve_pair_defaults_and_precedence(van, tot, kwartaal, expected):
    assert changes.resolve_pair(QUARTERS, van, tot, kwartaal) == expected


def test_resolve_pair_names_an_unknown_or_reversed_quarter_and_falls_back():
    start, end, notice = changes.resolve_pair(QUARTERS, "2019KW1", "2023KW3")
    assert (start, end) == ("2023KW2", "2023KW3") and "'2019KW1' bestaat niet" in notice
    start, end, notice = changes.resolve_pair(QUARTERS, "2023KW4", "2023KW2")
    assert (start, end) == ("2023KW1", "2023KW2") and "vóór" in notice


def test_resolve_pair_with_one_quarter_has_nothing_to_compare():
    assert changes.resolve_pair(["2023KW1"]) == (None, "2023KW1", None)
    assert changes.resolve_pair([]) == (None, None, None)
    assert changes.previous_quarter(QUARTERS, "2023KW1") is None
    assert changes.previous_quarter(QUARTERS, "2023KW3") == "2023KW2"
