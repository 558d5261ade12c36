"""The import rejects bad input: every problem located (file, row, column, value, rule), and nothing written.

"Nothing written" is checked three ways: a row-for-row dump of every table, meta.data_version, and
(SQLite) the bytes of the database file, compared before and after.
Row numbers are the spreadsheet rows a person sees: the header is row 1.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from storekit import Q2, assert_unchanged, run_cli, snapshot, write_csv, write_quarter

from dashboard.importer import ImportRejected, import_files

ANY = object()


@dataclass(frozen=True)
class Expect:
    """A problem that must be reported; ``rule`` is a part of the rule's text."""

    file: str
    row: int | None
    column: str | None
    value: object
    rule: str

    def matches(self, p) -> bool:
        return (
            p.file == self.file
            and (self.row is ANY or p.row == self.row)
            and p.column == self.column
            and (self.value is ANY or p.value == self.value)
            and self.rule in p.rule
        )


def plain_pair(q, folder: Path, taken: pd.DataFrame | None = None, budget: pd.DataFrame | None = None):
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_csv(q.taken if taken is None else taken, folder / "taken.csv"),
        write_csv(q.budget_frame("plain") if budget is None else budget, folder / "budget.csv"),
    ]


def changed(frame: pd.DataFrame, index: int, **values) -> pd.DataFrame:
    frame = frame.copy()
    for column, value in values.items():
        frame.loc[index, column] = value
    return frame


# Each case: (files to import, --quarter, the problems that must be among those reported).
def case_missing_column(q, d):
    return (
        plain_pair(q, d, taken=q.taken.drop(columns="status")),
        None,
        [Expect("taken.csv", 1, "status", None, "verplichte kolom ontbreekt")],
    )


def case_unknown_status(q, d):
    return (
        plain_pair(q, d, taken=changed(q.taken, 4, status="Misschien")),
        None,
        [Expect("taken.csv", 6, "status", "Misschien", "onbekende status")],
    )


def case_unparsable_amount(q, d):
    budget = changed(q.budget_frame("plain"), 2, uitgaven_besteld="twaalfduizend")
    return (
        plain_pair(q, d, budget=budget),
        None,
        [Expect("budget.csv", 4, "uitgaven_besteld", "twaalfduizend", "geen geldig bedrag")],
    )


def case_task_twice_in_one_quarter(q, d):
    taken = pd.concat([q.taken, q.taken.iloc[[1]]], ignore_index=True)
    return (
        plain_pair(q, d, taken=taken),
        None,
        [
            Expect(
                "taken.csv",
                len(q.taken) + 2,
                "taak_id",
                q.taken.taak_id[1],
                "twee keer in kwartaal 2023KW2 (ook rij 3)",
            )
        ],
    )


def case_budget_line_twice(q, d):
    budget = q.budget_frame("plain")
    budget = pd.concat([budget, budget.iloc[[0]]], ignore_index=True)
    return (
        plain_pair(q, d, budget=budget),
        None,
        [Expect("budget.csv", len(budget) + 1, "actieplan", budget.actieplan[0], "twee keer")],
    )


