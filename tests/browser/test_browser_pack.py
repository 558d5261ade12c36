"""The "Raadspakket (PDF)" button: a click downloads the page's council pack with the URL's filters;
when the charts cannot be rendered (no Chromium for the server) the page says so, without a traceback."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browserkit import open_page
from conftest import run_app
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACK_TIMEOUT = 180_000  # ms: the worker's first pack starts its Chromium, on a busy CI machine


def pdf_text(path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext not found (Debian package poppler-utils)")
    out = subprocess.run([tool, "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


def test_the_sdg_page_downloads_its_council_pack_with_the_filters_of_its_url(page, app_url, tmp_path):
    open_page(page, app_url, "/sdg/3?status=Bezig")
    button = page.get_by_role("button", name="Raadspakket (PDF)")
    with page.expect_download(timeout=PACK_TIMEOUT) as info:
        button.click()
        expect(page.locator(".pack-button")).to_be_disabled()  # busy while the server renders
    download = info.value
    assert download.suggested_filename == "Raadspakket_SDG03_2023KW1_status-Bezig.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(target)
    assert "Harelbeke verzekert een goede gezondheid en promoot welzijn voor alle leeftijden" in text
    assert "Departement: alle · Status: Bezig" in text
    assert "■ Niet gestart" not in text and "■ Bezig" in text  # only the filtered tasks are listed
    expect(page.locator(".pack-status")).to_contain_text("Raadspakket_SDG03_2023KW1_status-Bezig.pdf gemaakt")
    expect(page.locator(".pack-button")).to_be_enabled()


@pytest.fixture(scope="module")
def server_without_browser(store, tmp_path_factory):
    """A second app on the same store whose Kaleido is pointed at a browser that does not exist."""
    folder = tmp_path_factory.mktemp("server-without-browser")
    with run_app(store.url, folder, workers=1, timeout=120, BROWSER_PATH="/nonexistent/chromium") as running:
        yield running.url, running.log


def test_a_pack_that_cannot_be_rendered_gives_a_friendly_message_and_a_logged_reason(page, server_without_browser):
    base, log = server_without_browser
    open_page(page, base, "/pijler/peace")
    page.get_by_role("button", name="Raadspakket (PDF)").click()
    status = page.locator(".pack-status")
    expect(status).to_contain_text("Het raadspakket kon niet gemaakt worden", timeout=PACK_TIMEOUT)
    expect(status).to_contain_text("meld het aan de beheerder")
    assert "Traceback" not in page.content() and "nonexistent" not in status.inner_text()
    expect(page.locator(".pack-button")).to_be_enabled()
    server_log = log.read_text(errors="replace")
    assert "council pack failed" in server_log and "/nonexistent/chromium" in server_log
