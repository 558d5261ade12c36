"""The synthetic region (dashboard.region, ``python -m dashboard region``) and the region-wide aggregate
(queries.region_overview): same seed, same besturen; the shape the issue asks for (17 SDGs, ~40 action
plans, ~300 tasks, 24 quarters from 2020KW1); everything labelled synthetic; statuses move forward and
budgets grow; the importer accepts the files and gives the store the bulk loader gives; and the
region overview, checked against a case small enough to count by hand and against the seed's pages."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from sqlalchemy import inspect
from storekit import ORG, assert_same_dump, dump, run_cli

from dashboard import queries, region, schema, search
from dashboard.config import SEED_DIR
from dashboard.importer import import_files
from dashboard.queries import Filters
from dashboard.store import create_schema
from dashboard.synthetic import PREFIX, STATUS_ORDER

QUARTERS_2020_2025 = [f"{y}KW{n}" for y in range(2020, 2026) for n in range(1, 5)]


@pytest.fixture(scope="module")
def template() -> region.Template:
    return region.load_template()


@pytest.fixture(scope="module")
def bestuur(template) -> region.Bestuur:
    """The region's first bestuur over 24 quarters (2020KW1–2025KW4)."""
    return region.plan_bestuur(template, 0, quarters=24)


def test_the_same_seed_gives_the_same_bestuur_whatever_the_size_of_the_region(template, bestuur):
    again = region.plan_bestuur(template, 0, quarters=24)
    for name in region.TABLES:
        pd.testing.assert_frame_equal(again.tables[name], bestuur.tables[name])
    first_of_three = next(region.region(3, quarters=24, template=template))
    pd.testing.assert_frame_equal(first_of_three.tables["taken"], bestuur.tables["taken"])
    other_seed = region.plan_bestuur(template, 0, quarters=24, seed=1)
    assert not other_seed.tables["taken"].equals(bestuur.tables["taken"])
    neighbour = region.plan_bestuur(template, 1, quarters=24)
    assert (neighbour.org, neighbour.name) != (bestuur.org, bestuur.name)
    assert not neighbour.tables["taken"]["taak_id"].equals(bestuur.tables["taken"]["taak_id"])


def test_a_bestuur_has_17_sdgs_about_40_action_plans_and_about_300_tasks_in_each_of_24_quarters(bestuur):
    taken, sdgs = bestuur.tables["taken"], bestuur.tables["sdgs"]
    assert sorted(sdgs["sdg"].astype(int)) == list(range(1, 18))
    place = bestuur.name.removesuffix(" (synthetisch)")
    seed_titles = pd.read_csv(SEED_DIR / "sdgs.csv", dtype=str)["titel"]
    assert sdgs["titel"].str.contains(place).sum() == seed_titles.str.contains("Harelbeke").sum() > 5
    assert not sdgs["titel"].str.contains("Harelbeke").any()
    assert sorted(set(taken["kwartaal"])) == sorted(QUARTERS_2020_2025)
    assert 36 <= taken["actieplan"].nunique() <= 44
    per_quarter = taken.groupby("kwartaal")["taak_id"].nunique()
    assert per_quarter.between(region.TASKS[0] - 1, region.TASKS[1] + 2).all()
    assert not taken.duplicated(["kwartaal", "taak_id"]).any()
    for row in taken.drop_duplicates("taak_id").itertuples():
        assert row.taak_id.startswith(row.actie + "-") and row.actie.startswith(row.actieplan + "/")
        assert row.actieplan.startswith(f"D{int(row.sdg):02d}/AP")
    budget = bestuur.tables["budget"]
    assert set(budget["kwartaal"]) == set(QUARTERS_2020_2025)
    assert not budget.duplicated(["kwartaal", "sdg", "actieplan"]).any()


def test_everything_is_labelled_synthetic(bestuur):
    assert bestuur.org.startswith("synth-") and bestuur.name.endswith("(synthetisch)")
    for name in ("taken", "budget"):
        frame = bestuur.tables[name]
        assert (frame["synthetisch"] == "ja").all()
        assert frame["bron"].str.contains("synthetische regio").all()
    texts = bestuur.tables["taken"]["toelichting"]
    assert texts[texts != ""].str.startswith(PREFIX).all()


