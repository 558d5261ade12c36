"""Read-side queries: filters (quarter, department, status), reference lists, percentages, history.

Expected values are computed independently from the seed CSVs: departementen.csv assigns a
department per action plan, and rows with a taak_id override it for that task.
"""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest
from storekit import (
    ORG,
    Q1,
    Q2,
    STATUSES,
    UNASSIGNED,
    effective_departments,
    euros_to_cents,
    make_quarter,
    plan_departments,
    read_seed,
    write_csv,
    write_quarter_csv,
)

from dashboard import queries
from dashboard.importer import import_files
from dashboard.queries import Filters

# DESIGN.md §3: Harelbeke's pillar mapping, plus the usual 5P place of the SDGs without action plans.
PILLAR_SDGS = {
    "people": [1, 2, 3, 4, 5, 10],
    "prosperity": [7, 8, 9, 11],
    "planet": [6, 12, 13, 14, 15],
    "peace": [16],
    "partnership": [17],
}
SDG_PILLAR = {sdg: pillar for pillar, numbers in PILLAR_SDGS.items() for sdg in numbers}
# DESIGN.md §5: SDG official colours.
COLOURS = {
    1: "#E5243B",
    2: "#DDA63A",
    3: "#4C9F38",
    4: "#C5192D",
    5: "#FF3A21",
    6: "#26BDE2",
    7: "#FCC30B",
    8: "#A21942",
    9: "#FD6925",
    10: "#DD1367",
    11: "#FD9D24",
    12: "#BF8B2E",
    13: "#3F7E44",
    14: "#0A97D9",
    15: "#56C02B",
    16: "#00689D",
    17: "#19486A",
}
AMOUNTS = ["uitgaven_totaal", "uitgaven_besteld", "ontvangsten_totaal", "ontvangsten_ontvangen"]

DEPARTMENT_FILTERS = [
    (),
    ("Welzijn",),
    ("Vrije Tijd", "Facility"),
    ("Onderwijs",),
    ("P&O", "G&I", "Financiën"),
    ("Algemeen directeur",),
    (UNASSIGNED,),
]
STATUS_FILTERS = [(), ("Bezig",), ("Niet gestart", "Voltooid")]


@pytest.fixture(scope="module")
def seed_tasks() -> pd.DataFrame:
    taken = read_seed("taken")
    depts = effective_departments()
    taken["department"] = taken["taak_id"].map(depts)
    taken["sdg"] = taken["sdg"].astype(int)
    taken["pillar"] = taken["sdg"].map(SDG_PILLAR)
    return taken


def expected_budget_by_sdg(departments: tuple[str, ...]) -> dict[int, list[float]]:
    """Per SDG the four amounts in euros, of the lines whose action plan is in ``departments``
    (all lines, policy-goal lines included, when no department is chosen)."""
    per_plan = plan_departments()
    sums: dict[int, list[float]] = {}
    for row in read_seed("budget").itertuples():
        if departments and (not row.actieplan or per_plan.get(row.actieplan, UNASSIGNED) not in departments):
            continue
        values = [(euros_to_cents(getattr(row, c)) or 0) / 100 for c in AMOUNTS]
        sums[int(row.sdg)] = [a + b for a, b in zip(sums.get(int(row.sdg), [0.0] * 4), values)]
    return sums


@pytest.mark.parametrize("statuses", STATUS_FILTERS, ids=lambda s: "+".join(s) or "all-statuses")
@pytest.mark.parametrize("departments", DEPARTMENT_FILTERS, ids=lambda d: "+".join(d) or "all-departments")
def test_department_and_status_filters_select_exactly_the_expected_tasks(seed_store, seed_tasks, departments, statuses):
    f = Filters(ORG, Q1, departments=departments, statuses=statuses)
    mask = pd.Series(True, index=seed_tasks.index)
    if departments:
        mask &= seed_tasks.department.isin(departments)
    if statuses:
        mask &= seed_tasks.status.isin(statuses)
    want = seed_tasks[mask]
    got = queries.tasks(seed_store.engine, f)
    assert sorted(got["task_id"]) == sorted(want["taak_id"])
    assert dict(zip(got.task_id, got.department)) == dict(zip(want.taak_id, want.department))

    counts = queries.status_counts(seed_store.engine, f, "pillar").set_index("key")
    want_counts = Counter(zip(want.pillar, want.status))
    for pillar in PILLAR_SDGS:
        for status in STATUSES:
            got_n = int(counts.loc[pillar, status]) if pillar in counts.index else 0
            assert got_n == want_counts[(pillar, status)], (pillar, status)
    overview = queries.pillar_overview(seed_store.engine, f).set_index("key")
    assert overview["tasks"].to_dict() == {p: sum(want_counts[(p, s)] for s in STATUSES) for p in PILLAR_SDGS}


def test_seed_has_tasks_whose_department_overrides_their_action_plans(seed_tasks):
    per_plan = plan_departments()
    overridden = seed_tasks[seed_tasks.department != seed_tasks.actieplan.map(per_plan)]
    task_rows = read_seed("departementen").query("taak_id != ''")
    assert len(overridden) == len(task_rows) > 0  # so the department tests above exercise task-level overrides
    assert set(seed_tasks.department) - {UNASSIGNED} == set(read_seed("departementen").departement)


