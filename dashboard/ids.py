"""Every Dash component ID in one place (pattern-matching IDs as small factory functions)."""

from __future__ import annotations

# Shell
URL = "shell-url"
NAV = "shell-nav"
NAV_LINK = "shell-nav-link"  # pattern type: {"type": NAV_LINK, "index": path}
FILTER_QUARTER = "filter-quarter"
FILTER_DEPARTMENT = "filter-department"
FILTER_STATUS = "filter-status"
FILTER_RESET = "filter-reset"
DOWNLOAD = "shell-download"
PAGE_STATE = "shell-page-state"
SEARCH_INPUT = "shell-search-input"  # the top bar's search box
SEARCH_BUTTON = "shell-search-button"
SHELL = "shell"
PRESENTATION_TOGGLE = "presentation-toggle"
PRESENTATION_FILTERS = "presentation-filters"
PRESENTATION_SEQUENCE = "presentation-sequence"

# Changes page (/wijzigingen): the two quarters compared
CHANGES_FROM = "changes-from"
CHANGES_TO = "changes-to"
CHANGES_URL = "changes-url"  # the page's own dcc.Location, which the pickers write to

# Pattern-matching types
GRAPH = "chart"  # {"type": GRAPH, "index": name}; clicking a point navigates to its customdata
IMAGE_PNG = "chart-png"
IMAGE_SVG = "chart-svg"
TABLE_CSV = "table-csv"  # {"type": TABLE_CSV, "index": table name}
TABLE_XLSX = "table-xlsx"
TASK_GRID = "task-grid"  # {"type": TASK_GRID, "index": name}
PACK_BUTTON = "pack-button"  # {"type": PACK_BUTTON, "index": scope}, scope as dashboard.pack.Scope ("sdg:3")
PACK_STATUS = "pack-status"  # {"type": PACK_STATUS, "index": scope}: what happened to the last pack request
PACK_DOWNLOAD = "pack-download"  # {"type": PACK_DOWNLOAD, "index": scope}: the dcc.Download beside the button


# Account strip, sign-in state and the import (upload) page.
ACCOUNT_BAR = "account-bar"
AUTH_OFF_BANNER = "auth-off-banner"
ORG_MENU = "org-menu"
IMPORT_UPLOAD = "import-upload"
IMPORT_QUARTER = "import-quarter"
IMPORT_RESULT = "import-result"


def graph(name: str) -> dict:
    """The ID of a drillable chart."""
    return {"type": GRAPH, "index": name}


def image_button(kind: str, name: str) -> dict:
    """The ID of a chart's PNG or SVG download button."""
    return {"type": IMAGE_PNG if kind == "png" else IMAGE_SVG, "index": name}


def table_button(kind: str, name: str) -> dict:
    """The ID of a table's CSV or XLSX download button."""
    return {"type": TABLE_CSV if kind == "csv" else TABLE_XLSX, "index": name}


def task_grid(name: str) -> dict:
    """The ID of a task table (AG Grid)."""
    return {"type": TASK_GRID, "index": name}


def pack_button(scope: str) -> dict:
    """The ID of the council-pack (PDF) button of a scope ('plan', 'pillar:people', 'sdg:3')."""
    return {"type": PACK_BUTTON, "index": scope}


def pack_status(scope: str) -> dict:
    """The ID of the message beside a council-pack button."""
    return {"type": PACK_STATUS, "index": scope}


def pack_download(scope: str) -> dict:
    """The ID of the dcc.Download that delivers a scope's council pack."""
    return {"type": PACK_DOWNLOAD, "index": scope}
