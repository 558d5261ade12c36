"""Sign-in, roles, CSRF, throttling, security headers, bestuur isolation and escaping, against the
real app under gunicorn with sign-in ON and a store holding two besturen.

The store: the seed (harelbeke) plus "zwevegem", made from the seed's own export with every task
name, toelichting and amount changed, so any of harelbeke's text showing for a zwevegem user (or the
other way round) is detectable. Zwevegem's data also carries script and img-onerror payloads.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import conftest as browser_conftest
import pandas as pd
import pytest
from axe_playwright_python.sync_playwright import Axe
from browserkit import wait_for_charts
from playwright.sync_api import expect

from dashboard import queries
from dashboard.client import AppClient, router_payload
from dashboard.queries import Filters
from dashboard.store import data_version, get_engine

pytestmark = pytest.mark.browser

H, Z = "harelbeke", "zwevegem"
PASSWORD = "een-lang-wachtwoord-42"
SECRET_MARK = "ZWEVEGEM-INTERN"
H_TASK = "Brugfiguurwerking"  # a harelbeke task name (SDG 1) that zwevegem's copy renames
XSS_TEXT = 'Zie <script>window.__xss="toelichting"</script> en <img src=x onerror="window.__xss=\'img\'"> bijlage.'
XSS_TASK = "Kinderopvang <img src=x onerror=\"window.__xss='taak'\">"
XSS_AP = "Opvang <script>window.__xss='actieplan'</script>"
USERS = {
    "beheer-h": ("beheerder", [H]),
    "lezer-h": ("lezer", [H]),
    "lezer-z": ("lezer", [Z]),
    "regio": ("lezer", ["*"]),
    "gast": ("lezer", [H]),  # only for the throttling test, which locks it out for a minute
}


def _zwevegem_files(seed_export: Path, out: Path) -> None:
    """The seed's export turned into another bestuur: other names, texts, amounts and payloads."""
    out.mkdir()
    for name in ("besturen", "sdgs", "taken", "budget", "departementen"):
        frame = pd.read_csv(seed_export / f"{name}.csv", dtype=str, keep_default_na=False)
        frame["bestuur"] = Z
        if name == "besturen":
            frame["naam"] = "Gemeente Zwevegem"
        if name == "taken":
            frame["taak"] = "ZW " + frame["taak"]
            frame["toelichting"] = SECRET_MARK + " " + frame["toelichting"]
            first_sdg3 = frame.index[frame["sdg"] == "3"][0]
            frame.loc[first_sdg3, "toelichting"] = XSS_TEXT
            frame.loc[first_sdg3, "taak"] = XSS_TASK
            frame.loc[frame["actieplan"] == "D03/AP01", "actieplan_label"] = XSS_AP
        if name == "budget":
            for column in ("uitgaven_totaal", "uitgaven_besteld", "ontvangsten_totaal", "ontvangsten_ontvangen"):
                frame[column] = (pd.to_numeric(frame[column]) * 3 + 1).round(2).map("{:.2f}".format)
        frame.to_csv(out / f"{name}.csv", index=False)


@pytest.fixture(scope="module")
def two_besturen(tmp_path_factory) -> browser_conftest.Store:
    """Seed (harelbeke) + zwevegem, and the accounts of USERS, all made through the CLI."""
    folder = tmp_path_factory.mktemp("auth-store")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    browser_conftest.run_cli(["build"], url)
    browser_conftest.run_cli(["export", "--format", "csv", str(folder / "export")], url)
    _zwevegem_files(folder / "export", folder / "zwevegem")
    browser_conftest.run_cli(["import", *map(str, sorted((folder / "zwevegem").glob("*.csv")))], url)
    for name, (role, grants) in USERS.items():
        args = ["user", "add", name, "--role", role, "--password-stdin"]
        browser_conftest.run_cli([*args, *(x for g in grants for x in ("--bestuur", g))], url, stdin=PASSWORD + "\n")
    engine = get_engine(url)
    assert sorted(queries.list_organisations(engine)["id"]) == [H, Z]
    yield browser_conftest.Store(url, engine, H, "2023KW1")
    engine.dispose()


@pytest.fixture(scope="module")
def store(two_besturen):
    return two_besturen