@pytest.mark.parametrize("departments", DEPARTMENT_FILTERS, ids=lambda d: "+".join(d) or "all-departments")
def test_department_filter_narrows_budget_through_the_action_plan_and_drops_policy_goal_lines(seed_store, departments):
    f = Filters(ORG, Q1, departments=departments)
    lines = queries.budget_lines(seed_store.engine, f)
    totals = queries.budget_totals(seed_store.engine, f, "sdg").set_index("key")
    want = expected_budget_by_sdg(departments)
    assert sorted(totals.index) == sorted(want)
    for sdg, amounts in want.items():
        assert totals.loc[sdg, AMOUNTS].tolist() == pytest.approx(amounts, abs=0.001), sdg
    if departments:
        assert lines["action_plan"].notna().all()
        assert "D16" not in set(lines["scope"])
        assert "beleidsdoelstelling" not in set(queries.action_plan_overview(seed_store.engine, f, 16)["level"])
    else:
        assert "D16" in set(lines["scope"])


def test_department_filter_counts_tasks_by_their_own_department_but_budget_by_the_plans():
    # D04/AP01/03-1 (Digisprong) belongs to Onderwijs; its plan D04/AP01 and the plan's budget to Welzijn.
    assert effective_departments()["D04/AP01/03-1"] == "Onderwijs"
    assert plan_departments()["D04/AP01"] == "Welzijn"
    assert 4 not in expected_budget_by_sdg(("Onderwijs",))


def test_status_filter_leaves_budget_figures_unchanged(seed_store):
    plain = queries.sdg_overview(seed_store.engine, Filters(ORG, Q1))
    narrowed = queries.sdg_overview(seed_store.engine, Filters(ORG, Q1, statuses=("Voltooid",)))
    pd.testing.assert_frame_equal(plain[["key", *AMOUNTS]], narrowed[["key", *AMOUNTS]])
    assert narrowed["tasks"].sum() == 7 and plain["tasks"].sum() == 164


def test_quarter_filter_shows_each_quarters_own_tasks_statuses_and_budget(store_with_kw2, kw2, seed_tasks):
    engine = store_with_kw2.engine
    q2 = queries.tasks(engine, Filters(ORG, Q2))
    assert dict(zip(q2.task_id, zip(q2.status, q2.toelichting))) == kw2.expected_updates
    q1 = queries.tasks(engine, Filters(ORG, Q1))
    assert dict(zip(q1.task_id, q1.status)) == dict(zip(seed_tasks.taak_id, seed_tasks.status))

    summary = queries.summary(engine, ORG, Q2)
    by_sdg = {s["sdg"]: s for s in summary["sdgs"]}
    for sdg in range(1, 18):
        want_tasks = sum(1 for t in kw2.expected_updates if int(t[1:3]) == sdg)
        assert by_sdg[sdg]["tasks"] == want_tasks
        ut = sum(v[0] for k, v in kw2.expected_budget.items() if k[0] == sdg and k[2] == "uitgaven") / 100
        assert by_sdg[sdg]["uitgaven"]["totaal"] == pytest.approx(ut)
    voltooid = Counter(st for st, _ in kw2.expected_updates.values())["Voltooid"]
    assert sum(p["status"]["Voltooid"] for p in summary["pillars"]) == voltooid


def test_percentage_is_nan_for_a_zero_total_and_zero_when_nothing_is_realised(seed_store):
    sdg3 = queries.action_plan_overview(seed_store.engine, Filters(ORG, Q1), 3).set_index("key")
    ap06 = sdg3.loc["D03/AP06"]  # receipts without a budget: 0 € / 28.718 €
    assert ap06["ontvangsten_totaal"] == 0 and ap06["ontvangsten_ontvangen"] == 28718
    assert ap06["ontvangsten_resterend"] == -28718
    assert math.isnan(ap06["ontvangen_pct"])
    ap01 = sdg3.loc["D03/AP01"]
    assert ap01["besteld_pct"] == pytest.approx(100 * ap01["uitgaven_besteld"] / ap01["uitgaven_totaal"])
    assert ap01["ontvangen_pct"] == pytest.approx(100 * ap01["ontvangsten_ontvangen"] / ap01["ontvangsten_totaal"])
    sdg6 = queries.action_plan_overview(seed_store.engine, Filters(ORG, Q1), 6).set_index("key")
    assert sdg6.loc["D06/AP04", "besteld_pct"] == 0.0  # 12.500 € budget, nothing committed
    assert math.isnan(sdg6.loc["D06/AP03", "besteld_pct"])  # no budget at all
    sdgs = queries.sdg_overview(seed_store.engine, Filters(ORG, Q1)).set_index("key")
    assert math.isnan(sdgs.loc[5, "besteld_pct"]) and not sdgs.loc[5, "has_budget"]
    counts = queries.status_counts(seed_store.engine, Filters(ORG, Q1), "sdg").set_index("key")
    assert counts.loc[15, "pct_voltooid"] == pytest.approx(100 * 2 / 9)  # SDG 15: 2 of 9 tasks voltooid


