"""``python -m dashboard export`` writes the store in the import template: importing the export into
an empty store gives the same content (the autoincrement budget id and meta aside)."""

from __future__ import annotations

import pandas as pd
import pytest
from storekit import Q2, assert_same_dump, dump, run_cli, write_csv

from dashboard.exporter import export_store
from dashboard.importer import import_files

TABLES = ["besturen", "sdgs", "taken", "budget", "departementen"]


def _comparable(store):
    return dump(store.engine, skip=("meta",), ignore_budget_id=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_cli_export_then_import_into_an_empty_store_reproduces_every_table(store_with_kw2, empty_store, tmp_path, fmt):
    out = tmp_path / ("export.xlsx" if fmt == "xlsx" else "export")
    proc = run_cli(["export", "--format", fmt, str(out)], store_with_kw2.url)
    assert proc.returncode == 0, proc.stderr

    if fmt == "xlsx":
        paths = [out]
        assert list(pd.read_excel(out, sheet_name=None)) == TABLES
    else:
        paths = sorted(out.glob(f"*.{fmt}"))
        assert sorted(p.stem for p in paths) == sorted(TABLES)
    assert proc.stdout.split() == [str(p) for p in ([out] if fmt == "xlsx" else [out / f"{t}.{fmt}" for t in TABLES])]

    result = import_files(empty_store.engine, paths)

    assert result.quarters == ["2023KW1", Q2]
    assert_same_dump(_comparable(empty_store), _comparable(store_with_kw2))


def test_xlsx_round_trip_keeps_a_toelichting_that_starts_with_an_equals_sign(fresh_store, empty_store, kw2, tmp_path):
    taken = kw2.taken.iloc[:2].copy()
    taken.loc[0, "toelichting"] = "=> zie verslag van de stuurgroep"
    import_files(fresh_store.engine, [write_csv(taken, tmp_path / "taken.csv")])
    export_store(fresh_store.engine, "xlsx", tmp_path / "export.xlsx")
    import_files(empty_store.engine, [tmp_path / "export.xlsx"])
    assert_same_dump(_comparable(empty_store), _comparable(fresh_store))
