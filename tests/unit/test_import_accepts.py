"""The import accepts what real quarterly exports contain, and loads exactly that.

A valid second quarter (2023KW2: the seed's rows of SDGs 1, 3, 4 and 16 with changed statuses,
toelichtingen and amounts) is written in every supported shape: CSV with ';' and ',', UTF-8 with a
BOM, Windows-1252, an XLSX workbook with extra sheets, Parquet.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select
from storekit import (
    FORMATS,
    ORG,
    Q1,
    Q2,
    assert_same_dump,
    dump,
    make_quarter,
    quarter_content,
    run_cli,
    write_csv,
    write_quarter,
    write_quarter_csv,
)

from dashboard import queries, schema
from dashboard.importer import import_files
from dashboard.queries import Filters
from dashboard.store import data_version


@pytest.mark.parametrize("fmt", FORMATS)
def test_import_accepts_a_second_quarter_in_every_export_format(fresh_store, kw2, tmp_path, fmt):
    before, version = dump(fresh_store.engine, skip=("meta",)), data_version(fresh_store.engine)
    paths = write_quarter(kw2, tmp_path / fmt, fmt)

    result = import_files(fresh_store.engine, paths)

    assert result.quarters == [Q2]
    assert result.task_updates == len(kw2.taken) == 62
    assert result.budget_lines == len(kw2.budget)
    updates, budget = quarter_content(fresh_store.engine, Q2)
    assert updates == kw2.expected_updates
    assert budget == kw2.expected_budget
    # Non-ASCII text survives every encoding exactly (the Windows-1252 file included).
    assert updates["D04/AP01/01-1"][1] == (
        "Opvang van kinderen uit Oekraïne: één extra klas; overleg met het CLB – zie nota €."
    )
    assert updates["D01/AP01/02-1"] == (
        "Voltooid",
        'Evaluatie afgerond;\nnieuwe brugfiguur gestart op 1/4/2023, "zie verslag".',
    )
    assert budget[(3, "D03/AP01", "uitgaven")] == (5532500, 4500050)  # 45.000,50 € keeps its cents
    assert budget[(16, "D16", "uitgaven")] == (533445500, 180000075)  # the policy-goal line stays one line
    # Everything else is untouched, and the data version moved on by one.
    assert_same_dump(dump(fresh_store.engine, skip=("meta",), exclude_quarter=Q2), before)
    assert data_version(fresh_store.engine) == version + 1


def test_import_of_an_xlsx_ignores_extra_sheets_and_says_so(fresh_store, kw2, tmp_path):
    result = import_files(fresh_store.engine, write_quarter(kw2, tmp_path, "xlsx_extra_sheets"))
    assert any("Leesmij" in n for n in result.notices)
    assert any("Lijsten" in n for n in result.notices)
    assert not any("Taken" in n or "Budget" in n for n in result.notices)


def test_import_with_quarter_option_accepts_any_spelling_and_files_without_kwartaal_column(fresh_store, kw2, tmp_path):
    taken, budget = write_quarter_csv(kw2, tmp_path / "with")
    import_files(fresh_store.engine, [taken, budget], quarter="2023-Q2")
    assert quarter_content(fresh_store.engine, Q2) == (kw2.expected_updates, kw2.expected_budget)

    q3 = make_quarter("2023KW3", status={}, toelichting={}, amounts={})
    folder = tmp_path / "without"
    folder.mkdir()
    write_csv(q3.taken.drop(columns="kwartaal"), folder / "taken.csv")
    write_csv(q3.budget_frame("plain").drop(columns="kwartaal"), folder / "budget.csv")
    result = import_files(fresh_store.engine, [folder / "taken.csv", folder / "budget.csv"], quarter="2023 KW3")
    assert result.quarters == ["2023KW3"]
    assert quarter_content(fresh_store.engine, "2023KW3") == (q3.expected_updates, q3.expected_budget)


def test_cli_import_loads_the_quarter_and_reports_what_it_wrote(fresh_store, kw2, tmp_path):
    taken, budget = write_quarter(kw2, tmp_path, "csv_semicolon_belgian")
    proc = run_cli(["import", str(taken), str(budget), "--quarter", "2023 KW2"], fresh_store.url)
    assert proc.returncode == 0, proc.stderr
    assert "2023KW2" in proc.stdout and "62 taakupdates" in proc.stdout
    assert quarter_content(fresh_store.engine, Q2) == (kw2.expected_updates, kw2.expected_budget)


def test_import_declares_a_new_action_plan_by_its_title(fresh_store, tmp_path):
    row = {
        "kwartaal": Q2,
        "sdg": "5",
        "actieplan": "D05/AP01",
        "actieplan_label": "Gelijke kansen",
        "actieplan_titel": "We bevorderen gendergelijkheid in het personeelsbeleid",
        "actie": "D05/AP01/01",
        "actie_omschrijving": "Genderneutrale vacatures",
        "taak_id": "D05/AP01/01-1",
        "taakcode": "D05/AP01/01",
        "taak": "Vacatureteksten screenen",
        "status": "Niet gestart",
        "toelichting": "",
    }
    budget = {
        "kwartaal": Q2,
        "sdg": "5",
        "actieplan": "D05/AP01",
        "uitgaven_totaal": "1.000 €",
        "uitgaven_besteld": "",
        "ontvangsten_totaal": "",
        "ontvangsten_ontvangen": "",
    }
    paths = [
        write_csv(pd.DataFrame([row]), tmp_path / "taken.csv", sep=";"),
        write_csv(pd.DataFrame([budget]), tmp_path / "budget.csv", sep=";"),
    ]
    import_files(fresh_store.engine, paths)
    plans = queries.action_plans(fresh_store.engine, ORG, 5)
    assert plans[["code", "label", "title", "department"]].values.tolist() == [
        ["D05/AP01", "Gelijke kansen", "We bevorderen gendergelijkheid in het personeelsbeleid", "Niet toegewezen"]
    ]
    detail = queries.task_detail(fresh_store.engine, ORG, "D05/AP01/01-1")
    assert detail["action_text"] == "Genderneutrale vacatures" and detail["code"] == "D05/AP01/01"
    assert quarter_content(fresh_store.engine, Q2)[1] == {
        (5, "D05/AP01", "uitgaven"): (100000, 0),
        (5, "D05/AP01", "ontvangsten"): (0, 0),
    }


def test_import_of_a_new_bestuur_with_its_own_sdgs_leaves_harelbeke_alone(fresh_store, tmp_path):
    before = dump(fresh_store.engine, skip=("meta",))
    besturen = pd.DataFrame([{"bestuur": "zwevegem", "naam": "Gemeente Zwevegem"}])
    sdgs = pd.DataFrame(
        [
            {
                "bestuur": "zwevegem",
                "sdg": "13",
                "titel": "Zwevegem is klimaatneutraal tegen 2050",
                "korte_naam": "Klimaatactie",
                "kleur": "#3f7e44",
                "pijler": "Planet",
            }
        ]
    )
    taken = pd.DataFrame(
        [
            {
                "bestuur": "zwevegem",
                "kwartaal": Q1,
                "sdg": "13",
                "actieplan": "D13/AP01",
                "actieplan_titel": "We isoleren het patrimonium",
                "actie": "D13/AP01/01",
                "taak_id": "D13/AP01/01-1",
                "taak": "Dakisolatie sporthal",
                "status": "Bezig",
                "toelichting": "Aanbesteding loopt.",
            }
        ]
    )
    paths = [
        write_csv(besturen, tmp_path / "besturen.csv"),
        write_csv(sdgs, tmp_path / "sdgs.csv"),
        write_csv(taken, tmp_path / "taken.csv"),
    ]
    import_files(fresh_store.engine, paths)

    assert queries.list_quarters(fresh_store.engine, "zwevegem") == [Q1]
    zw = queries.tasks(fresh_store.engine, Filters("zwevegem", Q1))
    assert zw[["task_id", "sdg", "pillar_id", "status"]].values.tolist() == [["D13/AP01/01-1", 13, "planet", "Bezig"]]
    assert queries.sdgs(fresh_store.engine, "zwevegem")["colour"].tolist() == ["#3F7E44"]
    after = dump(fresh_store.engine, skip=("meta",))
    for name, rows in before.items():
        columns = list(schema.metadata.tables[name].c.keys())
        org = "id" if name == "organisation" else "org_id" if "org_id" in columns else None
        if org is None:  # pillar, quarter
            assert after[name] == rows, name
        else:
            assert [r for r in after[name] if r[columns.index(org)] != "zwevegem"] == rows, name


# --- bugs found --------------------------------------------------------------------------------------


def _new_tasks_with_departments(departments: list[str]) -> pd.DataFrame:
    rows = []
    for n, dept in enumerate(departments, start=2):
        rows.append(
            {
                "kwartaal": Q2,
                "sdg": "1",
                "actieplan": "D01/AP02",
                "actie": "D01/AP02/01",
                "taak_id": f"D01/AP02/01-{n}",
                "taak": f"Nieuwe taak {n}",
                "status": "Bezig",
                "toelichting": "",
                "departement": dept,
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "departments",
    [
        pytest.param(["", "Financiën"], id="first-without"),
        pytest.param(["Financiën", ""], id="first-with"),
    ],
)
def test_import_of_new_tasks_keeps_the_department_of_each_row(fresh_store, tmp_path, departments):
    path = write_csv(_new_tasks_with_departments(departments), tmp_path / "taken.csv")
    import_files(fresh_store.engine, [path])
    got = {
        d["task_id"]: d["department"]
        for d in (queries.task_detail(fresh_store.engine, ORG, f"D01/AP02/01-{n}") for n in (2, 3))
    }
    plan = "Welzijn"  # D01/AP02's department in the seed
    assert got == {f"D01/AP02/01-{n}": dept or plan for n, dept in enumerate(departments, start=2)}


def test_import_without_the_optional_taakcode_column_keeps_the_task_codes(fresh_store, kw2, tmp_path):
    t = schema.task
    with fresh_store.engine.connect() as conn:
        before = dict(conn.execute(select(t.c.id, t.c.code)).all())
    path = write_csv(kw2.taken.drop(columns="taakcode"), tmp_path / "taken.csv")
    import_files(fresh_store.engine, [path])
    assert quarter_content(fresh_store.engine, Q2)[0] == kw2.expected_updates
    with fresh_store.engine.connect() as conn:
        after = dict(conn.execute(select(t.c.id, t.c.code)).all())
    assert after == before
