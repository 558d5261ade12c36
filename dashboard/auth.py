"""Sign-in, roles and the web security of the app (sessions, CSRF, throttling, headers).

One gate decides for every request: static library code and assets (which hold no data), the
sign-in page and ``/health`` are open; everything else — pages, Dash's layout and callbacks, exports,
uploads — needs a signed-in account. The gate also resolves which bestuur the request shows
(``g.org``), from the account's grants and the user's choice, which is what keeps one bestuur's data
from another's users: every query takes its organisation from there.

Modes (``DASHBOARD_AUTH``): ``on`` (default; accounts in the store, signed session cookie),
``off`` (local demo or tests; everyone is a beheerder of every bestuur and a banner says so) and
``proxy`` (a trusted reverse proxy that authenticates users passes the name in a header).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from dash import Dash
from flask import g, jsonify, redirect, render_template_string, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from . import accounts, services
from .config import Settings
from .store import get_engine

log = logging.getLogger(__name__)

LOGIN_PATH = "/aanmelden"
LOGOUT_PATH = "/afmelden"
CHOOSE_ORG_PATH = "/bestuur/"
CSRF_COOKIE = "_csrf_token"  # the cookie Dash's renderer copies into the X-CSRFToken header
OPEN_PATHS = frozenset({LOGIN_PATH, "/health", "/_favicon.ico", "/favicon.ico"})
# Library code and our own CSS/JS: no data in them, and the sign-in page needs the styles.
OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/")
DEMO_ACCOUNT = accounts.Account("demo", "beheerder", (accounts.ALL_BESTUREN,))


class SignedInUser(UserMixin):
    """Flask-Login's view of an :class:`accounts.Account`."""

    def __init__(self, account: accounts.Account):
        self.account = account

    def get_id(self) -> str:
        return self.account.username


def _engine():
    return get_engine(services.settings().db_url)


def current_account() -> accounts.Account | None:
    """The account of this request (set by the gate), or None outside a gated request."""
    return g.get("account")


def visible_orgs() -> list[str]:
    """The besturen this request's account may see, in the store's order."""
    return list(g.get("visible_orgs", []))


def auth_mode() -> str:
    """'on', 'off' or 'proxy' (from DASHBOARD_AUTH)."""
    return services.settings().auth_mode


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in; anything else (other hosts, '//x') becomes '/'."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _resolve_account(settings: Settings) -> accounts.Account | None:
    if settings.auth_mode == "off":
        return DEMO_ACCOUNT
    if settings.auth_mode == "proxy":
        name = request.headers.get(settings.auth_header, "").strip()
        account = accounts.get_account(_engine(), name) if name else None
        return account if account is not None and account.active else None
    if current_user.is_authenticated:
        return current_user.account
    return None


def _choose_org(account: accounts.Account, default_org: str) -> tuple[list[str], str]:
    frame = services.organisations()
    visible = account.visible([str(o) for o in frame["id"]])
    chosen = session.get("bestuur")
    if chosen in visible:
        return visible, chosen
    if default_org in visible:
        return visible, default_org
    # "" matches no data: an account without any granted bestuur sees empty pages, never another's.
    return visible, visible[0] if visible else ""


LOGIN_TEMPLATE = """<!doctype html>
<html lang="nl-BE">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aanmelden · Beleidsmonitor</title>
<link rel="stylesheet" href="/assets/00-bootstrap-5.3.9.min.css">
<link rel="stylesheet" href="/assets/10-beleidsmonitor.css">
</head>
<body class="login-body">
<main class="login-card" id="main-content">
  <h1 class="h3">Beleidsmonitor</h1>
  <p class="text-muted">Meld u aan om het meerjarenplan te bekijken.</p>
  {% if message %}<div class="alert alert-{{ level }}" role="alert">{{ message }}</div>{% endif %}
  <form method="post" action="{{ action }}" novalidate>
    <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
    <div class="mb-3">
      <label for="gebruikersnaam" class="form-label">Gebruikersnaam</label>
      <input id="gebruikersnaam" name="gebruikersnaam" class="form-control" autocomplete="username"
             value="{{ username }}" required autofocus>
    </div>
    <div class="mb-3">
      <label for="wachtwoord" class="form-label">Wachtwoord</label>
      <input id="wachtwoord" name="wachtwoord" type="password" class="form-control"
             autocomplete="current-password" required>
    </div>
    <button type="submit" class="btn btn-primary w-100">Aanmelden</button>
  </form>
  <p class="small text-muted mt-3 mb-0">Nog geen account? Vraag het aan de beheerder van de Beleidsmonitor.</p>
</main>
</body>
</html>"""

