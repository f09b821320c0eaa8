"""The chat's parts without a browser: conversations kept per user, an answer's bubble with
its own linked sources, a decline that says why, the waiting and stopped turns, the upload's
chosen access level and title, the Swedish light page, and a port clash reported in Swedish."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from app.web.app import example_group, readable_levels
from app.web.chat_session import STOPPED, WAITING, ChatSession, Turn
from app.web.conversations import ConversationStore, shorten
from app.web.render import answer_bubble
from app.web.theme import SwedishLightPage
from ingest.readers import ReadError
from ingest.sync import apply_sidecar
from kbcore.loopback import ensure_port_free


def _answer(question: str, text: str, abstained: bool = False, citations=None, retrieved=None) -> dict:
    return {
        "question": question, "answer": text, "abstained": abstained, "language": "sv",
        "writer": "extractive", "citations": citations or [], "retrieved": retrieved or [],
    }  # fmt: skip


CITATION = {
    "n": 1, "doc_id": "a.md", "title": "Tillväxtmotorn", "path": "a.md", "page": None,
    "heading": "", "text": "Magnus förbereder LOI.\nTill januari.", "quoted": ["Magnus förbereder LOI."],
}  # fmt: skip


def test_conversations_are_kept_per_user_and_can_be_renamed_and_deleted(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "f.sqlite3")
    mine = store.create("anna", "Vad är Tillväxtmotorn?")
    store.add_turn("anna", mine, "Vad är Tillväxtmotorn?", _answer("Vad är Tillväxtmotorn?", "En motor [1]."))
    store.add_turn("bo", mine, "Intrång?", _answer("Intrång?", "Nej."))  # not Bo's: ignored
    assert [c.title for c in store.list("anna")] == ["Vad är Tillväxtmotorn?"]
    assert store.list("bo") == [] and store.turns("bo", mine) == []
    assert [q for q, _ in store.turns("anna", mine)] == ["Vad är Tillväxtmotorn?"]
    store.rename("anna", mine, "Om motorn")
    store.delete("bo", mine)  # not Bo's to delete
    assert [c.title for c in store.list("anna")] == ["Om motorn"]
    store.delete("anna", mine)
    assert store.list("anna") == [] and store.turns("anna", mine) == []


def test_a_long_question_is_shortened_at_a_word() -> None:
    long = "Vad " + "mycket lång fråga " * 200
    assert len(shorten(long)) <= 61 and shorten(long).endswith("…")
    assert shorten("Kort fråga?") == "Kort fråga?"


def test_each_bubble_links_its_markers_to_its_own_cards() -> None:
    first = answer_bubble(_answer("Vem?", "Magnus förbereder LOI. [1]", citations=[CITATION]), 1)
    second = answer_bubble(_answer("Vad?", "Till januari. [1]", citations=[CITATION]), 2)
    assert "ref-1-1" in first and "kallkort kalla-1-1" in first and "2-1" not in first
    assert "kallref ref-2-1" in second and "kallkort kalla-2-1" in second
    assert "<mark>Magnus förbereder LOI.</mark>" in first
    assert "\n\n" not in first  # one HTML block: the chat's Markdown leaves it alone


def test_a_quoted_list_and_table_are_shown_as_a_list_and_a_table() -> None:
    text = (
        "Nästa steg:\n- Ta fram strategi.\n- Forma styrgrupp. [1]\n\n"
        "| Kommun | Belopp |\n|---|---|\n| Ragunda | 5,19 mnkr |\n\n[1]"
    )
    html = answer_bubble(_answer("Vad?", text, citations=[CITATION]), 4)
    assert '<ul><li>Ta fram strategi.</li><li>Forma styrgrupp. <a class="kallref ref-4-1"' in html
    assert "<th>Kommun</th><th>Belopp</th>" in html and "<td>Ragunda</td><td>5,19 mnkr</td>" in html
    assert "|---|" not in html and "\n\n" not in html


def test_a_decline_says_why_and_offers_the_nearest_passages_and_next_step() -> None:
    stated = dict(
        CITATION,
        text="Kontaktuppgifter anges inte i materialet.",
        quoted=["Kontaktuppgifter anges inte i materialet."],
    )  # noqa: E501
    near = {"doc_id": "b.md", "title": "Aktör", "heading": "", "path": "b.md", "text": "Region JH."}
    html = answer_bubble(
        _answer("Telefon?", "Det framgår inte av materialet.", True, [stated], [near]),
        3,
        "Fråga Anna: anna@x.se.",
    )
    assert "Materialet säger själv: ”Kontaktuppgifter anges inte i materialet.”" in html
    assert "kallkort kalla-3-2" in html and "Närmast:" in html  # the nearest passage, openable
    assert "Nästa steg:" in html and "anna@x.se" in html


def test_waiting_and_stopped_turns_are_shown_and_left_out_of_the_context() -> None:
    session = ChatSession()
    first, second = Turn("Vem?", _answer("Vem?", "Magnus.")), Turn("Och när?")
    session.turns = [first, second, Turn("Sen?")]
    session.stop()
    assert second.stopped and not session.turns[2].stopped
    texts = [m["content"] for m in session.messages()]
    assert STOPPED in texts[3] and WAITING in texts[5]
    assert session.history(session.turns[2]) == ["Vem?"]
    session.reset()
    assert session.messages() == [] and session.history(Turn("x")) == []


def test_the_chosen_access_can_only_restrict_and_the_chosen_title_wins() -> None:
    front = {"access": "styrgrupp", "title": "Filens titel"}
    apply_sidecar(front, json.dumps({"access": "partner", "title": "Vald titel"}).encode())
    assert front == {"access": "styrgrupp", "title": "Vald titel"}
    front = {}
    apply_sidecar(front, b'{"access": "partner"}')
    assert front == {"access": "partner"}
    with pytest.raises(ReadError):
        apply_sidecar({}, b'{"access": "alla"}')


def test_roles_are_described_in_words_and_pick_their_examples(settings) -> None:
    assert readable_levels(1) == "öppen och partner"
    assert readable_levels(3) == "öppen, partner, intern och styrgrupp"
    assert example_group("remisspartner", settings) == "Remisspartner"
    assert example_group(None, settings) is None


def test_the_page_is_swedish_and_light_whatever_the_browser() -> None:
    html = SwedishLightPage.rewrite(
        '<html lang="en"><head></head><body><gradio-app eager="true"></gradio-app>'
    )
    assert 'lang="sv"' in html and 'theme_mode="light"' in html and "'sv-SE'" in html


def test_a_taken_port_is_reported_in_swedish_naming_the_setting() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(RuntimeError, match="--port eller ASSISTANT_APP_PORT") as error:
            ensure_port_free("127.0.0.1", taken.getsockname()[1])
    assert "används redan" in str(error.value)