def test_texts_name_the_bestuur_not_the_seed_town_and_no_task_is_a_placeholder(bestuur):
    taken = bestuur.tables["taken"]
    place = bestuur.name.removesuffix(" (synthetisch)")
    columns = ["actieplan_label", "actieplan_titel", "actie_omschrijving", "taak", "toelichting"]
    assert not taken[columns].apply(lambda c: c.str.contains("Harelbeke|ontbreekt in het rapport")).any().any()
    assert taken["actie_omschrijving"].str.contains(place).any()  # the seed's "Harelbeke" texts, renamed


def test_statuses_move_forward_except_rare_setbacks_and_the_plan_progresses_without_finishing(bestuur):
    taken = bestuur.tables["taken"].copy()
    taken["order"] = taken["kwartaal"].map(QUARTERS_2020_2025.index)
    steps = backwards = 0
    for _task, rows in taken.sort_values("order").groupby("taak_id"):
        statuses = list(rows["status"])
        for before, after in zip(statuses, statuses[1:]):
            steps += 1
            if STATUS_ORDER[after] < STATUS_ORDER[before]:
                backwards += 1
                assert (before, after) == ("Bezig", "Niet gestart")
    assert backwards <= 0.01 * steps
    done = taken[taken["status"] == "Voltooid"].groupby("kwartaal").size()
    first, last = done.get("2020KW1", 0), done["2025KW4"]
    assert last > first + 50
    assert last < taken[taken["kwartaal"] == "2025KW4"].shape[0]  # a plan still has open tasks in 2025


def test_budgets_only_grow_and_committed_never_exceeds_the_total(bestuur):
    budget = bestuur.tables["budget"].copy()
    budget["order"] = budget["kwartaal"].map(QUARTERS_2020_2025.index)
    changed_totals = 0
    for _scope, rows in budget.sort_values("order").groupby(["sdg", "actieplan"]):
        assert rows["uitgaven_besteld"].is_monotonic_increasing
        assert rows["ontvangsten_ontvangen"].is_monotonic_increasing
        assert (rows["uitgaven_besteld"] <= rows["uitgaven_totaal"]).all()
        changed_totals += int((rows["uitgaven_totaal"].diff().fillna(0) != 0).sum())
    assert 0 < changed_totals < len(budget) * 0.1
    assert budget["uitgaven_besteld"].sum() > 0 and budget["ontvangsten_ontvangen"].sum() > 0


def test_300_besturen_have_distinct_valid_ids_and_names():
    ids = [region.org_id(i) for i in range(300)]
    names = [region.place_name(i) for i in range(300)]
    assert len(set(ids)) == len(set(names)) == 300
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", i) for i in ids)
    assert region.place_name(300) != region.place_name(0)


def test_the_importer_accepts_the_files_and_the_bulk_loader_gives_the_same_store(store_factory, template, tmp_path):
    besturen = list(region.region(2, quarters=3, template=template))
    imported, bulk = store_factory.new("imported"), store_factory.new("bulk")
    create_schema(imported.engine)
    create_schema(bulk.engine)
    for bestuur, fmt in zip(besturen, ("parquet", "csv")):
        region.write_bestuur(bestuur, tmp_path / "files", fmt)
        result = import_files(imported.engine, region.bestuur_files(tmp_path / "files", bestuur.org))
        assert result.task_updates == bestuur.rows
        assert region.bulk_load(bulk.engine, bestuur) == bestuur.rows
    assert_same_dump(dump(bulk.engine, ignore_budget_id=True), dump(imported.engine, ignore_budget_id=True))
    index = {}
    for store in (imported, bulk):
        with store.engine.connect() as conn:
            rows = conn.exec_driver_sql(f"SELECT org_id, task_id, quarter, name, toelichting FROM {search.INDEX_TABLE}")
            index[store.url] = sorted(tuple(r) for r in rows)
    assert index[imported.url] == index[bulk.url] and len(index[bulk.url]) == sum(b.rows for b in besturen)
    sources = queries.quarter_sources(bulk.engine, besturen[0].org)
    assert list(sources["quarter"]) == ["2020KW1", "2020KW2", "2020KW3"] and sources["synthetic"].all()


