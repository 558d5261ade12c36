"""The 'Verloop over de kwartalen' section at the end of the pillar, SDG and action-plan pages: status
mix and % besteld per quarter. Shown only when the store holds more than one quarter for the bestuur."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card
from dashboard import chart_text, figures, services
from dashboard.pages.common import Context


def trend_section(
    ctx: Context,
    name: str,
    label: str,
    *,
    pillar: str | None = None,
    sdg: int | None = None,
    action_plan: str | None = None,
) -> html.Section | None:
    """Two charts over all quarters of one scope (``name`` makes chart ids and file names unique,
    ``label`` titles them, e.g. 'SDG 3'); None while there is only one quarter."""
    if len(ctx.view.quarters) <= 1:
        return None
    f = ctx.filters
    frame = services.trends(f.org, f.departments, f.statuses, pillar=pillar, sdg=sdg, action_plan=action_plan)
    caption = figures.period_caption(
        ctx.org_name, list(frame["quarter"]), f.departments, f.statuses, ctx.view.synthetic_quarters
    )
    period = f"{frame['quarter'].iloc[0]}-{frame['quarter'].iloc[-1]}"
    return html.Section(
        [
            html.H2("Verloop over de kwartalen", className="h5"),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card(
                            f"{name}-trend-status",
                            figures.status_trend(
                                frame, title=f"{label}: taken per status per kwartaal", caption=caption
                            ),
                            filename=f"{name}_verloop_status_{period}",
                            description=chart_text.describe_status_trend(frame),
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        chart_card(
                            f"{name}-trend-besteld",
                            figures.realisation_trend(
                                frame, title=f"{label}: % besteld en ontvangen per kwartaal", caption=caption
                            ),
                            filename=f"{name}_verloop_besteld_{period}",
                            description=chart_text.describe_realisation_trend(frame),
                        ),
                        lg=6,
                    ),
                ],
                className="g-3",
            ),
        ],
        id="verloop",
        className="trend-section presenter-hide mb-3",
    )