MESSAGE_TEMPLATE = """<!doctype html>
<html lang="nl-BE"><head><meta charset="utf-8"><title>{{ title }} · Beleidsmonitor</title>
<link rel="stylesheet" href="/assets/00-bootstrap-5.3.9.min.css">
<link rel="stylesheet" href="/assets/10-beleidsmonitor.css"></head>
<body class="login-body"><main class="login-card" id="main-content"><h1 class="h3">{{ title }}</h1>
<p>{{ text }}</p><p><a href="/">Naar het overzicht</a></p></main></body></html>"""


def _login_page(message: str = "", level: str = "danger", username: str = "", status: int = 200):
    wanted = request.args.get("volgende")
    action = LOGIN_PATH + ("?" + urlencode({"volgende": wanted}) if wanted else "")
    html = render_template_string(LOGIN_TEMPLATE, message=message, level=level, username=username, action=action)
    return html, status


def _message_page(title: str, text: str, status: int):
    return render_template_string(MESSAGE_TEMPLATE, title=title, text=text), status


def content_security_policy(app: Dash) -> str:
    """The CSP header: only our own scripts (plus Dash's inline ones, by hash); no framing by other sites.

    Computed per HTML response, not once: Dash Pages registers its own inline script (the page
    title) at the first request, after the app is built.
    """
    policy = {
        "default-src": "'self'",
        "script-src": ["'self'", *app.csp_hashes()],
        # Plotly and AG Grid set inline styles on the elements they draw.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "worker-src": ["'self'", "blob:"],
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{k} {' '.join(v) if isinstance(v, list) else v}" for k, v in policy.items())


def init_app(app: Dash, settings: Settings) -> None:
    """Put the gate, sign-in pages, CSRF protection, throttling and security headers on ``app``.

    Call after every page and callback is registered.
    """
    server = app.server
    secret = settings.secret_key
    if not secret:
        # Fine for one process; several instances (or a restart) need the same DASHBOARD_SECRET_KEY.
        secret = secrets.token_hex(32)
        if settings.auth_mode != "off":
            log.warning("DASHBOARD_SECRET_KEY is not set: sessions end when the app restarts")
    lifetime = timedelta(hours=settings.session_hours)
    server.config.update(
        SECRET_KEY=secret,
        SESSION_COOKIE_NAME="beleidsmonitor_sessie",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=lifetime,
        WTF_CSRF_TIME_LIMIT=int(lifetime.total_seconds()),
        WTF_CSRF_SSL_STRICT=settings.secure_cookies,
        # Uploads arrive base64-encoded inside a Dash callback: 4/3 of the file size plus JSON.
        MAX_CONTENT_LENGTH=settings.upload_max_mb * 1024 * 1024 * 4 // 3 + 1024 * 1024,
    )
    Talisman(
        server,
        force_https=False,  # TLS ends at the reverse proxy; DASHBOARD_SECURE_COOKIES marks that
        strict_transport_security=settings.secure_cookies,
        session_cookie_secure=settings.secure_cookies,
        session_cookie_http_only=True,
        frame_options="DENY",
        content_security_policy=None,  # set below, per HTML response
        referrer_policy="same-origin",
        x_content_type_options=True,
    )
    login_manager = LoginManager(server)
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(username: str):
        account = accounts.get_account(_engine(), username)
        # A blocked or removed account loses its open sessions at once.
        return SignedInUser(account) if account is not None and account.active else None

    def _throttle_keys(username: str) -> dict[str, int]:
        # Per address and name (one person mistyping), and per name from anywhere (a spread-out guess).
        name = accounts.normalise_username(username)
        return {
            f"addr:{request.remote_addr}|{name}": settings.login_attempts,
            f"user:{name}": 4 * settings.login_attempts,
        }

    @server.before_request
    def _gate():
        path = request.path
        if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            return None
        account = _resolve_account(settings)
        if account is None:
            if settings.auth_mode == "proxy":
                return _message_page("Geen toegang", "Uw account heeft geen toegang tot de Beleidsmonitor.", 403)
            if request.method == "GET" and not path.startswith("/_"):
                wanted = request.full_path.rstrip("?")
                return redirect(LOGIN_PATH + ("?" + urlencode({"volgende": wanted}) if wanted != "/" else ""))
            return jsonify(error="Niet aangemeld"), 401
        g.account = account
        g.visible_orgs, g.org = _choose_org(account, settings.default_org)
        return None

    # After the gate, so a request without a session is refused as "not signed in" first.
    CSRFProtect(server)

    @server.after_request
    def _csp(response):
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = content_security_policy(app)
        return response

    @server.after_request
    def _csrf_cookie(response):
        # Dash's renderer sends this cookie's value back as X-CSRFToken on every callback.
        if g.get("account") is not None:
            response.set_cookie(
                CSRF_COOKIE, generate_csrf(), samesite="Strict", secure=settings.secure_cookies, httponly=False
            )
        return response

    @server.route(LOGIN_PATH, methods=["GET", "POST"])
    def login():
        if settings.auth_mode != "on":
            return redirect("/")
        if request.method == "GET":
            if current_user.is_authenticated:
                return redirect(safe_next(request.args.get("volgende")))
            return _login_page()
        username = request.form.get("gebruikersnaam", "")
        keys = _throttle_keys(username)
        window = settings.login_window_seconds
        # Only failures count, and they are kept in the store: every worker and instance sees them.
        if any(accounts.recent_failures(_engine(), key, window) >= limit for key, limit in keys.items()):
            log.warning("sign-in throttled for %r from %s", accounts.normalise_username(username), request.remote_addr)
            return _login_page("Te veel mislukte pogingen. Wacht een minuut en probeer dan opnieuw.", status=429)
        account = accounts.authenticate(_engine(), username, request.form.get("wachtwoord", ""))
        if account is None:
            accounts.record_failure(_engine(), list(keys))
            log.info("sign-in failed for %r from %s", accounts.normalise_username(username), request.remote_addr)
            return _login_page("Gebruikersnaam of wachtwoord klopt niet.", username=username, status=401)
        session.clear()  # a fresh session on sign-in: nothing from before carries over
        login_user(SignedInUser(account))
        session.permanent = True
        log.info("signed in: %s (%s)", account.username, account.role)
        return redirect(safe_next(request.args.get("volgende")))

    @server.post(LOGOUT_PATH)
    def logout():
        logout_user()
        session.clear()
        return redirect(LOGIN_PATH if settings.auth_mode == "on" else "/")

    @server.get(CHOOSE_ORG_PATH + "<org_id>")
    def choose_org(org_id: str):
        if org_id not in g.visible_orgs:
            return _message_page("Geen toegang", "U hebt geen toegang tot dit bestuur.", 403)
        session["bestuur"] = org_id
        return redirect("/")

    @server.errorhandler(CSRFError)
    def _csrf_failed(exc):
        log.info("CSRF check failed on %s: %s", request.path, exc.description)
        if request.path == LOGIN_PATH:
            return _login_page("Het formulier was verlopen. Probeer opnieuw.", status=400)
        if request.path.startswith("/_dash"):
            return jsonify(error="Beveiligingscontrole mislukt: herlaad de pagina."), 400
        return _message_page("Formulier verlopen", "Herlaad de pagina en probeer opnieuw.", 400)