def test_the_bulk_loader_refuses_a_bestuur_that_is_already_in_the_store(store_factory, template):
    store = store_factory.new("twice")
    create_schema(store.engine)
    bestuur = region.plan_bestuur(template, 4, quarters=1)
    region.bulk_load(store.engine, bestuur)
    with pytest.raises(ValueError, match="staat al in de store"):
        region.bulk_load(store.engine, bestuur)
    assert len(queries.tasks(store.engine, Filters(bestuur.org, "2020KW1"))) == bestuur.rows  # loaded once


def test_cli_region_writes_the_files_loads_the_store_and_refuses_the_seed_folder(empty_store, tmp_path):
    out = tmp_path / "regio"
    proc = run_cli(["region", "--besturen", "2", "--quarters", "2", "--out", str(out), "--load"], empty_store.url)
    assert proc.returncode == 0, proc.stderr
    assert "2 besturen × 2 kwartalen" in proc.stdout
    assert sorted(p.name for p in (out / "synth-002").iterdir()) == [f"{t}.parquet" for t in sorted(region.TABLES)]
    assert (out / "region.json").exists()
    orgs = queries.list_organisations(empty_store.engine)
    assert sorted(orgs["id"]) == ["synth-001", "synth-002"]
    assert queries.list_quarters(empty_store.engine, "synth-001") == ["2020KW1", "2020KW2"]
    refused = run_cli(["region", "--besturen", "1", "--out", str(SEED_DIR / "regio")], empty_store.url)
    assert refused.returncode == 2 and "nooit" in refused.stderr
    assert not (SEED_DIR / "regio").exists()
    nothing = run_cli(["region", "--besturen", "1"], empty_store.url)
    assert nothing.returncode == 2 and "--out" in nothing.stderr


# --- region_overview -------------------------------------------------------------------------------

BESTUREN = "bestuur,naam\nalfa,Stad Alfa\nbeta,Gemeente Beta\ngamma,Gemeente Gamma\n"
SDGS = (
    "bestuur,sdg,titel,korte_naam,kleur,pijler\n"
    "alfa,1,Alfa bestrijdt armoede,Geen armoede,#E5243B,people\n"
    "alfa,16,Alfa bouwt sterke instellingen,Vrede,#00689D,peace\n"
    "beta,1,Beta bestrijdt armoede,Geen armoede,#E5243B,people\n"
)
TAKEN = (
    "bestuur,kwartaal,sdg,actieplan,actieplan_titel,actie,taak_id,taak,status,toelichting,synthetisch\n"
    "alfa,2024KW1,1,D01/AP01,Armoede,D01/AP01/01,D01/AP01/01-1,Taak een,Niet gestart,,nee\n"
    "alfa,2024KW1,1,D01/AP01,Armoede,D01/AP01/01,D01/AP01/01-2,Taak twee,Bezig,,nee\n"
    "alfa,2024KW1,16,D16/AP01,Bestuur,D16/AP01/01,D16/AP01/01-1,Taak drie,Voltooid,,nee\n"
    "alfa,2024KW2,1,D01/AP01,Armoede,D01/AP01/01,D01/AP01/01-1,Taak een,Bezig,,nee\n"
    "alfa,2024KW2,1,D01/AP01,Armoede,D01/AP01/01,D01/AP01/01-2,Taak twee,Voltooid,,nee\n"
    "alfa,2024KW2,16,D16/AP01,Bestuur,D16/AP01/01,D16/AP01/01-1,Taak drie,Voltooid,,nee\n"
    "beta,2024KW2,1,D01/AP01,Armoede,D01/AP01/01,D01/AP01/01-1,Taak een,Voltooid,,ja\n"
    "beta,2024KW2,1,D01/AP01,Armoede,D01/AP01/02,D01/AP01/02-1,Taak twee,Voltooid,,ja\n"
)
BUDGET = (
    "bestuur,kwartaal,sdg,actieplan,uitgaven_totaal,uitgaven_besteld,ontvangsten_totaal,ontvangsten_ontvangen,"
    "synthetisch\n"
    "alfa,2024KW1,1,D01/AP01,1000,100,0,0,nee\n"
    "alfa,2024KW2,1,D01/AP01,1000,250,0,0,nee\n"
    "alfa,2024KW2,16,,3000,750,400,100,nee\n"
    "beta,2024KW2,1,D01/AP01,200,200,100,50,ja\n"
)


