"""The chat as people expect it, driven in Chromium: each answer opens its own sources, a
question sent while another streams is answered, stop, conversations kept across a reload,
a new conversation forgets the old context, readable in the OS's dark mode and at phone
width, Swedish whatever the browser's language (a server that dies too), and axe-core finds
nothing serious.
Screenshots and axe's findings go to test-output/chatt/."""

from __future__ import annotations

import json
import os
import signal
import sqlite3

import pytest

from tests.web.conftest import CORPUS, output_dir, running_app
from tests.web.test_browser import _ask, _log_in, _open_marker

pytestmark = pytest.mark.browser

# WCAG 2.1 relative luminance and contrast of an element's text on the first opaque background
# behind it (the page is white when none is).
CONTRAST_JS = """
(selector) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const el = document.querySelector(selector);
  let node = el, bg = [255, 255, 255];
  while (node && node.nodeType === 1) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c.slice(0, 3); break; }
    node = node.parentElement;
  }
  const text = el.querySelector('p, div, b, span') || el;
  const [a, b] = [lum(rgb(getComputedStyle(text).color).slice(0, 3)), lum(bg)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""
SEVERE = ("serious", "critical")


def _chat_messages(page) -> str:
    return page.inner_text("#samtal")


def test_two_answers_each_open_their_own_sources(app_server, browser):
    url, _, _ = app_server
    page = _log_in(browser, url, "styr")
    _ask(page, "Vem förbereder underlaget för Letter of Intent?", 1)
    _ask(page, "Vad ska styrgruppen underteckna vid sammanträdet i januari?", 2)
    assert "kalla-2-1" in _open_marker(page, 2, 1)
    assert "Styrgruppen ska underteckna" in page.inner_text("#samtal .kallkort.vald")
    assert "kalla-1-1" in _open_marker(page, 1, 1)
    assert "Magnus Aspegren" in page.inner_text("#samtal .kallkort.vald")
    # the cards come before the example questions
    cards = page.locator("#samtal .kallkort").first.bounding_box()
    examples = page.get_by_text("Exempel:").first.bounding_box()
    assert cards["y"] < examples["y"]
    page.screenshot(path=str(output_dir("chatt") / "tva-svar-egna-kallor.png"), full_page=True)
    page.context.close()


def test_a_question_sent_while_another_streams_is_answered_and_stop_ends_one(app_server, browser):
    url, _, _ = app_server
    page = _log_in(browser, url, "partner")
    page.fill("#fraga textarea", "Vem förbereder underlaget för Letter of Intent?")
    page.click("#skicka")
    page.wait_for_function(  # the box is emptied when the question is taken; then type the next
        "document.querySelector('#samtal').innerText.includes('Letter of Intent?')", timeout=30_000
    )
    page.fill("#fraga textarea", "Vad ska Tillväxtmotorn attrahera?")
    page.press("#fraga textarea", "Enter")
    page.wait_for_selector("#samtal .svar-2", timeout=60_000)
    assert "grön omställning" in page.inner_text("#samtal .svar-2")

    # Two questions in a row, so one is still unanswered when "Stoppa" arrives however fast
    # the first answer is; stop ends the one being answered (or, if done, the one waiting).
    for question in ("Vad ska styrgruppen underteckna i januari?", "Vem leder styrgruppen?"):
        page.fill("#fraga textarea", question)
        page.press("#fraga textarea", "Enter")
        page.wait_for_function(
            f"document.querySelector('#samtal').innerText.includes({question!r})", timeout=30_000
        )
    page.click("#stoppa")
    page.wait_for_function(
        "document.querySelector('#samtal').innerText.includes('Svaret stoppades.')", timeout=60_000
    )
    page.wait_for_selector("#samtal .svar-3", timeout=60_000)  # the other one is answered
    page.wait_for_timeout(500)
    assert page.locator("#samtal .svar").count() == 3  # the stopped one got no answer
    _ask(page, "Vad ska styrgruppen underteckna i januari?", 4)  # the chat goes on after a stop
    page.context.close()


def test_a_conversation_is_kept_across_a_reload_and_a_new_one_forgets_its_context(app_server, browser):
    url, settings, _ = app_server
    page = _log_in(browser, url, "partner")
    page.click("#nytt-samtal")
    _ask(page, "Vem förbereder underlaget för Letter of Intent?", 1)
    _ask(page, "Och när?", 2)
    page.reload()
    page.wait_for_selector("#fraga textarea", timeout=60_000)
    assert page.locator("#samtal .svar").count() == 0
    page.get_by_text("Dina samtal").click()
    page.locator("#tidigare-samtal input").click()
    page.get_by_role("option").filter(has_text="Vem förbereder underlaget").first.click()
    page.wait_for_selector("#samtal .svar-2", timeout=30_000)
    assert "kalla-1-1" in _open_marker(page, 1, 1)  # a reopened answer still opens its own source

    page.locator("#samtal").get_by_role("button", name="Rensa").or_(
        page.locator("#nytt-samtal")
    ).first.click()
    page.wait_for_function("document.querySelectorAll('#samtal .svar').length === 0", timeout=30_000)
    _ask(page, "Och när?", 1)
    with sqlite3.connect(settings.feedback_db) as db:
        rows = db.execute(
            "SELECT c.title, t.number, t.answer FROM conversations c JOIN conversation_turns t "
            "ON t.conversation_id = c.id WHERE c.user = 'partner' ORDER BY c.id, t.number"
        ).fetchall()
    followed = {(title, number): "search_text" in json.loads(answer) for title, number, answer in rows}
    assert followed[("Vem förbereder underlaget för Letter of Intent?", 2)]  # context used...
    assert not followed[("Och när?", 1)]  # ...and gone after "Nytt samtal"
    page.context.close()


@pytest.mark.parametrize("scheme,width", [("dark", 1280), ("light", 390)])
def test_readable_in_dark_mode_and_at_phone_width(app_server, browser, scheme, width):
    url, _, _ = app_server
    context = browser.new_context(
        locale="sv-SE", color_scheme=scheme, viewport={"width": width, "height": 900}, device_scale_factor=1
    )
    page = context.new_page()
    page.goto(url)
    page.locator("input[type=text], input[name=username]").first.fill("partner")
    page.locator("input[type=password]").first.fill("hemligt-p1")
    page.keyboard.press("Enter")
    page.wait_for_selector("#fraga textarea", timeout=60_000)
    page.wait_for_function("document.querySelector('#banner').innerText.includes('Inloggad')", timeout=30_000)
    _ask(page, "Vem förbereder underlaget för Letter of Intent?", 1)
    _ask(page, "Vilket telefonnummer har Magnus Aspegren?", 2)
    shots = output_dir("chatt")
    page.screenshot(path=str(shots / f"{scheme}-{width}px-chatt.png"), full_page=True)
    ratios = {
        name: page.evaluate(CONTRAST_JS, selector)
        for name, selector in (
            ("banner", "#banner"),
            ("kort", "#samtal .kallkort"),
            ("svar", "#samtal .svar-2"),
        )
    }
    if page.locator("#samtal .avstar").count():
        ratios["avstår"] = page.evaluate(CONTRAST_JS, "#samtal .avstar")
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios
    for tab in ("Beslut", "Aktörer och mandat", "Dokument"):  # every tab a visible button
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(shots / f"{scheme}-{width}px-{tab.split()[0].lower()}.png"), full_page=True)
    header = page.locator("#tabell-dokument th").filter(has_text="Åtkomst").first.bounding_box()
    assert header["width"] > 40  # a readable column, not a letter per line
    context.close()


def test_axe_finds_nothing_serious_on_any_tab(app_server, browser):
    from axe_playwright_python.sync_playwright import Axe

    url, _, _ = app_server
    page = _log_in(browser, url, "styr")
    _ask(page, "Vem förbereder underlaget för Letter of Intent?", 1)
    axe, report = Axe(), {}
    for tab in ("Chatt", "Beslut", "Aktörer och mandat", "Dokument"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(1000)
        violations = axe.run(page).response["violations"]
        report[tab] = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in violations
        ]
    (output_dir("chatt") / "axe.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    severe = {tab: [v for v in found if v["impact"] in SEVERE] for tab, found in report.items()}
    assert severe == {tab: [] for tab in report}, severe
    page.context.close()


def test_the_login_page_is_swedish_for_an_english_browser(app_server, browser):
    url, _, _ = app_server
    page = browser.new_context(locale="en-US").new_page()
    page.goto(url)
    page.wait_for_selector("input[type=password]", timeout=30_000)
    text = page.inner_text("body")
    assert "Logga in" in text and "Användarnamn" in text and "Login" not in text
    page.screenshot(path=str(output_dir("chatt") / "inloggning-engelsk-webblasare.png"))
    page.context.close()


def test_a_server_that_dies_is_told_in_swedish(tmp_path, browser):
    """The server stops (killed, as a worker can be): Gradio's client shows a toast whose
    English title and message the page puts in Swedish, its close button named "Stäng"."""
    with running_app(tmp_path, CORPUS, {}) as (url, _, root):
        page = browser.new_context(locale="en-US").new_page()
        page.goto(url)
        page.wait_for_selector("#fraga textarea", timeout=60_000)
        _ask(page, "Vad ska Tillväxtmotorn attrahera?", 1)
        os.kill(int((root / "server.pid").read_text()), signal.SIGKILL)
        toast = page.wait_for_selector('[data-testid="toast-body"]', timeout=30_000)
        swedish = "() => document.querySelector('[data-testid=toast-text]')?.innerText.startsWith('Anslutn')"
        page.wait_for_function(swedish, timeout=10_000)
        page.screenshot(path=str(output_dir("chatt") / "servern-borta.png"))
        text = toast.inner_text()
    assert "Anslutningen till servern bröts" in text and "Fel" in text
    assert "Connection" not in text and "Error" not in text
    assert toast.query_selector('[data-testid="toast-close"]').get_attribute("aria-label") == "Stäng"
