"""The store reproduces the figures printed in the Power BI report (2023KW1).

REPORT_ROWS is transcribed by hand from the report text (seeds/002_b8611e86d210b3c6.txt), NOT from
data/seed: every row of every SDG's UITGAVEN and ONTVANGSTEN table, as printed. An empty cell in the
report is ``None``. Rules of comparison:
- amounts exactly as printed once the store's value is rounded half up to whole euros (the seed
  keeps reconstructed cents where the printed euros disagree, see data/README.md §3);
- percentages as printed, i.e. rounded half up to whole percent; an empty percentage cell means
  "no total" (then the app gives NaN) or, with a total, "nothing realised" (then the app gives 0);
- # Taken exact.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from storekit import ORG, Q1, STATUSES, cli_json

from dashboard import queries
from dashboard.queries import Filters

_ = None
# sdg, row (action plan, or the policy goal for SDG 16), label as printed,
# UITGAVEN: totaal, besteld, besteld %, resterend; ONTVANGSTEN: totaal, ontvangen, ontvangen %, resterend; # taken
REPORT_ROWS = [
    (1, "D01/AP01", "AP01 Gezinsarmoede", _, _, _, _, _, _, _, _, 1),
    (1, "D01/AP02", "AP02 Juridische eerstelijnsbijstand", "5.333", "3.433", "64%", "1.900", _, _, _, _, 2),
    (2, "D02/AP01", "AP01 Warme maaltijd", "28.000", "5.521", "20%", "22.479", _, _, _, _, 1),
    (2, "D02/AP02", "AP02 Duurzame landbouw", _, _, _, _, _, _, _, _, 1),
    (
        3,
        "D03/AP01",
        "AP01 Betaalbare en toegankelijke kinderopvang",
        "55.325",
        "41.566",
        "75%",
        "13.759",
        "60.970",
        "2.001",
        "3%",
        "58.969",
        4,
    ),
    (3, "D03/AP02", "AP02 Welzijn en de gezondheid optimaliseren", "48.389", "7.850", "16%", "40.539", _, _, _, _, 8),
    (3, "D03/AP03", "AP03 Geïntegreerd vrijetijdsbeleid", "71.276", "17.610", "25%", "53.666", _, _, _, _, 6),
    (3, "D03/AP04", "AP04 Project VT2035", "347.462", "37.391", "11%", "310.072", _, _, _, _, 2),
    (3, "D03/AP05", "AP05 Huisvesting verenigingsleven", "2.029.797", "877.802", "43%", "1.151.996", _, _, _, _, 2),
    (
        3,
        "D03/AP06",
        "AP06 Kwalitatieve ouderenzorg",
        "4.483.489",
        "1.507.091",
        "34%",
        "2.976.398",
        "0",
        "28.718",
        _,
        "-28.718",
        1,
    ),
    (
        4,
        "D04/AP01",
        "AP01 Gelijke onderwijskansen",
        "47.059",
        "2.232",
        "5%",
        "44.827",
        "9.788",
        "1.122",
        "11%",
        "8.666",
        4,
    ),
    (4, "D04/AP02", "AP02 Levenslang leren", "60.045", "426", "1%", "59.619", "27.000", _, _, "27.000", 1),
    (
        10,
        "D10/AP01",
        "AP01 Fiere en betrokken bewoners",
        "377.100",
        "17.802",
        "5%",
        "359.298",
        "1.500",
        _,
        _,
        "1.500",
        5,
    ),
    (
        10,
        "D10/AP02",
        "AP02 Vrijetijdsparticipatie",
        "90.960",
        "46.949",
        "52%",
        "44.011",
        "15.679",
        "149",
        "1%",
        "15.530",
        6,
    ),
    (
        10,
        "D10/AP03",
        "AP03 Publieke dienstverlening HvW",
        "133.300",
        "97.574",
        "73%",
        "35.726",
        "172.500",
        "113.303",
        "66%",
        "59.197",
        6,
    ),
    (
        7,
        "D07/AP01",
        "AP01 Voetafdruk verduurzamen",
        "555.866",
        "332.036",
        "60%",
        "223.830",
        "214.599",
        _,
        _,
        "214.599",
        3,
    ),
    (7, "D07/AP02", "AP02 Voetafdruk verkleinen", "108.560", "94.160", "87%", "14.401", "250.000", _, _, "250.000", 2),
    (8, "D08/AP01", "AP01 Aantrekkelijk winkelgebied", "66.000", "5.780", "9%", "60.220", _, _, _, _, 1),
    (8, "D08/AP02", "AP02 Handel en horeca", "51.500", "48.952", "95%", "2.548", _, _, _, _, 2),
    (8, "D08/AP03", "AP03 Ondernemingsvriendelijk klimaat", "27.910", "14.322", "51%", "13.588", _, _, _, _, 4),
    (
        8,
        "D08/AP05",
        "AP05 Samenwerking reguliere en sociale economie",
        "42.000",
        "4.470",
        "11%",
        "37.530",
        "6.000",
        _,
        _,
        "6.000",
        3,
    ),
    (
        11,
        "D11/AP01",
        "AP01 Levendig en aantrekkelijk stadscentrum",
        "491.149",
        "305.534",
        "62%",
        "185.614",
        "149.000",
        _,
        _,
        "149.000",
        3,
    ),
    (
        11,
        "D11/AP02",
        "AP02 Kwalitatieve, veilige en betaalbare huisvesting",
        "407.104",
        "80.482",
        "20%",
        "326.622",
        "738.846",
        "117.797",
        "16%",
        "621.049",
        12,
    ),
    (11, "D11/AP03", "AP03 Aangename woonwijken", "400.307", "33.089", "8%", "367.219", "40.000", _, _, "40.000", 6),
    (
        11,
        "D11/AP04",
        "AP04 Duurzame vervoerssystemen",
        "1.620.366",
        "1.018.804",
        "63%",
        "601.562",
        "528.573",
        _,
        _,
        "528.573",
        10,
    ),
    (
        6,
        "D06/AP01",
        "AP01 Zoneringsplan",
        "3.040.001",
        "2.253.056",
        "74%",
        "786.945",
        "2.296.690",
        _,
        _,
        "2.296.690",
        10,
    ),
    (6, "D06/AP03", "AP03 Opvang en hergebruik van regenwater", _, _, _, _, _, _, _, _, 1),
    (6, "D06/AP04", "AP04 Ruimte voor waterbuffering", "12.500", _, _, "12.500", _, _, _, _, 1),
    (6, "D06/AP05", "AP05 Waterzuiveringsinstallatie Eenhana", _, _, _, _, _, _, _, _, 1),
    (6, "D06/AP06", "AP06 Integraal waterbeheer", _, _, _, _, _, _, _, _, 1),
    (
        13,
        "D13/AP01",
        "AP01 Ruimteneutraal in bestemmingen en ruimtebeslag",
        "366.935",
        "237.745",
        "65%",
        "129.190",
        "117.980",
        _,
        _,
        "117.980",
        5,
    ),
    (
        13,
        "D13/AP02",
        "AP02 Nadelige milieu impact reduceren",
        "2.457.614",
        "468.347",
        "19%",
        "1.989.267",
        "1.300.032",
        "9.178",
        "1%",
        "1.290.854",
        4,
    ),
    (13, "D13/AP03", "AP03 Klimaatadaptatie", "110.964", "52.448", "47%", "58.516", _, _, _, _, 2),
    (
        13,
        "D13/AP04",
        "AP04 CO2-reductie en energiebesparing",
        "117.873",
        "20.955",
        "18%",
        "96.919",
        "94.426",
        _,
        _,
        "94.426",
        3,
    ),
    (15, "D15/AP01", "AP01 Verlies aan biodiversiteit stoppen", "3.400", _, _, "3.400", _, _, _, _, 3),
    (15, "D15/AP02", "AP02 Stad vergroenen", "223.825", _, _, "223.825", _, _, _, _, 5),
    (15, "D15/AP03", "AP03 Project rivierherstel", _, _, _, _, _, _, _, _, 1),
    # SDG 16 has a single row for the whole policy goal (Beleidsdoelstelling), no row per action plan.
    (
        16,
        "D16",
        "Vrede, veiligheid en sterke publieke diensten",
        "5.334.455",
        "1.558.008",
        "29%",
        "3.776.447",
        "0",
        _,
        _,
        "0",
        31,
    ),
]

# The 'Totaal' row of every SDG's two tables, as printed.
REPORT_TOTALS = [
    (1, "5.333", "3.433", "64%", "1.900", _, _, _, _, 3),
    (2, "28.000", "5.521", "20%", "22.479", _, _, _, _, 2),
    (3, "7.035.739", "2.489.310", "35%", "4.546.429", "60.970", "30.719", "50%", "30.251", 23),
    (4, "107.103", "2.657", "2%", "104.446", "36.788", "1.122", "3%", "35.666", 5),
    (10, "601.360", "162.325", "27%", "439.035", "189.679", "113.452", "60%", "76.227", 17),
    (7, "664.426", "426.196", "64%", "238.231", "464.599", _, _, "464.599", 5),
    (8, "187.410", "73.524", "39%", "113.886", "6.000", _, _, "6.000", 10),
    (11, "2.918.926", "1.437.910", "49%", "1.481.016", "1.456.419", "117.797", "8%", "1.338.623", 31),
    (6, "3.052.501", "2.253.056", "74%", "799.445", "2.296.690", _, _, "2.296.690", 14),
    (13, "3.053.386", "779.494", "26%", "2.273.892", "1.512.438", "9.178", "1%", "1.503.260", 14),
    (15, "227.225", _, _, "227.225", _, _, _, _, 9),
    (16, "5.334.455", "1.558.008", "29%", "3.776.447", "0", _, _, "0", 31),
]

TOLERANCE_EUR = 2  # only for the consistency of the hand transcription itself
FIELDS = [
    ("uitgaven_totaal", "uitgaven_besteld", "besteld_pct", "uitgaven_resterend"),
    ("ontvangsten_totaal", "ontvangsten_ontvangen", "ontvangen_pct", "ontvangsten_resterend"),
]


def euros(printed: str | None) -> int:
    """'1.234.567' → 1234567; an empty cell → 0 (independent of dashboard.parsing)."""
    return 0 if printed is None else int(printed.replace(".", ""))


def half_up(value: float) -> int:
    return int(Decimal(repr(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def check_printed_columns(row, printed: tuple, label: str) -> list[str]:
    """Compare one table row (a pandas row) with 8 printed cells; returns the mismatches."""
    problems = []
    for names, cells in zip(FIELDS, (printed[:4], printed[4:8])):
        total_col, realised_col, pct_col, rest_col = names
        total, realised, pct, rest = cells
        for column, cell in ((total_col, total), (realised_col, realised), (rest_col, rest)):
            if half_up(float(row[column])) != euros(cell):
                problems.append(f"{label} {column}: store {row[column]}, report {cell!r}")
        got = float(row[pct_col])
        if pct is not None:
            if math.isnan(got) or half_up(got) != int(pct.rstrip("%")):
                problems.append(f"{label} {pct_col}: store {got}, report {pct}")
        elif euros(total) == 0:
            if not math.isnan(got):
                problems.append(f"{label} {pct_col}: store {got}, report empty with a zero total (expect NaN)")
        elif got != 0:
            problems.append(f"{label} {pct_col}: store {got}, report empty with nothing realised (expect 0)")
    return problems


def test_report_rows_are_transcribed_consistently():
    """Guards the hand transcription: resterend = totaal − realised (±2 €), and plans add up to the SDG total."""
    for _sdg, key, _label, *cells, _tasks in REPORT_ROWS:
        for offset in (0, 4):
            total, realised, _pct, rest = cells[offset : offset + 4]
            assert abs(euros(total) - euros(realised) - euros(rest)) <= TOLERANCE_EUR, (key, offset)
    for sdg, *cells, tasks in REPORT_TOTALS:
        rows = [r for r in REPORT_ROWS if r[0] == sdg]
        assert sum(r[-1] for r in rows) == tasks, sdg
        for i in (0, 1, 3, 4, 5, 7):
            assert abs(sum(euros(r[3 + i]) for r in rows) - euros(cells[i])) <= TOLERANCE_EUR, (sdg, i)


@pytest.mark.parametrize("sdg", sorted({r[0] for r in REPORT_ROWS}))
def test_action_plan_overview_reproduces_every_row_of_the_sdg_budget_tables(seed_store, sdg):
    overview = queries.action_plan_overview(seed_store.engine, Filters(ORG, Q1), sdg).set_index("key")
    expected = [r for r in REPORT_ROWS if r[0] == sdg]
    problems = []
    for _sdg, key, label, *printed, tasks in expected:
        assert key in overview.index, f"row {key} of the SDG {sdg} table is missing"
        row = overview.loc[key]
        shown = label if key == f"D{sdg:02d}" else f"{key[-4:]} {row['label']}"
        if shown != label:
            problems.append(f"{key} label: store {shown!r}, report {label!r}")
        if int(row["tasks"]) != tasks:
            problems.append(f"{key} # taken: store {row['tasks']}, report {tasks}")
        problems += check_printed_columns(row, tuple(printed), key)
    assert not problems, "\n".join(problems)
    # The report's table has exactly these rows with budget; nothing else carries budget.
    assert set(overview.index[overview["has_budget"]]) == {r[1] for r in expected}


def test_policy_goal_budget_of_sdg16_stays_one_row_without_an_invented_split(seed_store):
    overview = queries.action_plan_overview(seed_store.engine, Filters(ORG, Q1), 16).set_index("key")
    goal = overview.loc["D16"]
    assert goal["level"] == "beleidsdoelstelling"
    assert goal["label"] == "Vrede, veiligheid en sterke publieke diensten"
    plans = overview[overview["level"] == "actieplan"]
    assert list(plans.index) == ["D16/AP01", "D16/AP02", "D16/AP03"]
    assert not plans["has_budget"].any()
    amounts = ["uitgaven_totaal", "uitgaven_besteld", "ontvangsten_totaal", "ontvangsten_ontvangen"]
    assert (plans[amounts] == 0).all().all()
    assert plans["tasks"].tolist() == [8, 21, 2]


@pytest.mark.parametrize("printed", REPORT_TOTALS, ids=lambda r: f"SDG{r[0]:02d}")
def test_sdg_overview_reproduces_the_totaal_row_of_each_sdg(seed_store, printed):
    sdg, *cells, tasks = printed
    overview = queries.sdg_overview(seed_store.engine, Filters(ORG, Q1)).set_index("key")
    row = overview.loc[sdg]
    assert int(row["tasks"]) == tasks
    assert not check_printed_columns(row, tuple(cells), f"SDG {sdg}")


def _check_summary_against_reference(summary: dict, reference: dict) -> list[str]:
    tol = reference["tolerance_eur"]
    problems = []
    assert summary["quarter"] == reference["quarter"]
    sdgs = {s["sdg"]: s for s in summary["sdgs"]}
    assert sorted(sdgs) == list(range(1, 18)), "summary must list all 17 SDGs, with 'sdg' as a number"
    for key, want in reference["sdgs"].items():
        got = sdgs[int(key)]
        if got["tasks"] != want["tasks"] or got["pillar"] != want["pillar"]:
            problems.append(
                f"SDG {key}: tasks/pillar {got['tasks']}/{got['pillar']}, want {want['tasks']}/{want['pillar']}"
            )
        u, o = got["uitgaven"], got["ontvangsten"]
        for name, value, target in (
            ("totaal", u["totaal"], want["uitgaven"][0]),
            ("besteld", u["besteld"], want["uitgaven"][1]),
            ("resterend", u["resterend"], want["uitgaven"][2]),
            ("ontv. totaal", o["totaal"], want["ontvangsten"][0]),
            ("ontvangen", o["ontvangen"], want["ontvangsten"][1]),
        ):
            if abs(value - target) > tol:
                problems.append(f"SDG {key} {name}: {value}, want {target}")
        if abs(o["resterend"] - (o["totaal"] - o["ontvangen"])) > 0.005:
            problems.append(f"SDG {key} ontvangsten.resterend is not totaal − ontvangen")
    for sdg in (5, 9, 12, 14, 17):  # SDGs without action plans: an empty entry, not an error
        assert sdgs[sdg]["tasks"] == 0 and sdgs[sdg]["uitgaven"]["totaal"] == 0
    pillars = {p["pillar"]: p for p in summary["pillars"]}
    assert set(pillars) == set(reference["pillars"])
    for key, want in reference["pillars"].items():
        got = pillars[key]
        if got["tasks"] != want["tasks"] or got["status"] != want["status"]:
            problems.append(f"pillar {key}: {got['tasks']} {got['status']}, want {want['tasks']} {want['status']}")
        if sum(got["status"][s] for s in STATUSES) != got["tasks"]:
            problems.append(f"pillar {key}: status counts do not add up to tasks")
        for field, have in (
            ("uitgaven_totaal", got["uitgaven"]["totaal"]),
            ("ontvangsten_totaal", got["ontvangsten"]["totaal"]),
        ):
            if field in want and abs(have - want[field]) > tol:
                problems.append(f"pillar {key} {field}: {have}, want {want[field]}")
    assert sum(p["tasks"] for p in summary["pillars"]) == 164
    return problems


def test_summary_reproduces_sdg_totals_and_pillar_counts_of_the_reference(seed_store, reference):
    summary = queries.summary(seed_store.engine, ORG, Q1)
    problems = _check_summary_against_reference(summary, reference)
    assert not problems, "\n".join(problems)


def test_cli_summary_json_reproduces_the_reference_and_equals_the_query(seed_store, reference):
    data = cli_json(["summary", "--quarter", "2023KW1", "--json"], seed_store.url)
    problems = _check_summary_against_reference(data, reference)
    assert not problems, "\n".join(problems)
    assert data == queries.summary(seed_store.engine, ORG, Q1)
    for entry in data["pillars"] + data["sdgs"]:  # DESIGN.md §7 keys
        assert set(entry["status"]) == set(STATUSES)
        assert set(entry["uitgaven"]) == {"totaal", "besteld", "resterend"}
        assert set(entry["ontvangsten"]) == {"totaal", "ontvangen", "resterend"}