@pytest.fixture
def three_besturen(store_factory, tmp_path):
    """Alfa (2024KW1 and KW2), Beta (only 2024KW2, synthetic) and Gamma (no data at all)."""
    store = store_factory.new("regio")
    paths = []
    for name, content in (("besturen", BESTUREN), ("sdgs", SDGS), ("taken", TAKEN), ("budget", BUDGET)):
        path = tmp_path / f"{name}.csv"
        path.write_text(content, encoding="utf-8")
        paths.append(path)
    import_files(store.engine, paths)
    return store


def test_region_overview_counts_tasks_and_sums_budget_per_bestuur_as_counted_by_hand(three_besturen):
    frame = queries.region_overview(three_besturen.engine, "2024KW2").set_index("org")
    assert list(frame.index) == ["beta", "gamma", "alfa"]  # by name: Gemeente Beta, Gemeente Gamma, Stad Alfa
    alfa, beta, gamma = frame.loc["alfa"], frame.loc["beta"], frame.loc["gamma"]
    assert (alfa["Niet gestart"], alfa["Bezig"], alfa["Voltooid"], alfa["tasks"]) == (0, 1, 2, 3)
    assert alfa["pct_voltooid"] == pytest.approx(200 / 3)
    assert (alfa["uitgaven_totaal"], alfa["uitgaven_besteld"], alfa["uitgaven_resterend"]) == (4000, 1000, 3000)
    assert alfa["besteld_pct"] == pytest.approx(25.0)
    assert (alfa["ontvangsten_totaal"], alfa["ontvangsten_ontvangen"], alfa["ontvangen_pct"]) == (400, 100, 25.0)
    assert (beta["Voltooid"], beta["tasks"], beta["pct_voltooid"], beta["besteld_pct"]) == (2, 2, 100.0, 100.0)
    assert beta["ontvangen_pct"] == pytest.approx(50.0)
    assert (gamma["tasks"], gamma["uitgaven_totaal"]) == (0, 0.0)
    assert pd.isna(gamma["pct_voltooid"]) and pd.isna(gamma["besteld_pct"]) and pd.isna(gamma["ontvangen_pct"])
    assert (bool(alfa["synthetic"]), bool(beta["synthetic"]), bool(gamma["synthetic"])) == (False, True, False)


def test_region_overview_of_another_quarter_shows_only_that_quarter(three_besturen):
    frame = queries.region_overview(three_besturen.engine, "2024KW1").set_index("org")
    alfa, beta = frame.loc["alfa"], frame.loc["beta"]
    assert (alfa["Niet gestart"], alfa["Bezig"], alfa["Voltooid"]) == (1, 1, 1)
    assert (alfa["uitgaven_totaal"], alfa["uitgaven_besteld"], alfa["besteld_pct"]) == (1000, 100, 10.0)
    assert beta["tasks"] == 0 and pd.isna(beta["besteld_pct"])
    assert queries.region_overview(three_besturen.engine, "2019KW1")["tasks"].sum() == 0


def test_region_overview_agrees_with_the_pages_of_the_seed_bestuur(seed_store):
    row = queries.region_overview(seed_store.engine, "2023KW1").set_index("org").loc[ORG]
    pillars = queries.pillar_overview(seed_store.engine, Filters(ORG, "2023KW1"))
    for column in ("Niet gestart", "Bezig", "Voltooid", "tasks"):
        assert row[column] == pillars[column].sum()
    assert row["tasks"] == 164
    for column in ("uitgaven_totaal", "uitgaven_besteld", "ontvangsten_totaal", "ontvangsten_ontvangen"):
        assert row[column] == pytest.approx(pillars[column].sum())


