"""Leak probes: every role asks for every fact above its access level, in five ways, and every
surface a user can read is searched for the fact's code word.

Surfaces: the answer, its citations and retrieved passages (both writers; the generative one
through an endpoint that echoes everything it was sent, the worst a model could do), the
decision, actor and document tables, the document viewer and the `/chat` handler, all through
the same ChatApp methods Gradio calls, for a logged-in user of each role.
"""

from __future__ import annotations

import json

import gradio as gr
import pytest

from app.web.app import ChatApp
from app.web.chat_session import Turn
from assistant.service import Assistant
from ingest.sync import run_ingest
from kbcore.embedder import get_embedder
from kbcore.settings import ACCESS_LEVELS
from kbcore.tuning import AbstentionSettings
from kbcore.users import UserStore
from tests.conftest import minilm_settings, write_files
from tests.openai_endpoint import ScriptedEndpoint

# level -> (code word, the fact as written, a question in other words, the same in English)
FACTS = {
    "oppen": (
        "Solrosen",
        "Plattformens öppna informationsdag heter Solrosen och hålls i Östersund.",
        "Vad kallas dagen då plattformen informerar allmänheten?",
        "What is the platform's public information day called?",
    ),
    "partner": (
        "Norrskenet",
        "Remisspartner skickar investerare till kontaktpunkten Norrskenet i Krokom.",
        "Vart hänvisar partner en investerare som hör av sig?",
        "Where do referral partners send an investor?",
    ),
    "intern": (
        "Fjällräven",
        "Medarbetarnas interna kodnamn för etableringsprojektet är Fjällräven.",
        "Vilket kodnamn använder personalen för etableringsprojektet?",
        "What internal code name do staff use for the establishment project?",
    ),
    "styrgrupp": (
        "Kvartsmiljonen",
        "Styrgruppen reserverar budgetposten Kvartsmiljonen för förberedelsefasen.",
        "Vilken budgetpost har styrgruppen avsatt för förberedelsefasen?",
        "Which budget item did the steering group set aside for the preparation phase?",
    ),
}
ROLES = {"allmanhet": "oppen", "remisspartner": "partner", "medarbetare": "intern", "styrgrupp": "styrgrupp"}


def _documents() -> dict[str, str]:
    """Per level a decision, an actor record and a plain document, each carrying the code word."""
    files = {}
    for level, (word, fact, _, _) in FACTS.items():
        files[f"beslut/{level}.md"] = (
            f"---\ntitle: Beslut om {word}\ntype: beslut\naccess: {level}\ndecision: {fact}\n"
            f"decided_by: Styrgruppen ({word})\nwhen: januari\nstatus: beslutat\n---\n\n# Beslut\n\n{fact}\n"
        )
        files[f"aktorer/{level}.md"] = (
            f"---\ntitle: Kontakt {word}\ntype: aktor\naccess: {level}\norganisation: Kontor {word}\n"
            f"role: Samordnare\nmandate: Tar emot frågor om {word}\n---\n\n# Kontor {word}\n\n{fact}\n"
        )
        files[f"{level}.md"] = (
            f"---\ntitle: Noteringar {level}\naccess: {level}\n---\n\n# Noteringar\n\n{fact}\n"
        )
    return files


def _probes(word: str, fact: str, paraphrase: str, english: str) -> list[tuple[str, str, list[str]]]:
    """(kind, question, history) for one restricted fact."""
    return [
        ("direkt", f"Vad står det om {word}?", []),
        ("omskrivning", paraphrase, []),
        ("citat", fact, []),
        ("engelska", english, []),
        ("uppföljning", "Och vad heter den?", [paraphrase]),
    ]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("sakerhet")
    threshold = 0.0  # answer everything: every probe must reach the writer
    settings = minilm_settings(
        root,
        users_file=root / "users.json",
        feedback_db=root / "feedback.sqlite3",
        abstention=AbstentionSettings(
            strong_similarity=threshold,
            weak_similarity=threshold,
            english_similarity=threshold,
            familiar_similarity=threshold,
        ),
    )
    run_ingest([str(write_files(root / "korpus", _documents()))], settings, get_embedder(settings))
    users = UserStore(settings.users_file)
    for role in ROLES:
        users.add(role, "lösen-" + role, role)
    with ScriptedEndpoint() as echo:
        echo.mode = "echo"
        assistant = Assistant(settings.model_copy(update={"llm_base_url": echo.base_url, "llm_timeout": 5.0}))
        yield ChatApp(settings, assistant), echo


def _restricted_words(role: str) -> list[str]:
    rank = ACCESS_LEVELS.index(ROLES[role])
    return [FACTS[level][0] for level in ACCESS_LEVELS[rank + 1 :]]


def _surfaces(app: ChatApp, request: gr.Request, question: str, history: list[str]) -> dict[str, str]:
    """Everything this user could read after asking, as text."""
    answers = {
        f"/chat ({writer})": app.assistant.ask(
            question, app.asker(request).role, history=history, generative=writer == "generativ"
        ).to_json()
        for writer in ("extraktiv", "generativ")
    }
    answers["/chat api"] = app.api_chat(question, history, request)
    texts = {name: json.dumps(answer, ensure_ascii=False) for name, answer in answers.items()}
    for writer, answer in answers.items():  # the viewer, opened from each card of the answer
        app.session(request).reset(None, [Turn(question, answer)])
        cards = len(answer["citations"]) + (3 if answer["abstained"] else 0)
        texts[f"källvisaren ({writer})"] = " ".join(
            app.open_source(f"1-{n}", request) for n in range(1, cards + 1)
        )
    return texts


def test_no_restricted_fact_reaches_any_surface_for_any_role(app) -> None:
    chat_app, echo = app
    probes = leaks = 0
    found: list[str] = []
    for role in ROLES:
        request = gr.Request(username=role)
        tables = {
            "beslut": str(chat_app.decisions("", request).values.tolist()),
            "aktörer": str(chat_app.actors("", request).values.tolist()),
            "dokument": str(chat_app.documents("", request).values.tolist()),
        }
        for level in ACCESS_LEVELS:  # typing a restricted document's path into the viewer
            for path in (f"corpus/{level}.md", f"beslut/{level}.md"):
                tables[f"visare {path}"] = chat_app.show_document(path, request)
        for restricted in _restricted_words(role):
            word, fact, paraphrase, english = next(f for f in FACTS.values() if f[0] == restricted)
            for kind, question, history in _probes(word, fact, paraphrase, english):
                surfaces = _surfaces(chat_app, request, question, history)
                surfaces["modellens prompt"] = echo.prompt_text() if echo.requests else ""
                surfaces |= tables
                for surface, text in surfaces.items():
                    probes += 1
                    for own_words in (question, *history):  # what the user typed is no leak
                        text = text.replace(own_words, "").replace(json.dumps(own_words)[1:-1], "")
                    if word in text:
                        leaks += 1
                        found.append(f"{role}: {kind} '{question}' -> {surface}")
    print(f"\nÅtkomstprober: {probes} kontroller, {leaks} läckor")
    assert probes >= 30 * 10 and leaks == 0, found


def test_each_role_still_reads_its_own_level(app) -> None:
    """The probes above would pass trivially if nothing were ever shown."""
    chat_app, _ = app
    for role, level in ROLES.items():
        word, fact, _, _ = FACTS[level]
        request = gr.Request(username=role)
        answer = chat_app.api_chat(fact, [], request)
        assert word in json.dumps(answer, ensure_ascii=False), role
        assert word in str(chat_app.decisions("", request).values.tolist())
