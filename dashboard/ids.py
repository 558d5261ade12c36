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
SHELL = "shell"
PRESENTATION_TOGGLE = "presentation-toggle"
PRESENTATION_FILTERS = "presentation-filters"
PRESENTATION_SEQUENCE = "presentation-sequence"

# Pattern-matching types
GRAPH = "chart"  # {"type": GRAPH, "index": name}; clicking a point navigates to its customdata
IMAGE_PNG = "chart-png"
IMAGE_SVG = "chart-svg"
TABLE_CSV = "table-csv"  # {"type": TABLE_CSV, "index": table name}
TABLE_XLSX = "table-xlsx"
TASK_GRID = "task-grid"  # {"type": TASK_GRID, "index": name}


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
