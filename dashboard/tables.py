"""The tables the pages show, as DataFrames with Dutch headers: one source for screen and download."""

from __future__ import annotations

import io

import pandas as pd

from . import urls

BUDGET_HEADERS = {
    "uitgaven": ["Beleidsdoelstelling", "Label", "Totaal", "Besteld", "Besteld %", "Resterend", "# Taken"],
    "ontvangsten": ["Beleidsdoelstelling", "Label", "Totaal", "Ontvangen", "Ontvangen %", "Resterend", "# Taken"],
}
TASK_HEADERS = ["Actieplan", "Actie", "Taak", "Status", "Departement", "Toelichting"]


def budget_table(rows: pd.DataFrame, kind: str, goal_name: str) -> pd.DataFrame:
    """The report's UITGAVEN or ONTVANGSTEN table with a Totaal row.

    ``rows`` is :func:`queries.action_plan_overview`. Where the source keeps budget at policy-goal
    level, that line is shown and action plans without a budget line of their own are left out
    (their tasks count in the goal line), so no split is invented. Percentages follow the
    zero-total rule (NaN).
    """
    headers = BUDGET_HEADERS[kind]
    total, realised, rest, share = (
        ("uitgaven_totaal", "uitgaven_besteld", "uitgaven_resterend", "besteld_pct")
        if kind == "uitgaven"
        else ("ontvangsten_totaal", "ontvangsten_ontvangen", "ontvangsten_resterend", "ontvangen_pct")
    )
    goal_level = rows["level"] == "beleidsdoelstelling"
    shown = rows[rows["has_budget"] | ~goal_level.any()]
    body = pd.DataFrame(
        {
            headers[0]: goal_name,
            headers[1]: [
                label if level == "beleidsdoelstelling" else f"{key[-4:]} {label}"
                for key, label, level in zip(shown["key"], shown["label"], shown["level"])
            ],
            headers[2]: shown[total].round(2),
            headers[3]: shown[realised].round(2),
            headers[4]: shown[share].round(0),
            headers[5]: shown[rest].round(2),
            headers[6]: shown["tasks"].astype(int),
            "_key": shown["key"],
            "_level": shown["level"],
        }
    )
    t, r = float(body[headers[2]].sum()), float(body[headers[3]].sum())
    total_row = {
        headers[0]: "Totaal",
        headers[1]: "",
        headers[2]: round(t, 2),
        headers[3]: round(r, 2),
        headers[4]: round(100 * r / t) if t > 0 else float("nan"),
        headers[5]: round(t - r, 2),
        headers[6]: int(rows.loc[~goal_level, "tasks"].sum()),
        "_key": "",
        "_level": "totaal",
    }
    return pd.concat([body, pd.DataFrame([total_row])], ignore_index=True)


def task_table(rows: pd.DataFrame, search: str = "") -> pd.DataFrame:
    """Tasks as the report lists them (Actie, Taak, Status, Toelichting), with links for the grid."""
    return pd.DataFrame(
        {
            "Actieplan": [f"{ap[-4:]} {label}" for ap, label in zip(rows["action_plan"], rows["ap_label"])],
            "Actie": [f"{a[-2:]} {t}" for a, t in zip(rows["action"], rows["action_text"])],
            "Taak": [f"{c}| {n}" if isinstance(c, str) and c else n for c, n in zip(rows["code"], rows["name"])],
            "Status": rows["status"],
            "Departement": rows["department"],
            "Toelichting": rows["toelichting"],
            "_link": [urls.task(t) + search for t in rows["task_id"]],
            "_task_id": rows["task_id"],
        }
    )


def keep_text_as_text(worksheet) -> None:
    """Store strings that start with '=' as text: openpyxl would write them as formulas, so a
    toelichting like '=…' would be lost (or evaluated) in Excel."""
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def to_download(frame: pd.DataFrame, fmt: str, sheet: str) -> bytes:
    """The visible columns of a table as CSV (';', UTF-8 with BOM, as Excel in Belgium expects) or XLSX."""
    visible = frame[[c for c in frame.columns if not str(c).startswith("_")]]
    if fmt == "csv":
        return visible.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n").encode("utf-8-sig")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        visible.to_excel(writer, sheet_name=sheet[:31], index=False)
        sheet_obj = writer.sheets[sheet[:31]]
        keep_text_as_text(sheet_obj)
        for column_cells in sheet_obj.columns:
            header = str(column_cells[0].value or "")
            width = (
                80
                if header == "Toelichting"
                else min(60, max(10, len(header) + 2, *(len(str(c.value or "")) + 2 for c in column_cells[:50])))
            )
            sheet_obj.column_dimensions[column_cells[0].column_letter].width = width
            if header in ("Totaal", "Besteld", "Ontvangen", "Resterend"):
                for cell in column_cells[1:]:
                    cell.number_format = '#,##0 "€"'
    return buffer.getvalue()
