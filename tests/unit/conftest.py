"""Fixtures of the data-layer tests (see tests/conftest.py for the stores)."""

from __future__ import annotations

import json
import os

import pytest
from storekit import REFERENCE_PATH, REPORT_PATH, make_quarter, write_quarter_csv

from dashboard.importer import import_files


def _missing(reason: str) -> None:
    """Skip on a developer's machine without ../shared; in CI the report must be there."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def report_text() -> str:
    """The Power BI report as text (../shared/seeds/002_…txt)."""
    if not REPORT_PATH.exists():
        _missing(f"report text not found at {REPORT_PATH} (set BELEIDSMONITOR_SHARED_DIR)")
    return REPORT_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def reference() -> dict:
    """The 2023KW1 reference figures (../shared/tools/reference_2023KW1.json)."""
    if not REFERENCE_PATH.exists():
        _missing(f"reference figures not found at {REFERENCE_PATH} (set BELEIDSMONITOR_SHARED_DIR)")
    return json.loads(REFERENCE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def kw2():
    """A valid second quarter (2023KW2) for SDGs 1, 3, 4 and 16, with changed statuses and amounts."""
    return make_quarter()


@pytest.fixture
def store_with_kw2(fresh_store, kw2, tmp_path):
    """The seed store plus 2023KW2 (imported from plain CSV)."""
    import_files(fresh_store.engine, list(write_quarter_csv(kw2, tmp_path / "kw2")))
    return fresh_store