@pytest.fixture(scope="module")
def server(two_besturen, tmp_path_factory):
    """The app with sign-in on (the default), a fixed secret and a strict login limit."""
    with browser_conftest.run_app(
        two_besturen.url,
        tmp_path_factory.mktemp("auth-server"),
        DASHBOARD_AUTH="on",
        DASHBOARD_SECRET_KEY="test-secret-" + "x" * 40,
        DASHBOARD_LOGIN_ATTEMPTS="5",
    ) as running:
        yield running


@pytest.fixture(scope="module")
def base(server) -> str:
    return server.url


def signed_in(base: str, user: str) -> AppClient:
    client = AppClient(base)
    response = client.sign_in(user, PASSWORD)
    assert response.status == 200, response.status
    assert client.cookie("beleidsmonitor_sessie"), "no session cookie after signing in"
    return client


def sign_in_page(page, base: str, user: str) -> None:
    """Sign in through the form in the browser."""
    page.goto(base + "/aanmelden")
    page.fill("#gebruikersnaam", user)
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")


def page_text(client: AppClient, path: str, search: str = "") -> str:
    response = client.page(path, search)
    assert response.status == 200, (response.status, response.text[:300])
    return response.text


# -- refused without signing in ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/sdg/3", "/sdg/3/ap/02", "/zoeken?q=kinderopvang", "/beheer/import"])
def test_pages_redirect_to_sign_in_without_a_session(base, path):
    response = AppClient(base, follow_redirects=False).get(path)
    assert response.status == 302
    assert response.headers["Location"].startswith("/aanmelden")
    assert "volgende=" in response.headers["Location"] or path == "/"


@pytest.mark.parametrize("path", ["/_dash-layout", "/_dash-dependencies", "/bestuur/harelbeke"])
def test_dash_internals_are_refused_without_a_session(base, path):
    response = AppClient(base, follow_redirects=False).get(path)
    assert response.status in (302, 401), response.status
    assert "harelbeke" not in response.text.lower() or response.status == 302


def test_callbacks_exports_and_uploads_are_refused_without_a_session(base):
    client = AppClient(base, follow_redirects=False)
    page = client.dash_update(router_payload("/sdg/3"), csrf=False)
    assert page.status == 401 and SECRET_MARK not in page.text and "7.035.739" not in page.text
    upload = client.dash_update(
        {
            "output": "import-result.children",
            "outputs": {"id": "import-result", "property": "children"},
            "inputs": [{"id": "import-upload", "property": "contents", "value": ["data:text/csv;base64,YQ=="]}],
            "changedPropIds": ["import-upload.contents"],
            "state": [
                {"id": "import-upload", "property": "filename", "value": ["taken.csv"]},
                {"id": "import-quarter", "property": "value", "value": None},
            ],
        },
        csrf=False,
    )
    assert upload.status == 401
    pack = client.dash_update(_pack_payload("sdg:3"), csrf=False)
    assert pack.status == 401


def test_health_answers_without_a_session_but_names_no_figures(base):
    response = AppClient(base).get("/health")
    assert response.status == 200
    assert set(response.json()) == {"status", "data_version", "quarters"}


# -- signing in ------------------------------------------------------------------------------


def test_a_wrong_password_is_refused_with_one_message_for_unknown_users_too(base):
    for user in ("lezer-h", "niemand"):
        response = AppClient(base).sign_in(user, "fout-wachtwoord-123")
        assert response.status == 401
        assert "Gebruikersnaam of wachtwoord klopt niet." in response.text


def test_sign_in_goes_back_to_the_page_asked_for(base):
    first = AppClient(base, follow_redirects=False).get("/sdg/3?kwartaal=2023KW1")
    assert first.status == 302
    assert first.headers["Location"] == "/aanmelden?volgende=%2Fsdg%2F3%3Fkwartaal%3D2023KW1"
    response = AppClient(base, follow_redirects=False).sign_in("lezer-h", PASSWORD, "/sdg/3?kwartaal=2023KW1")
    assert response.status == 302 and response.headers["Location"] == "/sdg/3?kwartaal=2023KW1"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_sign_in_never_redirects_to_another_site(base, target):
    response = AppClient(base, follow_redirects=False).sign_in("lezer-h", PASSWORD, target)
    assert response.status == 302 and response.headers["Location"] == "/"


def test_sign_in_without_the_csrf_token_is_refused(base):
    client = AppClient(base)
    client.get("/aanmelden")
    response = client.post_form("/aanmelden", {"gebruikersnaam": "lezer-h", "wachtwoord": PASSWORD})
    assert response.status == 400 and "verlopen" in response.text
    assert client.page("/").status == 401  # and no session came of it


