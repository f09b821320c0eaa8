"""Login that holds, on the running app: logging out in one tab refuses the other tab's next
question with a Swedish message and a link to log in; the login page is Swedish; and
`assistant audit` lists a session's questions with the documents cited."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from app.web.login import SESSION_COOKIE
from tests.web.conftest import USERS, output_dir
from tests.web.test_browser import _ask, _log_in

pytestmark = pytest.mark.browser


def test_logging_out_in_another_tab_refuses_the_first_tab_in_swedish(app_server, browser):
    url, _, _ = app_server
    first = _log_in(browser, url, "partner")
    _ask(first, "Vem förbereder underlaget för Letter of Intent?", 1)
    second = first.context.new_page()  # another tab of the same browser
    second.goto(url + "logout")
    assert "Du är utloggad." in second.inner_text("main")
    first.fill("#fraga textarea", "Vad ska Tillväxtmotorn attrahera?")
    first.click("#skicka")
    first.wait_for_function(
        "document.querySelector('#samtal').innerText.includes('Du är utloggad')", timeout=30_000
    )
    first.screenshot(path=str(output_dir("browser") / "utloggad-i-annan-flik.png"), full_page=True)
    chat = first.inner_text("#samtal")
    assert "Logga in igen" in chat and "Fel" not in chat and "Error" not in chat
    assert first.locator("#samtal a[href$='/login']").count() >= 1
    assert first.locator("#samtal .svar-2").count() == 0  # refused, not answered
    banner = first.inner_text("#banner")
    assert "Du är utloggad" in banner and "Inloggad som" not in banner
    first.reload()  # the page itself now asks for a login
    assert "/login" in first.url and "Din session har avslutats" in first.inner_text("main")
    first.context.close()


def test_the_login_page_and_its_refusal_are_swedish_and_an_old_cookie_opens_nothing(app_server):
    url, _, _ = app_server
    with httpx.Client(base_url=url, headers={"accept": "text/html"}) as client:
        page = client.get("/", follow_redirects=True)
        assert page.url.path == "/login" and "Användarnamn" in page.text and "Lösenord" in page.text
        wrong = client.post("/login", data={"username": "partner", "password": "fel"})
        assert wrong.status_code == 401 and "Fel användarnamn eller lösenord." in wrong.text
        right = client.post("/login", data={"username": "partner", "password": USERS["partner"][1]})
        assert right.status_code == 303 and SESSION_COOKIE in right.cookies
        token = right.cookies[SESSION_COOKIE]
        assert client.get("/", cookies={SESSION_COOKIE: token}).status_code == 200
        client.get("/logout", cookies={SESSION_COOKIE: token})
        old = {SESSION_COOKIE: token}
        assert client.get("/", cookies=old).headers["location"] == "/login?meddelande=avslutad"
        assert client.get("/config", cookies=old).status_code == 401


def test_the_audit_command_lists_a_sessions_questions_with_the_documents_cited(app_server):
    from gradio_client import Client

    url, settings, _ = app_server
    client = Client(url, auth=("partner", USERS["partner"][1]), verbose=False)
    questions = ["Vad ska Tillväxtmotorn attrahera?", "När ska Letter of Intent undertecknas?"]
    for question in questions:
        client.predict(question, [], api_name="/chat")
    env = {**os.environ, "ASSISTANT_FEEDBACK_DB": str(settings.feedback_db)}
    listed = subprocess.run(
        [sys.executable, "-m", "app.cli", "audit", "--user", "partner", "--csv"],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    ).stdout  # fmt: skip
    print(listed)
    lines = {line.split(",")[6]: line for line in listed.splitlines()[1:] if ",fråga," in line}
    for question in questions:
        assert ",api," in lines[question] and "(partner)" in lines[question]
    assert "corpus/plattformen.md (partner)" in lines["Vad ska Tillväxtmotorn attrahera?"]
    assert "(styrgrupp)" not in listed  # a partner's answers never retrieved the steering group's
