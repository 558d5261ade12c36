"""The council pack (raadspakket): what it collects from the store, and the PDF it renders.

The rendering tests (``slow``) draw the charts with Kaleido on Debian's Chromium and read the PDF
back with poppler's ``pdftotext`` and ``pdfinfo``, as a reader of the pack would see it. The fast
tests lay the pack out with placeholder charts, so the PDF itself is checked without a browser.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from storekit import ORG, Q1, Q2, make_quarter, run_cli, write_csv

from dashboard import pack, queries
from dashboard.importer import import_files
from dashboard.queries import Filters

# The pack renders what the queries return; the queries run on PostgreSQL in their own tests.
pytestmark = pytest.mark.backends("sqlite")

SDG3_TITLE = "Harelbeke verzekert een goede gezondheid en promoot welzijn voor alle leeftijden"
MARKUP = {
    # task → a toelichting that would run as code or turn into formatting if it were not escaped
    "D03/AP02/01-1": "<script>alert('pack')</script> Tekst & meer <img src=x onerror=alert(1)>",
    "D03/AP01/02-1": "<b>vet</b> of <font color='red'>rood</font> &amp; <br/> einde <para>",
}
A4_LANDSCAPE = (841.89, 595.276)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} not found (Debian package poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def pdf_text(path: Path) -> str:
    """The PDF's text in drawing order (-raw: no de-hyphenation, cells stay whole), whitespace collapsed."""
    out = subprocess.run(
        [_tool("pdftotext"), "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", " ", out)


def page_texts(path: Path, pages: int) -> list[str]:
    return [
        re.sub(
            r"\s+",
            " ",
            subprocess.run(
                [_tool("pdftotext"), "-raw", "-f", str(n), "-l", str(n), str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout,
        )
        for n in range(1, pages + 1)
    ]


def pdf_info(path: Path) -> tuple[int, list[tuple[float, float]]]:
    """Page count and every page's size in points, from pdfinfo."""
    out = subprocess.run([_tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    sizes_out = subprocess.run(
        [_tool("pdfinfo"), "-f", "1", "-l", str(pages), str(path)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", sizes_out)]
    return pages, sizes


def placeholder_images(specs) -> list[bytes]:
    """A plain SVG of the right size per chart: lays the pack out without a browser."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{s.width}" height="{s.height}">'
        f'<rect x="0" y="0" width="{s.width}" height="{s.height}" fill="#dde3ea"/></svg>'.encode()
        for s in specs
    ]


def import_markup_quarter(store, folder: Path, *, synthetic: bool) -> None:
    """2023KW2 for SDG 3 with toelichtingen full of markup (optionally marked synthetic)."""
    q = make_quarter(Q2, ("3",), toelichting=MARKUP)
    taken, budget = q.taken.copy(), q.budget_frame("plain")
    if synthetic:
        for frame in (taken, budget):
            frame["synthetisch"] = "ja"
            frame["bron"] = "testkwartaal <i>uit de generator</i>"
    folder.mkdir(parents=True, exist_ok=True)
    import_files(store.engine, [write_csv(taken, folder / "taken.csv"), write_csv(budget, folder / "budget.csv")])


def sdg3_task_names(store) -> list[str]:
    return queries.tasks(store.engine, Filters(ORG, Q1), sdg=3)["name"].tolist()


# --- without a browser ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "key", "code"),
    [
        ("plan", "plan", None, "Meerjarenplan"),
        ("pillar:people", "pillar", "people", "People"),
        ("pijler:peace", "pillar", "peace", "Peace"),
        ("sdg:3", "sdg", 3, "SDG03"),
        ("SDG:17", "sdg", 17, "SDG17"),
    ],
)
def test_a_scope_is_read_from_its_command_line_form(text, kind, key, code):
    scope = pack.Scope.parse(text)
    assert (scope.kind, scope.key, scope.code) == (kind, key, code)


@pytest.mark.parametrize("text", ["", "sdg:0", "sdg:18", "sdg:x", "pillar:mars", "alles"])
def test_an_unknown_scope_is_refused_with_the_forms_it_accepts(text):
    with pytest.raises(ValueError, match="plan, pillar:"):
        pack.Scope.parse(text)


def test_the_file_name_names_scope_and_quarter():
    assert pack.pack_filename(pack.Scope.parse("sdg:3"), Q1) == "Raadspakket_SDG03_2023KW1.pdf"
    assert pack.pack_filename(pack.Scope.parse("plan"), Q1) == "Raadspakket_Meerjarenplan_2023KW1.pdf"


def test_data_text_is_escaped_so_markup_prints_literally():
    assert pack.text("<b>a</b> & <script>x</script>") == "&lt;b&gt;a&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;"
    assert pack.text("regel 1\r\nregel 2\x00") == "regel 1<br/>regel 2"
    assert pack.text(None) == "" and pack.text(float("nan")) == ""


def test_the_sdg3_pack_holds_the_reports_budget_tables_its_charts_and_all_23_tasks(seed_store):
    p = pack.collect(seed_store.engine, pack.Scope.parse("sdg:3"), Filters(ORG, Q1))
    (section,) = p.sections
    assert p.title == f"SDG 03: {SDG3_TITLE}"
    assert section.kpis["tasks"] == 23
    uitgaven = dict(section.budget)["uitgaven"]
    assert round(uitgaven["Totaal"].iloc[-1]) == 7_035_739 and round(uitgaven["Besteld"].iloc[-1]) == 2_489_310
    assert [len(row) for row in section.charts] == [3, 2]
    names = [n for g in section.tasks for n in g.rows["Taak"]]
    assert len(names) == 23
    assert all(any(name in shown for shown in names) for name in sdg3_task_names(seed_store))


def test_the_status_filter_narrows_the_tasks_of_the_pack_but_not_its_budget(seed_store):
    p = pack.collect(seed_store.engine, pack.Scope.parse("sdg:3"), Filters(ORG, Q1, statuses=("Voltooid",)))
    (section,) = p.sections
    statuses = {s for g in section.tasks for s in g.rows["Status"]}
    assert statuses == {"Voltooid"} and sum(len(g.rows) for g in section.tasks) == 2
    assert round(dict(section.budget)["uitgaven"]["Totaal"].iloc[-1]) == 7_035_739
    assert "Status: Voltooid" in p.filter_text


def test_the_plan_pack_has_the_overview_every_pillar_and_every_sdg_with_action_plans(seed_store):
    p = pack.collect(seed_store.engine, pack.Scope.parse("plan"), Filters(ORG, Q1))
    titles = [s.title for s in p.sections]
    assert titles[0] == "Overzicht"
    assert [t for t in titles if t.startswith("Pijler")] == [
        "Pijler People",
        "Pijler Planet",
        "Pijler Prosperity",
        "Pijler Peace",
        "Pijler Partnership",
    ]
    sdg_numbers = sorted(int(t[4:6]) for t in titles if t.startswith("SDG"))
    assert sdg_numbers == [1, 2, 3, 4, 6, 7, 8, 10, 11, 13, 15, 16]
    assert sum(len(g.rows) for s in p.sections if s.tasks for g in s.tasks) == 164
    assert next(s for s in p.sections if s.title == "Pijler Partnership").empty


def test_a_quarter_the_store_does_not_have_is_refused(seed_store):
    with pytest.raises(ValueError, match="2031KW4"):
        pack.collect(seed_store.engine, pack.Scope.parse("sdg:3"), Filters(ORG, "2031KW4"))


def test_a_real_quarter_is_not_labelled_synthetic(seed_store):
    assert pack.quarter_source(seed_store.engine, ORG, Q1) == (False, None)


def test_the_pdf_escapes_markup_labels_a_synthetic_quarter_and_numbers_its_pages(fresh_store, tmp_path):
    import_markup_quarter(fresh_store, tmp_path / "kw2", synthetic=True)
    p = pack.collect(fresh_store.engine, pack.Scope.parse("sdg:3"), Filters(ORG, Q2))
    assert p.synthetic and p.synthetic_note == "testkwartaal <i>uit de generator</i>"
    rendered = pack.render_pdf(p, placeholder_images)
    out = tmp_path / "pack.pdf"
    out.write_bytes(rendered.pdf)
    text = pdf_text(out)
    for toelichting in MARKUP.values():
        assert toelichting in text
    assert "testkwartaal <i>uit de generator</i>" in text
    assert "SYNTHETISCHE GEGEVENS" in text
    pages, sizes = pdf_info(out)
    assert pages == rendered.pages and len(sizes) == pages
    assert all(abs(w - A4_LANDSCAPE[0]) < 1 and abs(h - A4_LANDSCAPE[1]) < 1 for w, h in sizes)
    for n, page in enumerate(page_texts(out, pages), start=1):
        assert f"pagina {n} van {pages}" in page
        assert "SYNTHETISCH" in page


def test_a_toelichting_longer_than_a_page_is_printed_in_full_across_pages(fresh_store, tmp_path):
    sentences = [f"Zin {i:03d} van een zeer lange toelichting over de voortgang van deze taak." for i in range(160)]
    long_text = " ".join(sentences)
    q = make_quarter(Q2, ("3",), toelichting={"D03/AP06/01-1": long_text})
    folder = tmp_path / "kw2"
    folder.mkdir()
    import_files(
        fresh_store.engine,
        [write_csv(q.taken, folder / "taken.csv"), write_csv(q.budget_frame("plain"), folder / "budget.csv")],
    )
    p = pack.collect(fresh_store.engine, pack.Scope.parse("sdg:3"), Filters(ORG, Q2))
    rendered = pack.render_pdf(p, placeholder_images)
    out = tmp_path / "pack.pdf"
    out.write_bytes(rendered.pdf)
    # Every word in order; only the page furniture (footer, running header) may come in between.
    words = iter(pdf_text(out).split())
    assert all(word in words for word in long_text.split())
    pages = page_texts(out, rendered.pages)
    holding = [n for n, page in enumerate(pages, start=1) if "Zin 000" in page or "Zin 159" in page]
    assert len(holding) == 2 and holding[1] > holding[0]  # first and last sentence on different pages


# --- rendered with Chromium ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sdg3_pack(seed_store, tmp_path_factory):
    """The SDG 3 pack made with the command line, as an operator would: (path, CLI output)."""
    _tool("pdftotext")
    out = tmp_path_factory.mktemp("pack") / "Raadspakket_SDG03_2023KW1.pdf"
    result = run_cli(["pack", "--scope", "sdg:3", str(out)], seed_store.url, timeout=300)
    assert result.returncode == 0, result.stderr
    return out, result.stdout


@pytest.mark.slow
def test_the_rendered_sdg3_pack_shows_its_title_budget_and_every_task_name(sdg3_pack, seed_store):
    path, stdout = sdg3_pack
    text = pdf_text(path)
    assert SDG3_TITLE in text
    assert "7.035.739 €" in text and "2.489.310 €" in text and "60.970 €" in text
    missing = [name for name in sdg3_task_names(seed_store) if re.sub(r"\s+", " ", name) not in text]
    assert missing == []
    assert "Stand van zaken 2023 KW1" in text and "Departement: alle · Status: alle" in text
    assert "Raadspakket SDG 03" in stdout and "pagina's" in stdout


@pytest.mark.slow
def test_the_rendered_sdg3_pack_is_a4_landscape_with_numbered_pages_and_vector_charts(sdg3_pack):
    path, _ = sdg3_pack
    pages, sizes = pdf_info(path)
    assert pages >= 4
    assert all(abs(w - A4_LANDSCAPE[0]) < 1 and abs(h - A4_LANDSCAPE[1]) < 1 for w, h in sizes)
    texts = page_texts(path, pages)
    for n, page in enumerate(texts, start=1):
        assert f"pagina {n} van {pages}" in page
        assert "Raadspakket SDG 03 · Stad Harelbeke · stand van zaken 2023 KW1" in page
    # The charts are vector drawings: their own text (titles, slice labels) is text in the PDF.
    charts = next(page for page in texts if "Grafieken" in page)
    assert "SDG 3: taken per status" in charts and "SDG 3: uitgaven per actieplan" in charts
    assert "AP06 Kwalitatieve ouderenzorg" in charts


@pytest.mark.slow
def test_the_rendered_pack_prints_markup_in_a_toelichting_as_literal_text(fresh_store, tmp_path):
    _tool("pdftotext")
    import_markup_quarter(fresh_store, tmp_path / "kw2", synthetic=False)
    _, rendered = pack.build_pack(fresh_store.engine, pack.Scope.parse("sdg:3"), Filters(ORG, Q2))
    out = tmp_path / "pack.pdf"
    out.write_bytes(rendered.pdf)
    text = pdf_text(out)
    for toelichting in MARKUP.values():
        assert toelichting in text
    assert "SYNTHETISCH" not in text


@pytest.mark.slow
def test_the_whole_plan_pack_renders_every_task(seed_store, tmp_path):
    _tool("pdftotext")
    _, rendered = pack.build_pack(seed_store.engine, pack.Scope.parse("plan"), Filters(ORG, Q1))
    out = tmp_path / "plan.pdf"
    out.write_bytes(rendered.pdf)
    pages, sizes = pdf_info(out)
    assert pages == rendered.pages and pages > 20
    assert all(abs(w - A4_LANDSCAPE[0]) < 1 for w, _ in sizes)
    text = pdf_text(out)
    assert f"pagina {pages} van {pages}" in text
    all_names = queries.tasks(seed_store.engine, Filters(ORG, Q1))["name"]
    missing = [name for name in all_names if re.sub(r"\s+", " ", name) not in text]
    assert missing == []
    assert "23.215.865 €" in text  # the plan's uitgaven, as the overview shows it
