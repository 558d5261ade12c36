"""Where a quarter comes from: the template column ``synthetisch`` (and ``bron``) is stored per bestuur
and quarter in ``quarter_source`` by the import, survives export → import, and labels the UI."""

from __future__ import annotations

import pandas as pd
import pytest
from dash import html
from storekit import ORG, Q1, Q2, assert_same_dump, assert_unchanged, dump, snapshot, write_csv, write_quarter_csv

from components.navigation import filter_bar, page_header, quarter_option_label
from dashboard import figures, queries
from dashboard.exporter import export_store
from dashboard.importer import ImportRejected, import_files


def sources(store) -> dict[str, tuple[bool, str | None]]:
    frame = queries.quarter_sources(store.engine, ORG)
    return {q: (s, n) for q, s, n in zip(frame["quarter"], frame["synthetic"], frame["note"])}


def labelled(q, flag: str | None, note: str | None = None):
    """The quarter's taken and budget frames with the columns synthetisch (and bron) set."""
    taken, budget = q.taken.copy(), q.budget_frame("plain")
    for frame in (taken, budget):
        if flag is not None:
            frame["synthetisch"] = flag
        if note is not None:
            frame["bron"] = note
    return taken, budget


def write_pair(taken: pd.DataFrame, budget: pd.DataFrame, folder) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_csv(taken, folder / "taken.csv"), write_csv(budget, folder / "budget.csv")]


def test_the_seed_build_records_its_quarter_as_real(seed_store):
    assert sources(seed_store) == {Q1: (False, None)}


def test_an_import_without_the_column_records_a_real_quarter(store_with_kw2):
    assert sources(store_with_kw2) == {Q1: (False, None), Q2: (False, None)}


def test_an_import_with_synthetisch_ja_records_a_synthetic_quarter_with_its_note(fresh_store, kw2, tmp_path):
    taken, budget = labelled(kw2, "ja", "gegenereerd voor de demo")
    import_files(fresh_store.engine, write_pair(taken, budget, tmp_path))
    assert sources(fresh_store) == {Q1: (False, None), Q2: (True, "gegenereerd voor de demo")}


@pytest.mark.parametrize("spelling", ["JA", "yes", "1", "true"])
def test_the_flag_accepts_common_spellings(fresh_store, kw2, tmp_path, spelling):
    import_files(fresh_store.engine, write_pair(*labelled(kw2, spelling), tmp_path))
    assert sources(fresh_store)[Q2][0] is True


def test_an_unknown_flag_value_is_rejected_with_its_row_and_nothing_is_written(fresh_store, kw2, tmp_path):
    taken, budget = labelled(kw2, "nee")
    taken.loc[2, "synthetisch"] = "misschien"
    before = snapshot(fresh_store)
    with pytest.raises(ImportRejected) as exc:
        import_files(fresh_store.engine, write_pair(taken, budget, tmp_path))
    assert [str(p) for p in exc.value.problems] == [
        "taken.csv, rij 4, kolom 'synthetisch', waarde 'misschien': geen geldige waarde (verwacht ja of nee)"
    ]
    assert_unchanged(fresh_store, before)


def test_one_import_may_not_call_a_quarter_both_synthetic_and_real(fresh_store, kw2, tmp_path):
    taken, budget = labelled(kw2, "ja")
    budget["synthetisch"] = "nee"
    before = snapshot(fresh_store)
    with pytest.raises(ImportRejected) as exc:
        import_files(fresh_store.engine, write_pair(taken, budget, tmp_path))
    messages = [str(p) for p in exc.value.problems]
    assert len(messages) == len(budget)  # every conflicting budget row is named
    assert messages[0].startswith("budget.csv, rij 2, kolom 'synthetisch', waarde 'nee': kwartaal 2023KW2 is in")
    assert "zowel synthetisch als echt (ook taken.csv rij 2)" in messages[0]
    assert_unchanged(fresh_store, before)