def test_create_schema_adds_indexes_a_store_made_before_them_lacks(fresh_store):
    engine = fresh_store.engine
    names = {ix.name for table in schema.metadata.sorted_tables for ix in table.indexes}
    with engine.begin() as conn:
        for name in sorted(names):
            conn.exec_driver_sql(f"DROP INDEX {name}")
    create_schema(engine)
    present = {ix["name"] for table in schema.metadata.sorted_tables for ix in inspect(engine).get_indexes(table.name)}
    assert names <= present


# --- the search index at region scale (SQLite: FTS5 rowid blocks per bestuur) ---------------------------


def index_blocks(engine) -> dict[str, set[int]]:
    """bestuur → the rowid blocks (rowid >> SLOT_BITS) of its rows in the FTS5 index."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT org_id, rowid FROM {search.INDEX_TABLE}").all()
    blocks: dict[str, set[int]] = {}
    for org, rowid in rows:
        blocks.setdefault(org, set()).add(rowid >> search.SLOT_BITS)
    return blocks


def test_each_bestuurs_index_rows_stay_in_a_block_of_their_own_through_reimports(store_factory, template, tmp_path):
    store = store_factory.new("blocks")
    if store.path is None:
        pytest.skip("rowid blocks are how the SQLite FTS5 index finds a bestuur's rows")
    create_schema(store.engine)
    besturen = list(region.region(3, quarters=2, template=template))
    for bestuur in besturen:
        region.bulk_load(store.engine, bestuur)
    second = besturen[1]
    region.write_bestuur(second, tmp_path / "files", "csv")
    import_files(store.engine, region.bestuur_files(tmp_path / "files", second.org))  # replaces both quarters
    blocks = index_blocks(store.engine)
    assert all(len(b) == 1 for b in blocks.values()) and len(set().union(*blocks.values())) == 3
    with store.engine.connect() as conn:
        keyed = conn.exec_driver_sql(f"SELECT id, org_id, quarter, task_id FROM {search.ROWS_TABLE}").all()
        indexed = conn.exec_driver_sql(f"SELECT rowid, org_id, quarter, task_id FROM {search.INDEX_TABLE}").all()
    assert sorted(keyed) == sorted(indexed) and len(indexed) == sum(b.rows for b in besturen)
    name = second.tables["taken"]["taak"].iloc[0]
    found = search.search(store.engine, Filters(second.org, "2020KW2"), name)
    assert len(found) and set(found["task_id"]) <= set(second.tables["taken"]["taak_id"])
    assert search.search(store.engine, Filters("onbekend", "2020KW2"), name).empty


def test_a_sqlite_index_from_before_the_row_table_is_rebuilt_with_blocks(fresh_store):
    if fresh_store.path is None:
        pytest.skip("the row table exists on SQLite only")
    with fresh_store.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TABLE {search.ROWS_TABLE}")
        columns = "org_id, task_id, quarter, name, toelichting"
        conn.exec_driver_sql(f"CREATE TEMP TABLE old AS SELECT {columns} FROM {search.INDEX_TABLE}")
        conn.exec_driver_sql(f"DELETE FROM {search.INDEX_TABLE}")
        conn.exec_driver_sql(f"INSERT INTO {search.INDEX_TABLE} ({columns}) SELECT {columns} FROM old")  # rowids 1…
    assert index_blocks(fresh_store.engine) == {ORG: {0}}
    create_schema(fresh_store.engine)  # as the app and every import do at start
    assert index_blocks(fresh_store.engine) == {ORG: {1}}
    with fresh_store.engine.connect() as conn:
        assert conn.exec_driver_sql(f"SELECT count(*) FROM {search.ROWS_TABLE}").scalar_one() == 164
    found = search.search(fresh_store.engine, Filters(ORG, "2023KW1"), "Oekraine")
    assert list(found["task_id"]) == ["D10/AP03/05-1"]
