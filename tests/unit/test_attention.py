"""Aandachtspunten: each rule fires on a case made for it and stays silent on its near miss, as a pure
function over DataFrames and on real stores built through the importer; thresholds come from the
configuration; filters and the bestuur bound what a view sees."""

from __future__ import annotations

import pandas as pd
from storekit import ORG, Q1, Q2, make_quarter, read_seed, write_csv, write_quarter_csv

from dashboard import attention
from dashboard.attention import Thresholds
from dashboard.config import load_settings
from dashboard.importer import import_files
from dashboard.queries import Filters

DEFAULT = Thresholds()


def lines(*rows: dict) -> pd.DataFrame:
    """Budget lines as queries.budget_lines gives them (plus a label), with defaults for brevity."""
    base = {
        "scope": "D03/AP01",
        "action_plan": "D03/AP01",
        "sdg": 3,
        "pillar_id": "people",
        "label": "Kinderopvang",
        "uitgaven_totaal": 1000.0,
        "uitgaven_besteld": 0.0,
        "ontvangsten_totaal": 0.0,
        "ontvangsten_ontvangen": 0.0,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def tasks(*rows: dict) -> pd.DataFrame:
    """Tasks as queries.tasks gives them, with defaults."""
    base = {
        "task_id": "D03/AP01/01-1",
        "code": "D03/AP01/01",
        "name": "Taak",
        "action_plan": "D03/AP01",
        "sdg": 3,
        "pillar_id": "people",
        "status": "Bezig",
        "toelichting": "Loopt.",
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def ids(items: pd.DataFrame, column: str = "task_id") -> list:
    return items[column].tolist()


# --- besteld / ontvangen above totaal --------------------------------------------------------------------


def test_besteld_above_totaal_fires_only_above_the_total_plus_the_tolerance():
    frame = lines(
        {"scope": "D03/AP01", "action_plan": "D03/AP01", "uitgaven_besteld": 1000.01},
        {"scope": "D03/AP02", "action_plan": "D03/AP02", "uitgaven_besteld": 1000.0},  # exactly spent: fine
        {"scope": "D16", "action_plan": None, "sdg": 16, "pillar_id": "peace", "uitgaven_besteld": 1500.0},
    )
    items = attention.besteld_boven_totaal(frame, DEFAULT)
    assert ids(items, "path") == ["/sdg/3/ap/01", "/sdg/16"]  # a policy-goal line links to its SDG
    assert items["action_plan"].tolist() == ["D03/AP01", None]
    assert "1.000 € besteld van 1.000 € budget" in items["detail"].iloc[0]
    assert attention.besteld_boven_totaal(frame, Thresholds(overrun_eur=600)).empty


def test_ontvangen_above_totaal_fires_for_receipts_without_a_budget():
    frame = lines(
        {"scope": "D03/AP06", "action_plan": "D03/AP06", "ontvangsten_totaal": 0.0, "ontvangsten_ontvangen": 28718.0},
        {"scope": "D03/AP01", "ontvangsten_totaal": 60970.0, "ontvangsten_ontvangen": 30719.0},
    )
    items = attention.ontvangen_boven_totaal(frame, DEFAULT)
    assert ids(items, "action_plan") == ["D03/AP06"]
    assert items["detail"].iloc[0] == "28.718 € ontvangen bij 0 € geraamd (28.718 € meer)"
    assert attention.ontvangen_boven_totaal(frame.iloc[1:], DEFAULT).empty


# --- niet gestart while the plan has committed most of its budget -------------------------------------------


def test_niet_gestart_fires_when_the_plan_has_committed_at_least_the_threshold():
    plans = lines(
        {"scope": "D03/AP01", "action_plan": "D03/AP01", "uitgaven_totaal": 1000.0, "uitgaven_besteld": 750.0},
        {"scope": "D03/AP02", "action_plan": "D03/AP02", "uitgaven_totaal": 1000.0, "uitgaven_besteld": 749.0},
        {"scope": "D03/AP03", "action_plan": "D03/AP03", "uitgaven_totaal": 0.0, "uitgaven_besteld": 0.0},
        {"scope": "D16", "action_plan": None, "uitgaven_totaal": 10.0, "uitgaven_besteld": 10.0},
    )
    frame = tasks(
        {"task_id": "D03/AP01/01-1", "action_plan": "D03/AP01", "status": "Niet gestart"},  # 75 %: fires
        {"task_id": "D03/AP01/02-1", "action_plan": "D03/AP01", "status": "Bezig"},  # started
        {"task_id": "D03/AP02/01-1", "action_plan": "D03/AP02", "status": "Niet gestart"},  # 74,9 %
        {"task_id": "D03/AP03/01-1", "action_plan": "D03/AP03", "status": "Niet gestart"},  # no budget: no %
        {"task_id": "D16/AP01/01-1", "action_plan": "D16/AP01", "status": "Niet gestart"},  # only a goal line
    )
    items = attention.niet_gestart_budget_besteld(frame, plans, DEFAULT)
    assert ids(items) == ["D03/AP01/01-1"]
    assert items["path"].tolist() == ["/sdg/3/ap/01/taak/01-1"]
    assert "AP01 heeft 75% besteld" in items["detail"].iloc[0]
    assert attention.niet_gestart_budget_besteld(frame, plans, Thresholds(committed_pct=76)).empty
    assert ids(attention.niet_gestart_budget_besteld(frame, plans, Thresholds(committed_pct=74.9))) == [
        "D03/AP01/01-1",
        "D03/AP02/01-1",
    ]


# --- toelichting missing or unchanged ----------------------------------------------------------------------


def test_geen_toelichting_fires_for_empty_and_blank_text_only():
    frame = tasks(
        {"task_id": "D03/AP01/01-1", "toelichting": ""},
        {"task_id": "D03/AP01/02-1", "toelichting": "  \n "},
        {"task_id": "D03/AP01/03-1", "toelichting": "Aanbesteding loopt."},
    )
    assert ids(attention.geen_toelichting(frame)) == ["D03/AP01/01-1", "D03/AP01/02-1"]
    assert attention.geen_toelichting(frame.iloc[2:]).empty


def test_toelichting_ongewijzigd_compares_with_the_previous_quarter_up_to_whitespace():
    now = tasks(
        {"task_id": "D03/AP01/01-1", "toelichting": "Aanbesteding  loopt.\n"},
        {"task_id": "D03/AP01/02-1", "toelichting": "Gunning in mei."},
        {"task_id": "D03/AP01/03-1", "toelichting": ""},  # empty both times: the other rule's business
        {"task_id": "D03/AP01/04-1", "toelichting": "Nieuw."},  # no previous update
    )
    before = tasks(
        {"task_id": "D03/AP01/01-1", "toelichting": "Aanbesteding loopt."},
        {"task_id": "D03/AP01/02-1", "toelichting": "Aanbesteding loopt."},
        {"task_id": "D03/AP01/03-1", "toelichting": ""},
    )
    items = attention.toelichting_ongewijzigd(now, before, Q1)
    assert ids(items) == ["D03/AP01/01-1"]
    assert items["detail"].iloc[0].startswith("Zelfde tekst als in 2023 KW1")
    assert attention.toelichting_ongewijzigd(now, None, None).empty


# --- budget without tasks ---------------------------------------------------------------------------------


def test_budget_zonder_taken_fires_for_a_funded_plan_without_any_task():
    frame = lines(
        {"scope": "D03/AP01", "action_plan": "D03/AP01", "uitgaven_totaal": 500.0},  # has tasks
        {"scope": "D03/AP02", "action_plan": "D03/AP02", "uitgaven_totaal": 500.0},  # none: fires
        {"scope": "D03/AP03", "action_plan": "D03/AP03", "uitgaven_totaal": 0.0, "ontvangsten_totaal": 20.0},
        {"scope": "D03/AP04", "action_plan": "D03/AP04", "uitgaven_totaal": 0.0},  # no budget
        {"scope": "D16", "action_plan": None, "uitgaven_totaal": 900.0},  # goal level: not a plan
    )
    quarter_tasks = tasks({"action_plan": "D03/AP01"})
    assert ids(attention.budget_zonder_taken(frame, quarter_tasks, DEFAULT), "action_plan") == ["D03/AP02", "D03/AP03"]
    assert ids(attention.budget_zonder_taken(frame, quarter_tasks, Thresholds(min_budget_eur=100)), "action_plan") == [
        "D03/AP02"
    ]
    assert attention.budget_zonder_taken(frame.iloc[[0, 3, 4]], quarter_tasks, DEFAULT).empty


# --- configuration ----------------------------------------------------------------------------------------


def test_thresholds_come_from_the_environment_with_defaults():
    assert Thresholds.from_settings(load_settings({})) == Thresholds(75.0, 0.0, 0.0)
    configured = load_settings(
        {
            "DASHBOARD_ATTENTION_COMMITTED_PCT": "80,5",
            "DASHBOARD_ATTENTION_OVERRUN_EUR": "2",
            "DASHBOARD_ATTENTION_MIN_BUDGET_EUR": "1000.5",
        }
    )
    assert Thresholds.from_settings(configured) == Thresholds(80.5, 2.0, 1000.5)


def test_every_rule_has_a_one_sentence_explanation_with_its_threshold():
    t = Thresholds(committed_pct=80)
    sentences = {r.id: attention.explain(r, t, Q1) for r in attention.RULES}
    assert "80%" in sentences["niet-gestart-budget-besteld"]
    assert "2023 KW1" in sentences["toelichting-ongewijzigd"]
    assert "geen vorig kwartaal" in attention.explain(attention.RULES[4], t, None)
    for sentence in sentences.values():
        assert sentence.endswith(".") and sentence.count(". ") == 0 and "{" not in sentence


# --- on real stores ------------------------------------------------------------------------------------------


def test_the_seed_flags_sdg3_ap06_receipts_and_every_task_without_toelichting(seed_store):
    found = attention.collect(seed_store.engine, Filters(ORG, Q1), DEFAULT)
    counts = attention.counts(found.items)
    assert list(counts) == list(attention.RULE_IDS) and sum(counts.values()) == len(found.items)
    on = found.items.set_index("rule")
    assert on.loc[["ontvangen-boven-totaal"], "action_plan"].tolist() == ["D03/AP06"]  # 0 € budget, 28.718 € in
    seed = read_seed("taken")
    assert sorted(found.items.loc[found.items["rule"] == "geen-toelichting", "task_id"]) == sorted(
        seed.loc[seed["toelichting"].str.strip() == "", "taak_id"]
    )
    assert counts["toelichting-ongewijzigd"] == 0 and found.previous_quarter is None  # one quarter only
    assert counts["besteld-boven-totaal"] == 0 and counts["budget-zonder-taken"] == 0


def _kw2(fresh_store, tmp_path, **changes):
    quarter = make_quarter(Q2, sdgs=("3",), **{"status": {}, "toelichting": {}, "amounts": {}, **changes})
    import_files(fresh_store.engine, list(write_quarter_csv(quarter, tmp_path / "kw2")))
    return attention.collect(fresh_store.engine, Filters(ORG, Q2), DEFAULT)


def _of(found, rule: str, column: str = "task_id") -> list:
    return sorted(found.items.loc[found.items["rule"] == rule, column])


def test_a_store_flags_an_overspent_plan_and_a_plan_without_tasks(fresh_store, tmp_path):
    seed = read_seed("taken")
    ap02_tasks = tuple(seed.loc[seed["actieplan"] == "D03/AP02", "taak_id"])
    found = _kw2(
        fresh_store,
        tmp_path,
        drop_tasks=ap02_tasks,
        amounts={"D03/AP01": (5532500, 6000000, 6097000, 0)},  # besteld 60.000 € of 55.325 €
    )
    assert _of(found, "besteld-boven-totaal", "action_plan") == ["D03/AP01"]
    assert _of(found, "budget-zonder-taken", "action_plan") == ["D03/AP02"]
    assert found.previous_quarter == Q1


def test_a_store_flags_unstarted_tasks_of_a_plan_that_has_committed_most_of_its_budget(fresh_store, tmp_path):
    found = _kw2(fresh_store, tmp_path, amounts={"D03/AP03": (7127600, 6000000, 0, 0)})  # 84 % besteld
    assert _of(found, "niet-gestart-budget-besteld") == ["D03/AP03/05-1", "D03/AP03/05-2"]
    stricter = attention.collect(fresh_store.engine, Filters(ORG, Q2), Thresholds(committed_pct=90))
    assert _of(stricter, "niet-gestart-budget-besteld") == []


def test_a_store_flags_exactly_the_toelichtingen_copied_from_the_previous_quarter(fresh_store, tmp_path):
    seed = read_seed("taken").set_index("taak_id")
    kept = {tid: seed.loc[tid, "toelichting"] for tid in ("D03/AP01/02-1", "D03/AP05/01-1")}
    assert all(kept.values())
    found = _kw2(fresh_store, tmp_path, toelichting=kept)  # every other text gets "Stand 2023KW2: …"
    assert _of(found, "toelichting-ongewijzigd") == sorted(kept)
    assert "2023 KW1" in found.explanation(attention.RULES[4])


def test_filters_narrow_the_findings_as_they_narrow_the_pages(seed_store):
    everything = attention.collect(seed_store.engine, Filters(ORG, Q1), DEFAULT).items
    bezig = attention.collect(seed_store.engine, Filters(ORG, Q1, statuses=("Bezig",)), DEFAULT).items
    # The status filter narrows the task rules, not the budget rules.
    assert _of_items(bezig, "ontvangen-boven-totaal") == _of_items(everything, "ontvangen-boven-totaal")
    task_rows = bezig[bezig["task_id"].notna()]
    status = read_seed("taken").set_index("taak_id")["status"]
    assert len(task_rows) and set(status[task_rows["task_id"]]) == {"Bezig"}
    assert len(task_rows) < everything["task_id"].notna().sum()
    # The department filter narrows both: AP06's budget line shows only under its own department.
    departments = read_seed("departementen")
    ap06 = departments.loc[(departments["actieplan"] == "D03/AP06") & (departments["taak_id"] == ""), "departement"]
    other = "Facility" if ap06.iloc[0] != "Facility" else "Welzijn"
    assert _of_items(
        attention.collect(seed_store.engine, Filters(ORG, Q1, (ap06.iloc[0],)), DEFAULT).items,
        "ontvangen-boven-totaal",
    ) == ["D03/AP06"]
    assert (
        _of_items(
            attention.collect(seed_store.engine, Filters(ORG, Q1, (other,)), DEFAULT).items, "ontvangen-boven-totaal"
        )
        == []
    )


def _of_items(items: pd.DataFrame, rule: str) -> list:
    return sorted(items.loc[items["rule"] == rule, "action_plan"])


def test_in_scope_keeps_the_findings_of_one_pillar_sdg_or_action_plan(seed_store):
    items = attention.collect(seed_store.engine, Filters(ORG, Q1), DEFAULT).items
    assert set(attention.in_scope(items, sdg=3)["sdg"]) == {3}
    assert set(attention.in_scope(items, pillar="people")["pillar_id"]) == {"people"}
    ap06 = attention.in_scope(items, action_plan="D03/AP06")
    assert ap06["rule"].tolist() == ["ontvangen-boven-totaal"]
    per_pillar = sum(len(attention.in_scope(items, pillar=p)) for p in items["pillar_id"].unique())
    assert per_pillar == len(items) == len(attention.in_scope(items))


def test_another_besturs_data_never_reaches_a_view(seed_store, fresh_store, tmp_path):
    frames = {
        "besturen": pd.DataFrame([{"bestuur": "zwevegem", "naam": "Gemeente Zwevegem"}]),
        "sdgs": pd.DataFrame(
            [
                {
                    "bestuur": "zwevegem",
                    "sdg": "3",
                    "titel": "Gezond",
                    "korte_naam": "Gezond",
                    "kleur": "#4C9F38",
                    "pijler": "People",
                }
            ]
        ),
        "taken": pd.DataFrame(
            [
                {
                    "bestuur": "zwevegem",
                    "kwartaal": Q1,
                    "sdg": "3",
                    "actieplan": "D03/AP01",
                    "actieplan_titel": "Zorg",
                    "actie": "D03/AP01/01",
                    "taak_id": "D03/AP01/01-9",
                    "taak": "Zwevegemse taak",
                    "status": "Bezig",
                    "toelichting": "",
                }
            ]
        ),
        "budget": pd.DataFrame(
            [
                {
                    "bestuur": "zwevegem",
                    "kwartaal": Q1,
                    "sdg": "3",
                    "actieplan": "D03/AP01",
                    "uitgaven_totaal": "10",
                    "uitgaven_besteld": "99",
                    "ontvangsten_totaal": "0",
                    "ontvangsten_ontvangen": "0",
                }
            ]
        ),
    }
    import_files(fresh_store.engine, [write_csv(f, tmp_path / f"{name}.csv") for name, f in frames.items()])
    harelbeke = attention.collect(fresh_store.engine, Filters(ORG, Q1), DEFAULT).items
    expected = attention.collect(seed_store.engine, Filters(ORG, Q1), DEFAULT).items
    pd.testing.assert_frame_equal(harelbeke, expected)
    zwevegem = attention.collect(fresh_store.engine, Filters("zwevegem", Q1), DEFAULT).items
    assert sorted(zip(zwevegem["rule"], zwevegem["label"])) == [
        ("besteld-boven-totaal", "SDG 3 · AP01 Zorg"),
        ("geen-toelichting", "Zwevegemse taak"),
    ]
