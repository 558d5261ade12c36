"""The synthetic-quarters generator (dashboard.synthetic and ``python -m dashboard synth``): same
seed, same files; statuses only move forward; budgets only grow; every row labelled synthetic; never
written into data/seed; the output imports cleanly and the store then knows those quarters are synthetic."""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pytest
from storekit import ORG, run_cli

from dashboard import queries, synthetic
from dashboard.config import SEED_DIR
from dashboard.importer import import_files
from dashboard.parsing import parse_amount_cents
from dashboard.queries import Filters
from dashboard.synthetic import PREFIX, STATUS_ORDER, Rates

# The generator works on frames; its store reads and the import of its output run on PostgreSQL
# through the synthetic_store fixture (search, changes and trends tests).
pytestmark = pytest.mark.backends("sqlite")

GENERATED = ["2023KW2", "2023KW3", "2023KW4"]


def seed_hashes() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(SEED_DIR.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def base(seed_store):
    """The seed store's 2023KW1 as the generator reads it."""
    return synthetic.load_base(seed_store.engine, ORG)


def generate(base, **kwargs) -> synthetic.SyntheticQuarters:
    quarter, taken, budget, ids = base
    return synthetic.generate(taken, budget, base=quarter, known_task_ids=ids, **kwargs)


def history(result, base) -> dict[str, list[tuple[str, str, str]]]:
    """task id → [(quarter, status, toelichting)] over the base quarter and the generated ones."""
    out = defaultdict(list)
    for r in base[1].itertuples():
        out[r.taak_id].append((base[0], r.status, r.toelichting))
    for r in result.taken.itertuples():
        out[r.taak_id].append((r.kwartaal, r.status, r.toelichting))
    return out


def test_the_same_seed_gives_the_same_files_byte_for_byte_and_another_seed_does_not(base, tmp_path):
    first = synthetic.write(generate(base, seed=11), tmp_path / "a")
    second = synthetic.write(generate(base, seed=11), tmp_path / "b")
    other = synthetic.write(generate(base, seed=12), tmp_path / "c")
    assert [p.name for p in first] == ["taken.csv", "budget.csv"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert first[0].read_bytes() != other[0].read_bytes()


def test_the_generated_quarters_follow_the_base_quarter_across_the_year(base):
    assert generate(base).quarters == GENERATED
    assert generate(base, quarters=5).quarters == [*GENERATED, "2024KW1", "2024KW2"]
    assert synthetic.next_quarter("2023KW4") == "2024KW1"
    assert base[0] == "2023KW1"  # the latest real quarter of the seed store


def test_statuses_never_go_backwards_without_setbacks_and_progress_over_the_quarters(base):
    result = generate(base, quarters=6, rates=Rates(setback=0))
    moves = 0
    for task_id, steps in history(result, base).items():
        orders = [STATUS_ORDER[status] for _q, status, _t in steps]
        assert orders == sorted(orders), f"{task_id} went backwards: {steps}"
        moves += orders[-1] > orders[0]
    assert moves > 40  # plausible progress, not a frozen plan
    taken = result.taken
    done = [int(((taken["kwartaal"] == q) & (taken["status"] == "Voltooid")).sum()) for q in result.quarters]
    assert done == sorted(done) and done[-1] > done[0]


def test_with_default_rates_a_setback_is_rare_and_only_from_bezig_to_niet_gestart(base):
    result = generate(base, quarters=6)
    steps = backwards = 0
    for _task, hist in history(result, base).items():
        for (_q1, before, _t1), (_q2, after, _t2) in zip(hist, hist[1:]):
            steps += 1
            if STATUS_ORDER[after] < STATUS_ORDER[before]:
                backwards += 1
                assert (before, after) == ("Bezig", "Niet gestart")
    assert backwards <= 0.02 * steps


def test_budgets_grow_monotonically_and_totals_stay_mostly_fixed_at_the_same_level(base):
    result = generate(base, quarters=6)
    lines = defaultdict(list)
    for r in base[2].itertuples():
        lines[(r.sdg, r.actieplan)].append(
            (r.uitgaven_totaal, r.uitgaven_besteld, r.ontvangsten_totaal, r.ontvangsten_ontvangen)
        )
    for r in result.budget.itertuples():
        lines[(r.sdg, r.actieplan)].append(
            (r.uitgaven_totaal, r.uitgaven_besteld, r.ontvangsten_totaal, r.ontvangsten_ontvangen)
        )
    total_changes = steps = 0
    for scope, series in lines.items():
        assert len(series) == 7, scope  # every line in every quarter
        for (ut1, ub1, ot1, oo1), (ut2, ub2, ot2, oo2) in zip(series, series[1:]):
            steps += 1
            assert ub2 >= ub1 and oo2 >= oo1, f"{scope}: besteld or ontvangen went down"
            assert ot2 == ot1
            total_changes += ut2 != ut1
            if ub1 <= ut1:
                assert ub2 <= ut2, f"{scope}: besteld pushed above the total"
            assert (ub2 - ub1) % 100 == 0 and (oo2 - oo1) % 100 == 0  # growth in whole euros
    assert total_changes <= 0.15 * steps
    grown = sum(series[-1][1] > series[0][1] for series in lines.values())
    assert grown >= 20
    # SDG 16 keeps its single policy-goal line: no action plan, in every quarter.
    assert [a for (s, a) in lines if s == "16"] == [""]


def test_every_row_is_labelled_synthetic_and_every_new_toelichting_is_marked(base):
    result = generate(base)
    for table in (result.taken, result.budget):
        assert set(table["synthetisch"]) == {"ja"}
        assert table["bron"].str.contains("gegenereerd uit 2023KW1").all()
    changed = unchanged = 0
    for _task, steps in history(result, base).items():
        for (_q1, _s1, before), (_q2, _s2, after) in zip(steps, steps[1:]):
            if after != before:
                changed += 1
                assert after.startswith(PREFIX + " ")
            else:
                unchanged += 1
    assert changed > 100 and unchanged > 50  # new toelichtingen for some tasks, others left as they were
    assert result.count("toelichting") == changed


def test_a_changed_toelichting_keeps_most_of_the_previous_text_so_a_word_diff_reads_well(base):
    from dashboard.changes import word_diff

    result = generate(base)
    kept = []
    for event in (e for e in result.events if e.kind == "toelichting" and len(e.before.split()) >= 12):
        runs = word_diff(event.before, event.after)
        equal = sum(len(t.split()) for op, t in runs if op == "equal")
        kept.append(equal / len(event.before.split()))
    assert len(kept) > 50 and sorted(kept)[len(kept) // 2] >= 0.6  # the median text keeps most of its words


def test_a_task_whose_status_changed_gets_a_new_toelichting_and_the_events_match_the_rows(base):
    result = generate(base)
    rows = {(r.kwartaal, r.taak_id): r for r in result.taken.itertuples()}
    status_events = [e for e in result.events if e.kind == "status"]
    assert status_events
    text_events = {(e.quarter, e.task_id) for e in result.events if e.kind == "toelichting"}
    for event in status_events:
        assert rows[(event.quarter, event.task_id)].status == event.after
        assert (event.quarter, event.task_id) in text_events


def test_one_or_two_tasks_are_added_with_new_ids_and_one_is_dropped(base):
    result = generate(base)
    added = [e for e in result.events if e.kind == "added"]
    dropped = [e for e in result.events if e.kind == "dropped"]
    assert 1 <= len(added) <= 2 and len(dropped) == 1
    for event in added:
        assert event.task_id not in base[3]
        assert event.task_id.rsplit("-", 1)[0] in set(base[1]["actie"])  # under an existing action
        later = result.taken[result.taken["taak_id"] == event.task_id]
        assert later["kwartaal"].iloc[0] == event.quarter and later["taak"].iloc[0].startswith(PREFIX)
    gone = dropped[0]
    assert gone.task_id in set(base[1]["taak_id"])
    after = result.taken[(result.taken["taak_id"] == gone.task_id)]
    assert set(after["kwartaal"]) == {q for q in GENERATED if q < gone.quarter}


def test_the_output_imports_without_errors_and_the_store_labels_those_quarters_synthetic(fresh_store, tmp_path):
    result = synthetic.from_store(fresh_store.engine, ORG)
    imported = import_files(fresh_store.engine, synthetic.write(result, tmp_path / "synthetic"))
    assert imported.quarters == GENERATED
    sources = queries.quarter_sources(fresh_store.engine, ORG).set_index("quarter")
    assert sources["synthetic"].to_dict() == {"2023KW1": False, **{q: True for q in GENERATED}}
    assert sources.loc["2023KW3", "note"].startswith("gegenereerd uit 2023KW1")
    for quarter in GENERATED:
        shown = queries.tasks(fresh_store.engine, Filters(ORG, quarter))
        assert len(shown) == int((result.taken["kwartaal"] == quarter).sum())
    budget = queries.budget_lines(fresh_store.engine, Filters(ORG, "2023KW4")).set_index("scope")
    written = result.budget[result.budget["kwartaal"] == "2023KW4"].set_index("actieplan")
    assert budget.loc["D16", "uitgaven_besteld"] == pytest.approx(written.loc["", "uitgaven_besteld"] / 100)
    # Generating again from the same store gives the same quarters (the base is still the real 2023KW1).
    again = synthetic.from_store(fresh_store.engine, ORG)
    assert again.quarters == GENERATED and again.taken.equals(result.taken)


def test_it_never_writes_into_the_seed_folder(base, tmp_path):
    before = seed_hashes()
    result = generate(base)
    for target in (SEED_DIR, SEED_DIR / "synthetic", SEED_DIR / ".." / "seed" / "x"):
        with pytest.raises(ValueError, match="nooit"):
            synthetic.write(result, target)
    assert not (SEED_DIR / "synthetic").exists() and not (SEED_DIR / "x").exists()
    assert seed_hashes() == before
    synthetic.write(result, tmp_path / "elsewhere")  # any other folder is fine
    assert seed_hashes() == before


def test_cli_synth_writes_the_template_elsewhere_and_refuses_the_seed_folder(fresh_store, tmp_path):
    before = seed_hashes()
    out = tmp_path / "synth"
    proc = run_cli(["synth", "--quarters", "2", "--out", str(out), "--seed", "5"], fresh_store.url)
    assert proc.returncode == 0, proc.stderr
    assert "2 synthetische kwartalen (2023KW2, 2023KW3) afgeleid uit 2023KW1 (seed 5)" in proc.stdout
    assert "Importeren: python -m dashboard import" in proc.stdout
    assert sorted(p.name for p in out.iterdir()) == ["budget.csv", "taken.csv"]
    assert (out / "taken.csv").read_bytes() == synthetic.write(
        synthetic.from_store(fresh_store.engine, ORG, quarters=2, seed=5), tmp_path / "api"
    )[0].read_bytes()
    proc = run_cli(["import", str(out / "taken.csv"), str(out / "budget.csv")], fresh_store.url)
    assert proc.returncode == 0, proc.stderr

    refused = run_cli(["synth", "--out", str(SEED_DIR / "synthetic")], fresh_store.url)
    assert refused.returncode == 2 and "nooit" in refused.stderr
    assert not (SEED_DIR / "synthetic").exists()
    assert seed_hashes() == before


def test_cli_synth_from_a_quarter_that_is_not_in_the_store_fails_plainly(fresh_store, tmp_path):
    proc = run_cli(["synth", "--from", "2022KW4", "--out", str(tmp_path / "x")], fresh_store.url)
    assert proc.returncode == 2 and "geen taken" in proc.stderr and "2022KW4" in proc.stderr
    assert not (tmp_path / "x").exists()


def test_amounts_are_written_as_the_importer_reads_them(base, tmp_path):
    result = generate(base)
    frame = result.budget_template()
    cents = [parse_amount_cents(v) for v in frame["uitgaven_besteld"]]
    assert cents == result.budget["uitgaven_besteld"].tolist()