def test_reimporting_real_data_over_a_synthetic_quarter_makes_it_real_only_when_both_tables_are_replaced(
    fresh_store, kw2, tmp_path
):
    import_files(fresh_store.engine, write_pair(*labelled(kw2, "ja", "demo"), tmp_path / "synthetic"))
    # Only the budget replaced: the task updates are still the synthetic ones.
    import_files(fresh_store.engine, [write_quarter_csv(kw2, tmp_path / "real")[1]])
    assert sources(fresh_store)[Q2] == (True, "demo")
    import_files(fresh_store.engine, list(write_quarter_csv(kw2, tmp_path / "real")))
    assert sources(fresh_store)[Q2] == (False, None)


def test_export_then_import_keeps_synthetic_quarters_labelled(synthetic_store, empty_store, tmp_path):
    export_store(synthetic_store.engine, "csv", tmp_path / "export")
    exported = pd.read_csv(tmp_path / "export" / "taken.csv", dtype=str, keep_default_na=False)
    assert set(exported.loc[exported["kwartaal"] == Q1, "synthetisch"]) == {"nee"}
    assert set(exported.loc[exported["kwartaal"] != Q1, "synthetisch"]) == {"ja"}
    import_files(empty_store.engine, sorted((tmp_path / "export").glob("*.csv")))
    comparable = lambda s: dump(s.engine, skip=("meta",), ignore_budget_id=True)  # noqa: E731
    assert_same_dump(comparable(empty_store), comparable(synthetic_store))
    assert sources(empty_store) == sources(synthetic_store)
    assert [q for q, (s, _n) in sources(empty_store).items() if s] == ["2023KW2", "2023KW3", "2023KW4"]


# --- shown wherever a quarter is shown -------------------------------------------------------------


def texts(component) -> list[str]:
    """Every string in a Dash component tree."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [t for c in component for t in texts(c)]
    children = getattr(component, "children", None)
    return texts(children) if children is not None else []


def test_the_quarter_dropdown_labels_synthetic_quarters():
    assert quarter_option_label("2023KW2", True) == "2023 KW2 · synthetisch"
    assert quarter_option_label("2023KW1") == "2023 KW1"
    bar = filter_bar(["2023KW1", "2023KW2"], ["Welzijn"], synthetic=("2023KW2",))
    dropdown = next(c for c in bar.children.children.children[0].children if getattr(c, "id", None) == "filter-quarter")
    assert dropdown.options == [
        {"label": "2023 KW2 · synthetisch", "value": "2023KW2"},
        {"label": "2023 KW1", "value": "2023KW1"},
    ]


def test_the_page_header_shows_the_banner_only_for_a_synthetic_quarter():
    real = " ".join(texts(page_header("SDG 3", [], quarter="2023KW1", org_name="Stad Harelbeke")))
    fake = page_header("SDG 3", [], quarter="2023KW2", org_name="Stad Harelbeke", synthetic=True)
    shown = " ".join(texts(fake))
    assert "Synthetische gegevens — gegenereerd voor test en demo, geen echte cijfers" in shown
    assert "2023 KW2 · synthetisch" in shown and "Bron: opvolgingsrapport" not in shown
    assert "Synthetische gegevens" not in real and "Bron: opvolgingsrapport" in real
    banners = [c for c in fake.children if isinstance(c, html.Div) and "synthetic-banner" in (c.className or "")]
    assert len(banners) == 1 and banners[0].role == "note"


def test_chart_captions_say_when_figures_are_synthetic():
    caption = figures.caption_text("Stad Harelbeke", "2023KW3", synthetic=True)
    assert "2023 KW3" in caption and "SYNTHETISCHE GEGEVENS" in caption and "Bron:" not in caption
    assert "SYNTHETISCHE" not in figures.caption_text("Stad Harelbeke", "2023KW1")
    period = figures.period_caption(
        "Stad Harelbeke", ["2023KW1", "2023KW2", "2023KW3"], synthetic=("2023KW2", "2023KW3")
    )
    assert "2023 KW1 – 2023 KW3" in period and "2023 KW2, 2023 KW3: SYNTHETISCHE GEGEVENS" in period
