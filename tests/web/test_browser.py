"""Playwright drives Debian's Chromium through the app as two roles: log in, ask, see the
streamed answer and its citation, open the source, rate the answer, and never see the
steering group's document as a partner. Screenshots go to test-output/browser/."""

from __future__ import annotations

import sqlite3

import pytest

from tests.web.conftest import RESTRICTED_FACT, USERS, output_dir

pytestmark = pytest.mark.browser


def _log_in(browser, url: str, user: str):
    page = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 1300}).new_page()
    page.goto(url)
    page.locator("input[type=text], input[name=username]").first.fill(user)
    page.locator("input[type=password]").first.fill(USERS[user][1])
    page.keyboard.press("Enter")
    page.wait_for_selector("#fraga textarea", timeout=60_000)
    return page


def _ask(page, question: str, number: int) -> None:
    """Ask the conversation's ``number``-th question and wait until its answer, with its
    own sources, is in the chat."""
    page.fill("#fraga textarea", question)
    page.click("#skicka")
    page.wait_for_selector(f"#samtal .svar-{number}", timeout=60_000)


def _open_marker(page, number: int, n: int) -> str:
    """Click [n] in answer ``number``; the id of the card it selected."""
    page.locator(f"#samtal .svar-{number} a.ref-{number}-{n}").first.click()
    page.wait_for_selector("#samtal .kallkort.vald", timeout=10_000)
    return page.locator("#samtal .kallkort.vald").get_attribute("class")


@pytest.mark.parametrize("user", ["partner", "styr"])
def test_a_user_asks_opens_the_source_and_rates_the_answer(app_server, browser, user):
    url, settings, _ = app_server
    shots = output_dir("browser")
    page = _log_in(browser, url, user)
    page.wait_for_function(  # the banner is filled when the page has loaded
        f"document.querySelector('#banner').innerText.includes('Inloggad som {user}')", timeout=30_000
    )
    levels = "öppen och partner" if user == "partner" else "öppen, partner, intern och styrgrupp"
    assert f"Du ser dokument med nivå {levels}" in page.inner_text("#banner")
    assert page.locator("h1").first.inner_text() == "Plattformsassistenten"
    _ask(page, "Vem förbereder underlaget för Letter of Intent?", 1)
    answer = page.inner_text("#samtal .svar-1")
    assert "Magnus Aspegren" in answer and "[1]" in answer
    page.screenshot(path=str(shots / f"{user}-1-svar.png"), full_page=True)

    page.locator("#samtal .svar-1 a.oppna-dokument").first.click()
    page.wait_for_selector("#citerat-stycke", timeout=30_000)
    assert "Magnus Aspegren" in page.inner_text("#citerat-stycke mark")
    page.screenshot(path=str(shots / f"{user}-2-kalla.png"), full_page=True)

    page.fill("#kommentar textarea", "Tydligt svar med källa.")
    page.click("#bra")
    page.wait_for_function("document.querySelector('#tack').innerText.includes('Tack')", timeout=30_000)
    with sqlite3.connect(settings.feedback_db) as db:
        rows = db.execute("SELECT rating, comment FROM feedback WHERE user = ?", (user,)).fetchall()
    assert rows == [(1, "Tydligt svar med källa.")]

    _ask(page, "Hur stor är budgeten för förberedelsefasen enligt styrgruppens beslut?", 2)
    for tab in ("Beslut", "Aktörer och mandat", "Dokument"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(shots / f"{user}-flik-{tab.split()[0].lower()}.png"), full_page=True)
    page.get_by_role("tab", name="Beslut").click()
    page.wait_for_function(
        "document.querySelector('#tabell-beslut').innerText.includes('Underteckna Letter of Intent')",
        timeout=30_000,
    )
    page.locator("#tabell-beslut").get_by_text("Underteckna Letter of Intent").filter(
        visible=True
    ).first.click()
    page.wait_for_function("document.querySelector('#visare-beslut').innerText.includes('sammanträdet')")
    seen_everywhere = page.content()
    if user == "partner":
        assert RESTRICTED_FACT not in seen_everywhere
        assert not page.locator("#indexera").is_visible()
    else:
        assert RESTRICTED_FACT in seen_everywhere
    page.context.close()


def test_an_administrator_uploads_files_and_sees_each_result(app_server, browser, tmp_path):
    url, _, _ = app_server
    good = tmp_path / "Årsmöte på Östersund.md"
    good.write_text("# Årsmöte\n\nÅrsmötet för tillväxtmotorn hålls i Östersund.\n", encoding="utf-8")
    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"\x00\x01 inte en pdf")
    page = _log_in(browser, url, "styr")
    page.get_by_role("tab", name="Dokument").click()
    page.locator("#uppladdning-atkomst input").click()
    page.get_by_role("option", name="partner", exact=True).click()
    page.locator("#uppladdning input[type=file]").set_input_files([str(good), str(broken)])
    page.wait_for_timeout(1500)
    page.click("#indexera")
    page.wait_for_function(
        "document.body.innerText.includes('trasig.pdf') && document.body.innerText.includes('ny')",
        timeout=120_000,
    )
    page.screenshot(path=str(output_dir("browser") / "styr-uppladdning.png"), full_page=True)
    results = page.inner_text("#resultat")
    assert "Årsmöte på Östersund.md" in results and "fel" in results
    assert "uppladdat/Årsmöte på Östersund.md" in page.inner_text("#tabell-dokument")
    page.context.close()
    partner = _log_in(browser, url, "partner")  # the chosen level "partner" lets partners read it
    partner.get_by_role("tab", name="Dokument").click()
    partner.wait_for_function(
        "document.querySelector('#tabell-dokument').innerText.includes('Årsmöte på Östersund')",
        timeout=30_000,
    )
    partner.context.close()