def test_repeated_wrong_passwords_are_throttled(base):
    """5 failures per minute per address and username, counted in the store: both workers agree."""
    client = AppClient(base)
    statuses = [client.sign_in("gast", "fout-wachtwoord-123").status for _ in range(7)]
    assert statuses == [401] * 5 + [429] * 2, statuses
    throttled = client.sign_in("gast", PASSWORD)  # even the right password waits out the minute
    assert throttled.status == 429 and "Te veel mislukte pogingen" in throttled.text
    assert AppClient(base).sign_in("lezer-z", PASSWORD).status == 200  # other users are not locked out


def test_callbacks_need_the_csrf_header_even_when_signed_in(base):
    client = signed_in(base, "lezer-h")
    assert client.dash_update(router_payload("/"), csrf=False).status == 400
    assert client.dash_update(router_payload("/")).status == 200


def test_sign_out_ends_the_session(base):
    client = signed_in(base, "lezer-h")
    assert client.page("/").status == 200
    token = client.get("/").text  # the shell carries the form's token; the cookie holds the same value
    assert token
    out = client.post_form("/afmelden", {"csrf_token": client.cookie("_csrf_token")})
    assert out.status == 200 and "Aanmelden" in out.text
    assert client.page("/").status == 401


def test_security_headers_on_pages(base):
    response = signed_in(base, "lezer-h").get("/sdg/3")
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert (
        "frame-ancestors 'none'" in csp
        and "script-src 'self'" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    session_cookie = [v for k, v in response.headers.items() if k.lower() == "set-cookie"]
    assert all("HttpOnly" in c for c in session_cookie if c.startswith("beleidsmonitor_sessie"))


# -- roles -----------------------------------------------------------------------------------


def _pack_payload(scope: str, search: str = "") -> dict:
    """The request the "Raadspakket (PDF)" button of ``scope`` sends."""
    button, download, status = ({"index": scope, "type": t} for t in ("pack-button", "pack-download", "pack-status"))
    # The callback is registered on MATCH ids; the request names the concrete ones.
    key = "..{}.data...{}.children..".format(
        *(json.dumps({"index": ["MATCH"], "type": t}, separators=(",", ":")) for t in ("pack-download", "pack-status"))
    )
    return {
        "output": key,
        "outputs": [{"id": download, "property": "data"}, {"id": status, "property": "children"}],
        "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
        "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"],
        "state": [{"id": "url", "property": "search", "value": search}],
    }


def _upload_payload(files: dict[str, bytes], quarter=None) -> dict:
    import base64

    return {
        "output": "import-result.children",
        "outputs": {"id": "import-result", "property": "children"},
        "inputs": [
            {
                "id": "import-upload",
                "property": "contents",
                "value": ["data:text/csv;base64," + base64.b64encode(b).decode() for b in files.values()],
            }
        ],
        "changedPropIds": ["import-upload.contents"],
        "state": [
            {"id": "import-upload", "property": "filename", "value": list(files)},
            {"id": "import-quarter", "property": "value", "value": quarter},
        ],
    }


def _examples() -> dict[str, bytes]:
    folder = browser_conftest.PROJECT_ROOT / "examples"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("2023KW2_*.csv"))}


def test_a_lezer_cannot_import_through_the_page_or_the_callback(base, two_besturen):
    client = signed_in(base, "lezer-h")
    assert "Alleen een beheerder kan een kwartaal importeren" in page_text(client, "/beheer/import")
    before = data_version(two_besturen.engine)
    response = client.dash_update(_upload_payload(_examples()))
    assert response.status == 200 and "Alleen een beheerder kan een kwartaal importeren" in response.text
    assert data_version(two_besturen.engine) == before
    assert queries.list_quarters(two_besturen.engine, H) == ["2023KW1"]


def test_a_beheerder_cannot_import_for_a_bestuur_not_granted(base, two_besturen):
    client = signed_in(base, "beheer-h")
    taken = _examples()["2023KW2_taken.csv"].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(taken), delimiter=";" if ";" in taken.splitlines()[0] else ","))
    delimiter = ";" if ";" in taken.splitlines()[0] else ","
    rows[0].insert(0, "bestuur")
    for row in rows[1:]:
        row.insert(0, Z)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    before = data_version(two_besturen.engine)
    response = client.dash_update(_upload_payload({"taken.csv": out.getvalue().encode()}))
    assert response.status == 200
    assert "Import geweigerd" in response.text and "geen rechten om voor dit bestuur te importeren" in response.text
    assert data_version(two_besturen.engine) == before


