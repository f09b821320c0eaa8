"""The login in front of the chat app (FastAPI routes around the mounted Gradio app).

A Swedish login page; a session cookie that logging out ends in every tab and that expires
after the idle time in the settings; failed logins throttled per user name and address and
written to the audit log. Gradio asks ``Login.user_for`` who each request is: a live
session's user, ``SIGNED_OUT`` for an event from a tab whose session has ended (the handlers
then answer with ``SIGNED_OUT_MESSAGE``), or None (refused: 401, or the login page).

The client address is the connection's: behind a reverse proxy, give uvicorn
``--proxy-headers`` (forwarded_allow_ips) so it is the browser's and not the proxy's.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from html import escape

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.web.sessions import Clock, LoginThrottle, SessionState, SessionStore
from assistant.audit import LOGIN_FAILED, LOGIN_THROTTLED, AuditLog
from kbcore.settings import Settings
from kbcore.users import UserStore

SESSION_COOKIE = "plattformsassistenten-session"
SIGNED_OUT = "\x00utloggad"
"""The user name the handlers get for an ended session; no stored user can have it."""
SIGNED_OUT_MESSAGE = (
    "Du är utloggad: sessionen har avslutats (utloggning i en annan flik, eller för lång tid "
    "utan aktivitet). [Logga in igen](/login)"
)
# Gradio's routes that run handlers: there an ended session gets SIGNED_OUT, elsewhere 401.
_HANDLER_PATHS = ("/gradio_api/queue/", "/gradio_api/call/", "/gradio_api/run/", "/gradio_api/api/")

_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Logga in – Plattformsassistenten</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{font-family: system-ui, sans-serif; background: #f4f7fa; margin: 0;}}
main {{max-width: 360px; margin: 12vh auto; background: white; border: 1px solid #c9d3dd;
  border-radius: 10px; padding: 24px 28px;}}
label {{display: block; margin-top: 12px; font-weight: 600;}}
input {{width: 100%; box-sizing: border-box; padding: 8px; margin-top: 4px; font-size: 1rem;}}
button {{margin-top: 18px; width: 100%; padding: 10px; font-size: 1rem; background: #3b7dd8;
  color: white; border: 0; border-radius: 6px;}}
.meddelande {{background: #fff8e5; border: 1px solid #e0b84c; border-radius: 6px; padding: 8px;}}
</style></head>
<body><main>
<h1>Plattformsassistenten</h1>
{message}
<form method="post" action="/login">
<label for="username">Användarnamn</label>
<input id="username" name="username" type="text" autocomplete="username" value="{user}" autofocus>
<label for="password">Lösenord</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Logga in</button>
</form>
</main></body></html>
"""

NOTICES = {
    "utloggad": "Du är utloggad.",
    "avslutad": "Din session har avslutats. Logga in igen.",
}


@dataclass(frozen=True)
class Attempt:
    """The outcome of one login attempt: a session token, or a Swedish refusal and its HTTP
    status (401 wrong name or password, 429 too many failures)."""

    token: str | None
    message: str = ""
    status: int = 200


class Login:
    """Sessions, throttle and audit for the app's users (``settings.users_file``)."""

    def __init__(self, settings: Settings, users: UserStore, audit: AuditLog, clock: Clock = time.monotonic):
        self.users = users
        self.audit = audit
        self.sessions = SessionStore(settings.session_idle_minutes * 60, clock)
        self.throttle = LoginThrottle(settings.login_free_failures, settings.login_wait_seconds, clock)

    def _fingerprint(self, name: str) -> str | None:
        user = self.users.get(name)
        return user.password_hash if user else None

    def state(self, request: Request) -> tuple[SessionState, str | None]:
        return self.sessions.check(request.cookies.get(SESSION_COOKIE), self._fingerprint)

    def user_for(self, request: Request) -> str | None:
        """Gradio's auth dependency: who sends ``request`` (see the module docstring)."""
        state, user = self.state(request)
        if state is SessionState.LIVE:
            return user
        if state is SessionState.ENDED and request.url.path.startswith(_HANDLER_PATHS):
            return SIGNED_OUT
        return None

    def attempt(self, name: str, password: str, address: str) -> Attempt:
        """Check a login unless the name or address must wait; failures are audited."""
        name = name.strip()
        wait = self.throttle.wait(name, address)
        if wait > 0:
            self.audit.record_login(LOGIN_THROTTLED, name, address)
            return Attempt(
                None,
                f"För många misslyckade inloggningar. Försök igen om {math.ceil(wait)} sekunder.",
                429,
            )
        if self.users.authenticate(name, password):
            self.throttle.succeeded(name)
            return Attempt(self.sessions.open(name, self._fingerprint(name) or ""))
        self.throttle.failed(name, address)
        self.audit.record_login(LOGIN_FAILED, name, address)
        return Attempt(None, "Fel användarnamn eller lösenord.", 401)

    def add_routes(self, server: FastAPI) -> None:
        """/login (page and form; gradio_client's form post gets JSON), /logout, and the
        redirect of the app page to the login page when there is no live session. Call
        before mounting Gradio, so that these routes come first."""

        @server.middleware("http")
        async def page_needs_login(request: Request, call_next):
            if request.url.path == "/" and request.method in ("GET", "HEAD"):
                state, _ = self.state(request)
                if state is not SessionState.LIVE:
                    notice = "?meddelande=avslutad" if state is SessionState.ENDED else ""
                    return RedirectResponse(f"/login{notice}", status_code=303)
            return await call_next(request)

        @server.get("/login", response_class=HTMLResponse)
        def login_page(meddelande: str = "") -> HTMLResponse:
            return _page(NOTICES.get(meddelande, ""))

        @server.post("/login")
        def login(request: Request, username: str = Form(""), password: str = Form("")) -> Response:
            address = request.client.host if request.client else ""
            attempt = self.attempt(username, password, address)
            browser = "text/html" in request.headers.get("accept", "")
            if attempt.token is None:
                if browser:
                    return _page(attempt.message, username, attempt.status)
                return JSONResponse({"detail": attempt.message}, status_code=attempt.status)
            response: Response = (
                RedirectResponse("/", status_code=303) if browser else JSONResponse({"success": True})
            )
            response.set_cookie(SESSION_COOKIE, attempt.token, httponly=True, samesite="lax")
            return response

        @server.get("/logout")
        def logout(request: Request) -> Response:
            # The cookie stays: its token is dead here, and other tabs sending it are told so.
            self.sessions.end(request.cookies.get(SESSION_COOKIE))
            return RedirectResponse("/login?meddelande=utloggad", status_code=303)


def _page(message: str, user: str = "", status: int = 200) -> HTMLResponse:
    box = f'<p class="meddelande" role="alert">{escape(message)}</p>' if message else ""
    return HTMLResponse(_PAGE.format(message=box, user=escape(user)), status_code=status)