def test_list_quarters_is_chronological_and_per_bestuur(fresh_store, tmp_path):
    assert queries.list_quarters(fresh_store.engine, ORG) == [Q1]
    for code in ("2023KW2", "2022KW4"):
        q = make_quarter(code, sdgs=("1",), status={}, toelichting={}, amounts={})
        import_files(fresh_store.engine, list(write_quarter_csv(q, tmp_path / code)))
    assert queries.list_quarters(fresh_store.engine, ORG) == ["2022KW4", Q1, Q2]
    assert queries.list_quarters(fresh_store.engine, "zwevegem") == []


def test_list_departments_of_the_seed_lists_every_assigned_department_and_no_niet_toegewezen(seed_store):
    got = queries.list_departments(seed_store.engine, ORG)
    assert got == sorted(set(read_seed("departementen").departement), key=str.lower)
    assert UNASSIGNED not in got


def test_list_departments_adds_niet_toegewezen_last_once_something_is_unassigned(fresh_store, tmp_path):
    row = {
        "kwartaal": Q1,
        "sdg": "5",
        "actieplan": "D05/AP01",
        "actieplan_titel": "We bevorderen gendergelijkheid",
        "actie": "D05/AP01/01",
        "taak_id": "D05/AP01/01-1",
        "taak": "Genderneutrale vacatures",
        "status": "Bezig",
        "toelichting": "",
    }
    import_files(fresh_store.engine, [write_csv(pd.DataFrame([row]), tmp_path / "taken.csv")])
    got = queries.list_departments(fresh_store.engine, ORG)
    assert got[-1] == UNASSIGNED and got[:-1] == sorted(set(read_seed("departementen").departement), key=str.lower)
    unassigned = queries.tasks(fresh_store.engine, Filters(ORG, Q1, departments=(UNASSIGNED,)))
    assert unassigned["task_id"].tolist() == ["D05/AP01/01-1"]


def test_pillars_map_the_sdgs_as_in_the_design(seed_store):
    frame = queries.pillars(seed_store.engine, ORG)
    assert {row.id: sorted(row.sdgs) for row in frame.itertuples()} == PILLAR_SDGS
    assert sorted(frame["sort_order"]) == [1, 2, 3, 4, 5]
    assert frame["sort_order"].is_monotonic_increasing
    assert set(frame["name"]) == {"People", "Prosperity", "Planet", "Peace", "Partnership"}


def test_sdgs_lists_all_17_with_official_colours_pillars_and_action_plan_counts(seed_store, seed_tasks):
    frame = queries.sdgs(seed_store.engine, ORG).set_index("number")
    assert sorted(frame.index) == list(range(1, 18))
    assert frame["colour"].to_dict() == COLOURS
    assert frame["pillar_id"].to_dict() == SDG_PILLAR
    plans = seed_tasks.groupby("sdg")["actieplan"].nunique().to_dict()
    assert frame["action_plans"].to_dict() == {n: plans.get(n, 0) for n in range(1, 18)}
    assert [n for n in range(1, 18) if frame.loc[n, "action_plans"] == 0] == [5, 9, 12, 14, 17]
    assert frame.loc[3, "short_name"] == "Goede gezondheid en welzijn"
    assert frame.loc[1, "title"] == "Harelbeke bestrijdt armoede overal en in al haar vormen"


def test_task_history_lists_every_quarter_of_a_task_oldest_first(fresh_store, tmp_path):
    task = "D01/AP01/02-1"
    kw4 = make_quarter(
        "2022KW4",
        sdgs=("1",),
        status={task: ("Niet gestart", "Niet gestart")},
        toelichting={task: "Vacature brugfiguur uitgeschreven."},
        amounts={},
    )
    kw2 = make_quarter(Q2, sdgs=("1",))
    for q in (kw2, kw4):  # imported out of order on purpose
        import_files(fresh_store.engine, list(write_quarter_csv(q, tmp_path / q.taken.kwartaal[0])))
    history = queries.task_history(fresh_store.engine, ORG, task)
    assert history["quarter"].tolist() == ["2022KW4", Q1, Q2]
    assert history["status"].tolist() == ["Niet gestart", "Bezig", "Voltooid"]
    assert history["toelichting"][0] == "Vacature brugfiguur uitgeschreven."
    assert history["toelichting"][1].startswith("Er vond een personeelswissel plaats")
    assert history["toelichting"][2] == kw2.expected_updates[task][1]
    assert queries.task_history(fresh_store.engine, ORG, "D99/AP01/01-1").empty


# --- bugs found --------------------------------------------------------------------------------------


def test_policy_goal_row_has_a_pct_voltooid_for_its_tasks(seed_store):
    goal = queries.action_plan_overview(seed_store.engine, Filters(ORG, Q1), 16).set_index("key").loc["D16"]
    assert goal["tasks"] == 31
    assert goal["pct_voltooid"] == 0.0
