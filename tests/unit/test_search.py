"""Full-text search: Dutch folding and stemming, the database index (FTS5 / tsvector), ranking, the
bestuur boundary, the index following every import, and matched words marked as text, never HTML."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from plotly.io.json import to_json_plotly
from sqlalchemy import text
from storekit import ORG, Q1, Q2, make_quarter, write_csv, write_quarter_csv

from components.search import Hit, hit_item
from dashboard import queries, search
from dashboard.config import SEED_DIR
from dashboard.importer import ImportRejected, import_files
from dashboard.queries import Filters
from dashboard.store import build_from_seed, create_schema

XSS = 'Verslag <script>alert("xss")</script> en <img src=x onerror=alert(1)> bijgevoegd.'
# 2023KW2 for SDG 10: toelichtingen chosen for the accent, inflection, ranking and escaping cases.
KW2_TEXT = {
    "D10/AP03/05-1": "Opvang van gezinnen uit Oekraïne loopt verder in het Huis van Welzijn.",
    "D10/AP01/01-1": "De beken in Hulste worden geruimd voor de intocht.",
    "D10/AP01/02-1": "Het programma is bekend gemaakt op de markt.",
    "D10/AP02/01-1": "De Oekraïnecrisis vraagt extra opvang voor gezinnen.",
    "D10/AP02/02-1": "Extra opvang voor gezinnen uit Oekraïne gevraagd.",
    "D10/AP01/03-1": "De Sint kwam langs in de scholen van Hulste.",
    "D10/AP03/06-1": XSS,
}

KW2_STATUS = {"D10/AP02/01-1": ("Voltooid", "Voltooid")}


def found(engine, query: str, org: str = ORG, **filters) -> list[tuple[str, str]]:
    """(task id, quarter) of every result, best first."""
    frame = search.search(engine, Filters(org, Q2, **filters), query)
    return list(zip(frame["task_id"], frame["quarter"]))


@pytest.fixture
def store(fresh_store, tmp_path):
    """The seed (2023KW1) plus a 2023KW2 for SDG 10 with the toelichtingen (and one status) above."""
    kw2 = make_quarter(Q2, sdgs=("10",), status=KW2_STATUS, toelichting=KW2_TEXT, amounts={})
    import_files(fresh_store.engine, list(write_quarter_csv(kw2, tmp_path / "kw2")))
    return fresh_store


# --- words and queries (pure) ---------------------------------------------------------------------------


def test_folding_drops_accents_and_case_and_stemming_joins_dutch_inflections():
    assert search.fold("OEKRAÏNE") == search.fold("Oekraïne") == "oekraine"
    assert search.fold("Oekrai\u0308ne") == "oekraine"  # a decomposed ï too
    assert search.index_text("Oekraïne") == search.index_text("Oekraine") == search.index_text("OEKRAINE")
    assert search.index_text("beek") == search.index_text("beken")
    assert search.index_text("fietspad") == search.index_text("fietspaden")
    assert search.index_text("bekend") != search.index_text("beek")


def test_a_query_drops_stop_words_unless_nothing_else_is_left():
    assert [t.stem for t in search.parse_query("opvang van vluchtelingen").terms] == ["opvang", "vluchtel"]
    assert [t.stem for t in search.parse_query("de").terms] == ["de"]
    assert search.parse_query("").empty and search.parse_query("  ?! ").empty


def test_highlight_marks_exactly_the_matching_words_and_keeps_the_text_whole():
    text = "De beken van Hulste: één beek, bekend bij iedereen; BEKEN blijft."
    pieces = search.highlight(text, search.parse_query("beek"))
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, hit in pieces if hit] == ["beken", "beek", "BEKEN"]
    compound = search.highlight("Opvang Oekraïnecrisis en Oekraïne", search.parse_query("oekraine"))
    assert [p for p, hit in compound if hit] == ["Oekraïnecrisis", "Oekraïne"]


def test_excerpt_of_a_long_text_is_cut_around_the_first_match():
    text = " ".join(["woord"] * 120) + " Oekraïne " + " ".join(["einde"] * 120)
    pieces = search.excerpt(text, search.parse_query("Oekraine"), max_chars=200)
    shown = "".join(p for p, _ in pieces)
    assert shown.startswith("…") and shown.endswith("…") and len(shown) <= 204
    assert [p for p, hit in pieces if hit] == ["Oekraïne"]
    assert search.excerpt("kort Oekraïne", search.parse_query("oekraine")) == [("kort ", False), ("Oekraïne", True)]


# --- the index and its ranking ------------------------------------------------------------------------------


def test_accents_and_case_do_not_matter(store):
    expected = found(store.engine, "Oekraine")
    assert ("D10/AP03/05-1", Q2) in expected and ("D10/AP02/02-1", Q2) in expected
    for spelling in ("Oekraïne", "OEKRAÏNE", "oekraine", "Oekrai\u0308ne"):
        assert found(store.engine, spelling) == expected, spelling


def test_oekraine_finds_the_seed_task_whose_name_has_the_compound_oekrainecrisis(seed_store):
    frame = search.search(seed_store.engine, Filters(ORG, Q1), "Oekraine")
    assert frame["task_id"].tolist() == ["D10/AP03/05-1"]
    assert frame["name"].tolist() == ["Opvang vluchtelingen Oekraïnecrisis"]


def test_beek_finds_beken_but_not_bekend(store):
    results = found(store.engine, "beek")
    assert ("D10/AP01/01-1", Q2) in results  # "De beken in Hulste"
    assert ("D10/AP01/02-1", Q2) not in results  # "bekend" is another word
    assert found(store.engine, "beken") == results == found(store.engine, "BEEK")


def test_every_query_word_must_match(store):
    assert found(store.engine, "beken intocht") == [("D10/AP01/01-1", Q2)]
    assert found(store.engine, "beken Oekraine") == []


def test_the_exact_word_ranks_above_a_compound_that_only_starts_with_it(store):
    results = found(store.engine, "Oekraine")
    exact, compound = results.index(("D10/AP02/02-1", Q2)), results.index(("D10/AP02/01-1", Q2))
    assert exact < compound  # "uit Oekraïne" before "De Oekraïnecrisis", toelichtingen of equal length


def test_a_match_in_the_task_name_ranks_above_one_in_a_toelichting(store):
    kw2 = [r for r in found(store.engine, "sint") if r[1] == Q2]
    assert kw2 == [("D10/AP01/01-1", Q2), ("D10/AP01/03-1", Q2)]  # name "Intrede Sint" first
    frame = search.search(store.engine, Filters(ORG, Q2), "sint")
    assert frame["score"].is_monotonic_decreasing


def test_results_cover_every_quarter_and_carry_their_own_status_and_toelichting(store):
    frame = search.search(store.engine, Filters(ORG, Q2), "Oekraine")
    rows = frame[frame["task_id"] == "D10/AP03/05-1"].set_index("quarter")
    assert sorted(rows.index) == [Q1, Q2]
    assert rows.loc[Q1, "toelichting"] == "" and rows.loc[Q2, "toelichting"] == KW2_TEXT["D10/AP03/05-1"]
    assert rows.loc[Q2, "sdg"] == 10 and rows.loc[Q2, "action_plan"] == "D10/AP03"


def test_department_and_status_filters_narrow_the_results_the_quarter_filter_does_not(store):
    everything = found(store.engine, "opvang")
    assert {q for _, q in everything} == {Q1, Q2}  # Filters(quarter=Q2), yet 2023KW1 is searched too
    for chosen in ({"departments": ("Welzijn",)}, {"statuses": ("Bezig",)}):
        narrowed = found(store.engine, "opvang", **chosen)
        allowed = {(t, q) for q in (Q1, Q2) for t in queries.tasks(store.engine, Filters(ORG, q, **chosen))["task_id"]}
        assert narrowed == [r for r in everything if r in allowed], chosen
        assert 0 < len(narrowed) < len(everything), chosen


def test_search_never_returns_another_besturs_rows(store, tmp_path):
    """Zwevegem uses the same task id and the same word; each bestuur finds only its own rows."""
    zw_text = "Zwevegem vangt gezinnen uit Oekraïne op in het OCMW."
    frames = {
        "besturen": pd.DataFrame([{"bestuur": "zwevegem", "naam": "Gemeente Zwevegem"}]),
        "sdgs": pd.DataFrame(
            [
                {
                    "bestuur": "zwevegem",
                    "sdg": "10",
                    "titel": "Zwevegem verkleint ongelijkheid",
                    "korte_naam": "Ongelijkheid verminderen",
                    "kleur": "#DD1367",
                    "pijler": "People",
                }
            ]
        ),
        "taken": pd.DataFrame(
            [
                {
                    "bestuur": "zwevegem",
                    "kwartaal": Q2,
                    "sdg": "10",
                    "actieplan": "D10/AP03",
                    "actieplan_titel": "We vangen vluchtelingen op",
                    "actie": "D10/AP03/05",
                    "taak_id": "D10/AP03/05-1",
                    "taak": "Opvang Oekraïne",
                    "status": "Bezig",
                    "toelichting": zw_text,
                }
            ]
        ),
    }
    import_files(store.engine, [write_csv(f, tmp_path / f"{name}.csv") for name, f in frames.items()])

    harelbeke = search.search(store.engine, Filters(ORG, Q2), "Oekraine")
    zwevegem = search.search(store.engine, Filters("zwevegem", Q2), "Oekraine")
    assert zw_text not in harelbeke["toelichting"].tolist()
    assert "Opvang Oekraïne" not in harelbeke["name"].tolist()
    assert len(harelbeke) == len(found(store.engine, "Oekraine"))
    assert zwevegem[["task_id", "quarter", "name", "toelichting"]].values.tolist() == [
        ["D10/AP03/05-1", Q2, "Opvang Oekraïne", zw_text]
    ]
    assert search.search(store.engine, Filters("zwevegem", Q2), "beken").empty


# --- the index follows the data ---------------------------------------------------------------------------


def index_rows(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {search.INDEX_TABLE}")).scalar_one()


def test_the_index_holds_one_row_per_task_update(store):
    with store.engine.connect() as conn:
        updates = conn.execute(text("SELECT count(*) FROM task_update")).scalar_one()
    assert index_rows(store.engine) == updates == 164 + 17


def test_reimporting_a_quarter_replaces_its_index_rows(store, tmp_path):
    again = make_quarter(Q2, sdgs=("10",), status={}, toelichting={"D10/AP01/01-1": "Alles is opgeruimd."}, amounts={})
    import_files(store.engine, list(write_quarter_csv(again, tmp_path / "again")))
    assert ("D10/AP01/01-1", Q2) not in found(store.engine, "beken")
    assert found(store.engine, "opgeruimd") == [("D10/AP01/01-1", Q2)]
    assert index_rows(store.engine) == 164 + 17


def test_a_renamed_task_is_found_by_its_new_name_in_every_quarter(store, tmp_path):
    assert ("D10/AP03/06-1", Q1) in found(store.engine, "Projecten")  # its name: "Projecten e-inclusie"
    renamed = make_quarter(Q2, sdgs=("10",), status={}, toelichting=KW2_TEXT, amounts={})
    renamed.taken.loc[renamed.taken["taak_id"] == "D10/AP03/06-1", "taak"] = "Digitale inclusie in Zuidwijk"
    import_files(store.engine, list(write_quarter_csv(renamed, tmp_path / "renamed")))
    assert sorted(found(store.engine, "Zuidwijk")) == [("D10/AP03/06-1", Q1), ("D10/AP03/06-1", Q2)]
    assert ("D10/AP03/06-1", Q1) not in found(store.engine, "Projecten")  # the old name, in 2023KW1 too


def test_a_rejected_import_leaves_the_index_as_it_was(store, tmp_path):
    before = found(store.engine, "opvang")
    broken = make_quarter(
        Q2, sdgs=("10",), status={}, toelichting={"D10/AP01/01-1": "Nieuwe tekst zwembad."}, amounts={}
    )
    broken.taken.loc[0, "status"] = "Afgerond"  # unknown status: the whole import is refused
    with pytest.raises(ImportRejected):
        import_files(store.engine, list(write_quarter_csv(broken, tmp_path / "broken")))
    assert found(store.engine, "zwembad") == []
    assert found(store.engine, "opvang") == before


def test_rebuilding_from_the_seed_rebuilds_the_index(store):
    build_from_seed(store.engine, SEED_DIR)
    assert found(store.engine, "beken") == [("D11/AP03/03-1", Q1)]  # the seed's own "beek" only
    assert found(store.engine, "Oekraine") == [("D10/AP03/05-1", Q1)]
    assert index_rows(store.engine) == 164


def test_a_store_without_index_gets_one_filled_from_its_tables(store):
    search.drop_index(store.engine)
    create_schema(store.engine)  # as the app and every import do at start
    assert index_rows(store.engine) == 164 + 17
    assert ("D10/AP01/01-1", Q2) in found(store.engine, "beek")


def test_the_index_is_not_part_of_the_schema_that_exports_and_dumps_read():
    from dashboard import schema

    assert search.INDEX_TABLE not in schema.metadata.tables


# --- shown as text, never as HTML -------------------------------------------------------------------------


def _walk(node, types: set, strings: list) -> None:
    if isinstance(node, dict):
        if "type" in node and "props" in node:
            types.add(node["type"])
            _walk(node["props"].get("children"), types, strings)
        else:
            for value in node.values():
                _walk(value, types, strings)
    elif isinstance(node, list):
        for item in node:
            _walk(item, types, strings)
    elif isinstance(node, str):
        strings.append(node)


def test_a_toelichting_with_html_is_found_and_shown_as_text(store):
    frame = search.search(store.engine, Filters(ORG, Q2), "onerror")
    assert frame["task_id"].tolist() == ["D10/AP03/06-1"]
    assert found(store.engine, "script") == [("D10/AP03/06-1", Q2)]
    query = search.parse_query("script onerror")
    row = frame.iloc[0]
    item = hit_item(
        Hit(
            row["task_id"],
            "/x",
            row["code"],
            search.highlight(row["name"], query),
            "meta",
            row["status"],
            search.excerpt(row["toelichting"], query),
        )
    )
    encoded = to_json_plotly(item)
    types, strings = set(), []
    _walk(json.loads(encoded), types, strings)
    assert types <= {"Li", "Div", "Link", "Span", "P", "Mark"}
    assert "dangerouslySetInnerHTML" not in encoded
    assert XSS in "".join(strings)  # every character, as text
    marks = [s for s in strings if s in ("script", "onerror")]
    assert marks == ["script", "script", "onerror"]