# -- besturen --------------------------------------------------------------------------------


def test_a_user_sees_only_the_granted_bestuur_on_every_page(base, two_besturen):
    z = signed_in(base, "lezer-z")
    h = signed_in(base, "lezer-h")
    pages = [
        "/",
        "/pijler/people",
        "/sdg/1",
        "/sdg/1/ap/01",
        "/sdg/1/ap/01/taak/02-1",
        "/aandachtspunten",
        "/wijzigingen",
    ]
    for path in pages:
        z_text, h_text = page_text(z, path), page_text(h, path)
        assert H_TASK not in z_text.replace("ZW " + H_TASK, ""), path
        assert SECRET_MARK not in h_text and "ZW " + H_TASK not in h_text, path
    assert "ZW " + H_TASK in page_text(z, "/sdg/1/ap/01")
    assert H_TASK in page_text(h, "/sdg/1/ap/01")


def test_search_finds_only_the_granted_bestuur(base):
    z = signed_in(base, "lezer-z")
    h = signed_in(base, "lezer-h")
    z_hits = page_text(z, "/zoeken", "?q=brugfiguurwerking")
    h_hits = page_text(h, "/zoeken", "?q=brugfiguurwerking")
    # Highlighting splits the name: "ZW " + <mark>Brugfiguurwerking</mark>.
    assert '"ZW "' in z_hits and "Brugfiguurwerking" in z_hits
    assert '"ZW "' not in h_hits and SECRET_MARK not in h_hits and "Brugfiguurwerking" in h_hits
    assert "ZW " not in page_text(h, "/zoeken", "?q=zw")


def test_another_bestuur_cannot_be_chosen_and_the_selector_appears_only_with_two(base):
    z = signed_in(base, "lezer-z")
    refused = z.get("/bestuur/harelbeke")
    assert refused.status == 403 and "geen toegang" in refused.text.lower()
    assert SECRET_MARK in page_text(z, "/sdg/1/ap/01")  # still on its own bestuur
    assert "org-menu" not in z.get("/_dash-layout").text
    regio = signed_in(base, "regio")
    layout = regio.get("/_dash-layout").text
    assert "org-menu" in layout and "Gemeente Zwevegem" in layout and "Stad Harelbeke" in layout
    assert H_TASK in page_text(regio, "/sdg/1/ap/01") and SECRET_MARK not in page_text(regio, "/sdg/1/ap/01")
    assert regio.get("/bestuur/zwevegem").status == 200
    assert SECRET_MARK in page_text(regio, "/sdg/1/ap/01")


