"""The report-style tables (screen and download) and the URL helpers that keep filters in links."""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
from storekit import ORG, Q1

from dashboard import queries, tables, urls
from dashboard.queries import Filters


def test_budget_table_of_sdg3_has_a_row_per_action_plan_and_the_report_totaal_row(seed_store):
    rows = queries.action_plan_overview(seed_store.engine, Filters(ORG, Q1), 3)
    table = tables.budget_table(rows, "uitgaven", "Goede gezondheid en welzijn")
    assert list(table["Label"][:-1]) == [
        "AP01 Betaalbare en toegankelijke kinderopvang",
        "AP02 Welzijn en de gezondheid optimaliseren",
        "AP03 Geïntegreerd vrijetijdsbeleid",
        "AP04 Project VT2035",
        "AP05 Huisvesting verenigingsleven",
        "AP06 Kwalitatieve ouderenzorg",
    ]
    total = table.iloc[-1]
    assert total["Beleidsdoelstelling"] == "Totaal"
    assert (
        round(total["Totaal"]),
        round(total["Besteld"]),
        total["Besteld %"],
        round(total["Resterend"]),
        total["# Taken"],
    ) == (7_035_739, 2_489_310, 35, 4_546_429, 23)


def test_ontvangsten_table_keeps_the_zero_total_rule_for_sdg3_ap06(seed_store):
    rows = queries.action_plan_overview(seed_store.engine, Filters(ORG, Q1), 3)
    table = tables.budget_table(rows, "ontvangsten", "Goede gezondheid en welzijn").set_index("_key")
    ap06 = table.loc["D03/AP06"]
    assert (ap06["Totaal"], ap06["Ontvangen"], ap06["Resterend"]) == (0, 28_718, -28_718)
    assert math.isnan(ap06["Ontvangen %"])


def test_budget_table_of_sdg16_shows_one_policy_goal_line_without_inventing_a_split(seed_store):
    rows = queries.action_plan_overview(seed_store.engine, Filters(ORG, Q1), 16)
    table = tables.budget_table(rows, "uitgaven", "Vrede, veiligheid en sterke publieke diensten")
    assert len(table) == 2  # the goal line and the Totaal row
    assert table.iloc[0]["Label"] == "Vrede, veiligheid en sterke publieke diensten"
    assert (table.iloc[0]["Totaal"], table.iloc[0]["# Taken"]) == (5_334_455, 31)
    assert table.iloc[-1]["# Taken"] == 31


def test_task_table_shows_code_and_name_and_links_each_task_with_the_filters(seed_store):
    rows = queries.tasks(seed_store.engine, Filters(ORG, Q1), action_plan="D03/AP02")
    table = tables.task_table(rows, "?status=Bezig")
    first = table.iloc[0]
    assert first["Taak"] == "D03/AP02/01| Ondersteuning mbt drugproblematiek"
    assert first["Actie"].startswith("01 ")
    assert first["_link"] == "/sdg/3/ap/02/taak/01-1?status=Bezig"


def test_downloads_keep_only_visible_columns_as_csv_for_belgian_excel_and_as_xlsx():
    frame = pd.DataFrame({"Taak": ["a", "=b"], "Toelichting": ["x", "y"], "_link": ["/1", "/2"]})
    csv_bytes = tables.to_download(frame, "csv", "Taken")
    assert csv_bytes.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 correctly
    assert csv_bytes.decode("utf-8-sig").splitlines()[0] == "Taak;Toelichting"
    sheet = openpyxl.load_workbook(io.BytesIO(tables.to_download(frame, "xlsx", "Taken"))).active
    assert [[c.value for c in r] for r in sheet.iter_rows()] == [["Taak", "Toelichting"], ["a", "x"], ["=b", "y"]]
    assert sheet["A3"].data_type == "s"  # stays text, never a formula


def test_paths_and_query_strings():
    assert urls.action_plan("D03/AP02") == "/sdg/3/ap/02"
    assert urls.task("D03/AP02/04-1") == "/sdg/3/ap/02/taak/04-1"
    assert urls.action_plan_code("3", "2") == "D03/AP02"
    assert urls.query_string("2023KW1", ["Welzijn", "P&O"], ["Bezig", "Onbekend"]) == (
        "?kwartaal=2023KW1&departement=Welzijn&departement=P%26O&status=Bezig"
    )
    assert urls.query_string() == ""
    assert urls.as_list(None) == [] and urls.as_list("Welzijn") == ["Welzijn"]
    assert urls.as_list(["A", " ", "B"]) == ["A", "B"]


def test_task_without_a_printed_code_shows_its_name_only(seed_store):
    rows = queries.tasks(seed_store.engine, Filters(ORG, Q1), action_plan="D01/AP02")
    assert list(tables.task_table(rows)["Taak"]) == [
        "Juridische eerstelijnsbijstand in HvW",
        "Ondersteuning zelfstandigen ism DYZO",
    ]