def case_undeclared_action_plan(q, d):
    taken = changed(q.taken, 0, actieplan="D01/AP07", actieplan_titel="", actie="D01/AP07/01", taak_id="D01/AP07/01-1")
    budget = pd.concat(
        [
            q.budget_frame("plain"),
            pd.DataFrame(
                [
                    {
                        "kwartaal": Q2,
                        "sdg": "3",
                        "actieplan": "D03/AP09",
                        "uitgaven_totaal": "100",
                        "uitgaven_besteld": "",
                        "ontvangsten_totaal": "",
                        "ontvangsten_ontvangen": "",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    return (
        plain_pair(q, d, taken=taken, budget=budget),
        None,
        [
            Expect("taken.csv", 2, "actieplan", "D01/AP07", "actieplan bestaat niet en wordt niet gedeclareerd"),
            Expect("budget.csv", len(budget) + 1, "actieplan", "D03/AP09", "actieplan bestaat niet"),
        ],
    )


def case_sdg_18(q, d):
    return (
        plain_pair(q, d, taken=changed(q.taken, 0, sdg="18")),
        None,
        [Expect("taken.csv", 2, "sdg", "18", "SDG-nummer buiten 1–17")],
    )


def case_sdg_not_declared_for_a_new_bestuur(q, d):
    taken = q.taken.assign(bestuur="")
    taken.loc[1, "bestuur"] = "zwevegem"
    return (
        plain_pair(q, d, taken=taken),
        None,
        [Expect("taken.csv", 3, "sdg", "1", "SDG 1 bestaat niet voor bestuur 'zwevegem'")],
    )


def case_action_plan_of_another_sdg(q, d):
    return (
        plain_pair(q, d, taken=changed(q.taken, 0, sdg="3")),
        None,
        [Expect("taken.csv", 2, "actieplan", "D01/AP01", "actieplancode hoort niet bij SDG 3")],
    )


def case_empty_file(q, d):
    paths = plain_pair(q, d)
    paths[0].write_bytes(b"")
    return paths, None, [Expect("taken.csv", None, None, None, "bestand is leeg")]


def case_header_only(q, d):
    return (
        plain_pair(q, d, taken=q.taken.iloc[:0]),
        None,
        [Expect("taken.csv", None, None, None, "bestand bevat geen gegevensrijen")],
    )


def case_quarter_not_matching_option(q, d):
    expect = [
        Expect("taken.csv", row, "kwartaal", Q2, "kwartaal komt niet overeen met --quarter 2023KW3")
        for row in range(2, len(q.taken) + 2)
    ]
    expect += [Expect("budget.csv", row, "kwartaal", Q2, "komt niet overeen") for row in range(2, len(q.budget) + 2)]
    return plain_pair(q, d), "2023 KW3", expect


def case_invalid_quarter_option(q, d):
    return plain_pair(q, d), "2023KW5", [Expect("--quarter", None, None, "2023KW5", "geen geldig kwartaal")]


def case_unknown_file_type(q, d):
    path = d / "kw2.json"
    d.mkdir(parents=True, exist_ok=True)
    path.write_text('{"taken": []}', encoding="utf-8")
    return [*plain_pair(q, d), path], None, [Expect("kw2.json", None, None, None, "onbekend bestandstype")]


def case_unreadable_xlsx(q, d):
    d.mkdir(parents=True, exist_ok=True)
    path = d / "kw2.xlsx"
    path.write_bytes(b"kwartaal;sdg\n2023KW2;3\n")  # a CSV saved under the wrong name
    return [path], None, [Expect("kw2.xlsx", None, None, None, "bestand kan niet gelezen worden")]


def case_unreadable_parquet(q, d):
    d.mkdir(parents=True, exist_ok=True)
    path = d / "taken.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    return [path], None, [Expect("taken.parquet", None, None, None, "bestand kan niet gelezen worden")]


def case_missing_file(q, d):
    return [d / "bestaat_niet.csv"], None, [Expect("bestaat_niet.csv", None, None, None, "bestand niet gevonden")]


def case_unknown_template(q, d):
    d.mkdir(parents=True, exist_ok=True)
    path = write_csv(pd.DataFrame({"naam": ["Jan"], "adres": ["Marktstraat 1"]}), d / "adressen.csv")
    return [path], None, [Expect("adressen.csv", 1, None, None, "onbekend sjabloon")]


def case_bad_row_in_xlsx_sheet(q, d):
    bad = dataclasses.replace(q, taken=changed(q.taken, 4, status="Misschien"))
    return (
        write_quarter(bad, d, "xlsx_extra_sheets"),
        None,
        [Expect("export_2023KW2.xlsx [Taken]", 6, "status", "Misschien", "onbekende status")],
    )


CASES = {name[len("case_") :]: fn for name, fn in globals().items() if name.startswith("case_")}


@pytest.mark.parametrize("case", sorted(CASES))
def test_import_rejects_bad_input_naming_file_row_column_value_and_rule_and_writes_nothing(
    fresh_store, kw2, tmp_path, case
):
    paths, quarter, expected = CASES[case](kw2, tmp_path / "in")
    before = snapshot(fresh_store)

    with pytest.raises(ImportRejected) as info:
        import_files(fresh_store.engine, paths, quarter=quarter)

    problems = info.value.problems
    assert problems, "rejected without saying why"
    for e in expected:
        assert any(e.matches(p) for p in problems), f"expected {e}, got:\n" + "\n".join(map(repr, problems))
    for p in problems:
        assert p.file and p.rule
    assert_unchanged(fresh_store, before)


def test_rejection_message_reads_file_row_column_value_and_rule(fresh_store, kw2, tmp_path):
    paths = plain_pair(kw2, tmp_path, taken=changed(kw2.taken, 4, status="Misschien"))
    with pytest.raises(ImportRejected) as info:
        import_files(fresh_store.engine, paths)
    assert [str(p) for p in info.value.problems] == [
        "taken.csv, rij 6, kolom 'status', waarde 'Misschien': onbekende status "
        "(toegestaan: Niet gestart, Bezig, Voltooid, Taak voltooid)"
    ]
    assert "niets geïmporteerd" in str(info.value)


def test_import_lists_every_bad_row_of_every_file_not_only_the_first(fresh_store, kw2, tmp_path):
    taken = changed(kw2.taken, 1, status="Gestart")
    taken = changed(taken, 5, status="")
    taken = changed(taken, 9, sdg="SDG 99")
    taken = changed(taken, 20, taak_id="D03/AP01/01")
    budget = changed(kw2.budget_frame("plain"), 0, uitgaven_totaal="1.2.3")
    budget = changed(budget, 3, ontvangsten_ontvangen="veel")
    before = snapshot(fresh_store)

    with pytest.raises(ImportRejected) as info:
        import_files(fresh_store.engine, plain_pair(kw2, tmp_path, taken=taken, budget=budget))

    located = {(p.file, p.row, p.column) for p in info.value.problems}
    assert located == {
        ("taken.csv", 3, "status"),
        ("taken.csv", 7, "status"),
        ("taken.csv", 11, "sdg"),
        ("taken.csv", 22, "taak_id"),
        ("budget.csv", 2, "uitgaven_totaal"),
        ("budget.csv", 5, "ontvangsten_ontvangen"),
    }
    assert_unchanged(fresh_store, before)


def test_row_numbers_are_spreadsheet_rows_despite_multiline_cells_and_blank_lines(fresh_store, kw2, tmp_path):
    taken = changed(kw2.taken.iloc[:4].copy(), 0, toelichting="regel 1\nregel 2\nregel 3")
    taken = changed(taken, 3, status="Misschien")
    path = write_csv(taken, tmp_path / "taken.csv")
    lines = path.read_bytes().split(b"\r\n")
    # header, record 1 (one row over three lines), record 2, blank line, records 3 and 4
    path.write_bytes(b"\r\n".join(lines[:3] + [b""] + lines[3:]))
    before = snapshot(fresh_store)
    with pytest.raises(ImportRejected) as info:
        import_files(fresh_store.engine, [path])
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [(6, "status", "Misschien")]
    assert_unchanged(fresh_store, before)


def test_cli_import_of_a_bad_file_exits_1_and_prints_every_problem_on_stderr_without_traceback(
    fresh_store, kw2, tmp_path
):
    taken = changed(changed(kw2.taken, 1, status="Misschien"), 2, sdg="18")
    path = write_csv(taken, tmp_path / "BAD.csv")
    before = snapshot(fresh_store)

    proc = run_cli(["import", str(path)], fresh_store.url)

    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "Import geweigerd: 2 fout(en), er werd niets geschreven." in proc.stderr
    assert "BAD.csv, rij 3, kolom 'status', waarde 'Misschien': onbekende status" in proc.stderr
    assert "BAD.csv, rij 4, kolom 'sdg', waarde '18': SDG-nummer buiten 1–17" in proc.stderr
    assert "Geïmporteerd" not in proc.stdout
    assert_unchanged(fresh_store, before)


# --- bugs found --------------------------------------------------------------------------------------


def test_import_names_file_and_row_of_a_task_listed_in_two_files_of_one_import(fresh_store, kw2, tmp_path):
    first = write_csv(kw2.taken.iloc[:10], tmp_path / "taken_deel1.csv")
    second = write_csv(kw2.taken.iloc[5:], tmp_path / "taken_deel2.csv")
    before = snapshot(fresh_store)
    with pytest.raises(ImportRejected) as info:
        import_files(fresh_store.engine, [first, second])
    assert_unchanged(fresh_store, before)
    assert {(p.file, p.row, p.column) for p in info.value.problems} == {
        ("taken_deel2.csv", row, "taak_id") for row in range(2, 7)
    }


def test_import_of_an_empty_file_says_the_file_is_empty(fresh_store, tmp_path):
    path = tmp_path / "kw2.csv"
    path.write_bytes(b"")
    with pytest.raises(ImportRejected) as info:
        import_files(fresh_store.engine, [path])
    assert [(p.file, p.rule) for p in info.value.problems] == [("kw2.csv", "bestand is leeg")]


def test_cli_import_of_a_superscript_sdg_number_is_a_located_problem_not_a_traceback(fresh_store, kw2, tmp_path):
    path = write_csv(changed(kw2.taken, 0, sdg="³"), tmp_path / "BAD.csv")
    proc = run_cli(["import", str(path)], fresh_store.url)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "BAD.csv, rij 2, kolom 'sdg'" in proc.stderr