def test_downloads_hold_only_the_granted_bestuur(browser, base, two_besturen, tmp_path):
    context = browser.new_context(accept_downloads=True, locale="nl-BE", viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    try:
        sign_in_page(page, base, "lezer-z")
        page.goto(base + "/sdg/3")
        wait_for_charts(page)
        with page.expect_download() as info:
            page.locator("button", has_text="CSV").first.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
        total = next(r for r in rows if r and r[0] == "Totaal")
        expected_z = queries.budget_totals(two_besturen.engine, Filters(Z, "2023KW1"), "sdg", sdg=3)
        expected_h = queries.budget_totals(two_besturen.engine, Filters(H, "2023KW1"), "sdg", sdg=3)
        z_total, h_total = expected_z["uitgaven_totaal"].iloc[0], expected_h["uitgaven_totaal"].iloc[0]
        assert abs(z_total - h_total) > 1000
        header = rows[0]
        shown = float(total[header.index("Totaal")].replace(",", "."))  # the CSV's decimal comma
        assert shown == pytest.approx(z_total, abs=0.005), (total, z_total)
    finally:
        context.close()


# -- escaping --------------------------------------------------------------------------------


def test_script_and_onerror_in_the_data_render_as_text(browser, base, tmp_path):
    context = browser.new_context(locale="nl-BE", viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        sign_in_page(page, base, "lezer-z")
        for path in ("/sdg/3/ap/01", "/zoeken?q=bijlage", "/sdg/3"):
            page.goto(base + path)
            wait_for_charts(page)
            page.wait_for_timeout(500)
            assert page.evaluate("window.__xss") is None, path
        page.goto(base + "/sdg/3/ap/01")
        wait_for_charts(page)
        expect(page.get_by_text('window.__xss="toelichting"', exact=False).first).to_be_visible()
        expect(page.get_by_text("Kinderopvang <img", exact=False).first).to_be_visible()
        # Chart hover: the action plan's label with a script tag is shown as text in the bar's hover.
        page.goto(base + "/sdg/3")
        wait_for_charts(page)
        bar = page.locator(".js-plotly-plot .bars path").first
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(page.locator(".hoverlayer .hovertext").first).to_be_visible()
        assert page.evaluate("window.__xss") is None
        assert not dialogs
    finally:
        context.close()


def test_sign_in_in_the_browser_shows_the_account_and_signs_out(page, base):
    page.goto(base + "/sdg/3")
    expect(page).to_have_url(base + "/aanmelden?volgende=%2Fsdg%2F3")
    page.fill("#gebruikersnaam", "beheer-h")
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")
    wait_for_charts(page)
    assert page.url == base + "/sdg/3"
    expect(page.locator("#account-bar")).to_contain_text("Aangemeld als beheer-h")
    expect(page.locator("#account-bar")).to_contain_text("Kwartaal importeren")
    expect(page.locator("#auth-off-banner")).to_have_count(0)
    page.get_by_role("button", name="Afmelden").click()
    expect(page.locator("#gebruikersnaam")).to_be_visible()
    page.goto(base + "/sdg/3")
    expect(page.locator("#gebruikersnaam")).to_be_visible()


# -- behind a trusted reverse proxy ----------------------------------------------------------


@pytest.fixture(scope="module")
def proxy_base(two_besturen, tmp_path_factory):
    """The same store behind a (pretend) reverse proxy that names the user in X-Forwarded-User."""
    with browser_conftest.run_app(
        two_besturen.url, tmp_path_factory.mktemp("proxy-server"), workers=1, DASHBOARD_AUTH="proxy"
    ) as running:
        yield running.url


def _as(base: str, user: str | None) -> AppClient:
    client = AppClient(base, follow_redirects=False)
    if user is not None:
        original = client.request

        def with_header(method, path, data=None, headers=None):
            return original(method, path, data, {**(headers or {}), "X-Forwarded-User": user})

        client.request = with_header
    return client


def test_behind_a_proxy_the_header_names_the_user_and_grants_still_apply(proxy_base):
    assert _as(proxy_base, None).get("/").status == 403
    assert _as(proxy_base, "onbekend").get("/sdg/3").status == 403
    z = _as(proxy_base, "lezer-z")
    assert z.get("/").status == 200
    text = page_text(z, "/sdg/1/ap/01")
    assert SECRET_MARK in text and "ZW " + H_TASK in text
    assert "Alleen een beheerder" in page_text(z, "/beheer/import")
    assert _as(proxy_base, "lezer-z").dash_update(router_payload("/"), csrf=False).status in (400, 403)


def test_the_signed_in_shell_with_the_bestuur_menu_has_no_serious_axe_violations(browser, base):
    """The account strip and bestuur menu exist only when signed in (the axe suite runs with sign-in off)."""
    context = browser.new_context(locale="nl-BE", viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    try:
        sign_in_page(page, base, "regio")
        wait_for_charts(page)
        page.locator("#org-menu summary").click()
        expect(page.locator("#org-menu a", has_text="Gemeente Zwevegem")).to_be_visible()
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
        options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
        violations = Axe().run(page, options=options).response["violations"]
        blocking = [
            (v["id"], v["impact"], [n["html"][:160] for n in v["nodes"]])
            for v in violations
            if v["impact"] in ("critical", "serious")
        ]
        assert blocking == [], blocking
    finally:
        context.close()


def test_the_council_pack_holds_only_the_granted_bestuur(base, two_besturen, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found (Debian package poppler-utils)")
    response = signed_in(base, "lezer-z").dash_update(_pack_payload("sdg:3"))
    assert response.status == 200, response.text[:300]
    data = next(iter(response.json()["response"].values()))["data"]
    pdf = tmp_path / data["filename"]
    pdf.write_bytes(base64.b64decode(data["content"]))
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    z_total = queries.budget_totals(two_besturen.engine, Filters(Z, "2023KW1"), "sdg", sdg=3)["uitgaven_totaal"].iloc[0]
    assert "Gemeente Zwevegem" in text and SECRET_MARK in text
    assert f"{round(z_total):,}".replace(",", ".") + " €" in text
    assert "Stad Harelbeke" not in text and "7.035.739 €" not in text  # harelbeke's SDG 3 uitgaven
