"""A small HTTP client of a running Beleidsmonitor, as a browser would talk to it: cookies, sign-in
with the CSRF token, and Dash's page callback. Used by benchmarks, the load test and tests."""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def router_payload(path: str, search: str = "") -> dict:
    """The request Dash Pages sends when the URL changes: the page's main callback."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


@dataclass
class Response:
    """Status, headers, body and wall time (ms) of one request."""

    status: int
    headers: dict
    body: bytes
    wall_ms: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    @property
    def server_ms(self) -> float:
        """The app's own time, from its Server-Timing header (NaN when absent)."""
        timing = self.headers.get("Server-Timing", "app;dur=nan")
        return float(timing.split("dur=")[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class AppClient:
    """One browser-like session (its own cookie jar) against ``base`` (e.g. http://127.0.0.1:8050)."""

    def __init__(self, base: str, *, follow_redirects: bool = True):
        self.base = base.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies)]
        if not follow_redirects:
            handlers.append(_NoRedirect())
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, path: str, data: bytes | None = None, headers: dict | None = None) -> Response:
        """Send one request; HTTP errors are returned as responses, not raised."""
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as resp:
                body, status, hdrs = resp.read(), resp.status, dict(resp.headers)
        except urllib.error.HTTPError as exc:
            body, status, hdrs = exc.read(), exc.code, dict(exc.headers)
        return Response(status, hdrs, body, (time.perf_counter() - start) * 1000)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict) -> Response:
        return self.request(
            "POST",
            path,
            urllib.parse.urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def sign_in(self, username: str, password: str, next_path: str | None = None) -> Response:
        """Fill in the sign-in form as a browser does (the form carries the CSRF token);
        ``next_path`` is the page the sign-in page was sent to (its ``volgende`` parameter)."""
        path = "/aanmelden" + ("?" + urllib.parse.urlencode({"volgende": next_path}) if next_path else "")
        form = self.get(path)
        match = _CSRF_FIELD.search(form.text)
        token = match.group(1) if match else ""
        return self.post_form(path, {"csrf_token": token, "gebruikersnaam": username, "wachtwoord": password})

    def dash_update(self, payload: dict, *, csrf: bool = True) -> Response:
        """POST a Dash callback; like Dash's renderer, send the CSRF cookie back as X-CSRFToken."""
        headers = {"Content-Type": "application/json"}
        if csrf:
            if self.cookie("_csrf_token") is None:
                self.get("/")  # the app sets the cookie on a page load
            headers["X-CSRFToken"] = self.cookie("_csrf_token") or ""
        return self.request("POST", "/_dash-update-component", json.dumps(payload).encode(), headers)

    def page(self, path: str, search: str = "") -> Response:
        """The page's content as the Dash Pages router callback returns it."""
        return self.dash_update(router_payload(path, search))
