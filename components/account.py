"""The account strip above the navigation: who is signed in, the bestuur selector, sign-out, and
the banner that warns when sign-in is switched off."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids

AUTH_OFF_TEXT = (
    "Aanmelden staat uit (DASHBOARD_AUTH=off): iedereen die deze pagina bereikt, ziet alle besturen en kan "
    "importeren. Alleen voor een lokale demo of tests."
)


def auth_off_banner() -> html.Div:
    """The warning shown on every page while sign-in is off."""
    return html.Div(AUTH_OFF_TEXT, id=ids.AUTH_OFF_BANNER, className="auth-off-banner", role="alert")


def org_menu(orgs: list[tuple[str, str]], current: str) -> html.Details | None:
    """A bestuur selector, only when the user may see more than one bestuur.

    A native disclosure with plain links: keyboard- and screen-reader-friendly without ARIA widgets,
    and each link is a full page load, after which the server serves the chosen bestuur everywhere.
    """
    if len(orgs) < 2:
        return None
    current_name = next((name for org_id, name in orgs if org_id == current), current)
    items = [
        html.Li(
            html.A(
                name,
                href=f"/bestuur/{org_id}",
                className="org-menu-item" + (" active" if org_id == current else ""),
                **({"aria-current": "true"} if org_id == current else {}),
            )
        )
        for org_id, name in orgs
    ]
    return html.Details(
        [
            html.Summary(f"Bestuur: {current_name}", className="org-menu-toggle"),
            html.Ul(items, className="org-menu-list"),
        ],
        id=ids.ORG_MENU,
        className="org-menu",
    )


def account_bar(
    username: str | None,
    role: str | None,
    csrf_token: str,
    orgs: list[tuple[str, str]],
    current_org: str,
    can_import: bool,
) -> html.Div:
    """Bestuur selector (when more than one), import link for beheerders, and the signed-in user
    with a sign-out button (a form post carrying the CSRF token)."""
    right = []
    if can_import:
        right.append(html.A("Kwartaal importeren", href="/beheer/import", className="account-link"))
    if username:
        right.append(html.Span([f"Aangemeld als {username}", html.Span(f" · {role}", className="text-muted")]))
        right.append(
            html.Form(
                [
                    dcc.Input(type="hidden", name="csrf_token", value=csrf_token),
                    html.Button("Afmelden", type="submit", className="btn btn-link btn-sm account-link p-0"),
                ],
                method="post",
                action="/afmelden",
                className="d-inline",
            )
        )
    left = org_menu(orgs, current_org)
    if left is None and not right:
        return html.Div(id=ids.ACCOUNT_BAR, hidden=True)
    return html.Div(
        [html.Div(left), html.Div(right, className="account-right")],
        id=ids.ACCOUNT_BAR,
        className="account-bar",
        role="navigation",  # a landmark, so screen readers find (and skip) the account links
        **{"aria-label": "Account"},
    )
