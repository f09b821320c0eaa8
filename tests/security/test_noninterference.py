"""Non-interference: what a role cannot read changes nothing it sees.

For each role below the steering group the corpus is indexed twice, with and without the
documents above the role's level (those reuse the lower documents' words and add their own),
and the same probes are asked of both: direct questions, paraphrases, English, follow-ups and
questions in words only the restricted documents contain. Every surface must be identical:
the `ask --jsonl` objects of the CLI, the `/chat` handler's objects, and what the app's
handlers show (the chat tab's answer and source cards, the tables, the document viewer).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import gradio as gr
import pytest

from app.web.app import ChatApp
from assistant.service import Assistant
from ingest.sync import run_ingest
from kbcore.access import ACCESS_LEVELS
from kbcore.embedder import get_embedder
from kbcore.users import UserStore
from tests.conftest import front_matter_doc, minilm_settings, write_files

ROLES = {"allmanhet": 0, "remisspartner": 1, "medarbetare": 2}  # styrgrupp has nothing above it


def _record(doc_type: str, title: str, access: str, fields: dict[str, str], body: str) -> str:
    head = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\ntitle: {title}\ntype: {doc_type}\naccess: {access}\n{head}---\n\n# {title}\n\n{body}\n"


# Per level, its documents; each level reuses words of those below and adds its own.
CORPUS = {
    "oppen": {
        "om-plattformen.md": front_matter_doc(
            "Om Tillväxtmotorn", "oppen",
            """
            # Tillväxtmotorn

            Tillväxtmotorn är en gemensam investeringsplattform för Jämtland Härjedalen.
            Plattformen ska attrahera investeringar i grön omställning, besöksnäring och försvar.

            ## Informationsdag

            Informationsdagen för allmänheten hålls i Östersund i mars.
            Kontaktpunkten svarar på frågor från investerare och företag.
            """,
        ),
        "aktorer/region.md": _record(
            "aktor", "Region Jämtland Härjedalen", "oppen",
            {"organisation": "Region Jämtland Härjedalen", "role": "Huvudman",
             "mandate": "Ansvarar för investeringsplattformen"},
            "Region Jämtland Härjedalen är huvudman för Tillväxtmotorn och ansvarar för plattformen.",
        ),
    },
    "partner": {
        "remiss.md": front_matter_doc(
            "Remiss till partner", "partner",
            """
            # Remissen

            Remisspartner lämnar synpunkter på investeringsplattformen senast den 15 februari.
            Kommunerna och Mittuniversitetet är remisspartner till Tillväxtmotorn.
            Investerare hänvisas till kontaktpunkten i Krokom.
            """,
        ),
        "beslut/loi.md": _record(
            "beslut", "Beslut om Letter of Intent", "partner",
            {"decision": "Underteckna Letter of Intent i januari", "decided_by": "Styrgruppen",
             "when": "januari", "status": "planerat"},
            "Styrgruppen ska underteckna Letter of Intent för investeringsplattformen i januari.",
        ),
    },
    "intern": {
        "uppfoljning.md": front_matter_doc(
            "Projektuppföljning", "intern",
            """
            # Uppföljning

            Underskottet i projektet Fjällstart är 2,3 miljoner kronor.
            Projektledaren rapporterar underskottet till styrgruppen varje kvartal.
            Investeringsplattformen har fyra medarbetare i Östersund.
            """,
        ),
        "rutiner.md": front_matter_doc(
            "Interna rutiner", "intern",
            """
            # Rutiner

            Medarbetarna använder kodnamnet Fjällräven för etableringsprojektet i Krokom.
            Investerare som hör av sig till kontaktpunkten får svar inom två dagar.
            """,
        ),
    },
    "styrgrupp": {
        "budgetram.md": front_matter_doc(
            "Styrgruppens budgetram", "styrgrupp",
            """
            # Budgetram

            Budgetramen för 2027 är preliminärt 21 miljoner kronor.
            Tillväxtmotorn och investeringsplattformen får en förstärkt budgetram för grön omställning.
            Underskottet i Fjällstart ska täckas av reserven Kvartsmiljonen.
            """,
        ),
        "beslut/budget.md": _record(
            "beslut", "Beslut om budgetram", "styrgrupp",
            {"decision": "Budgetramen för förberedelsefasen är 21 miljoner kronor",
             "decided_by": "Styrgruppen", "when": "december", "status": "beslutat"},
            "Styrgruppen beslutade att budgetramen för förberedelsefasen är 21 miljoner kronor.",
        ),
        "aktorer/nordkapital.md": _record(
            "aktor", "Nordkapital", "styrgrupp",
            {"organisation": "Nordkapital", "role": "Investerare",
             "mandate": "Förhandlar om en investering i Krokom"},
            "Investeraren Nordkapital förhandlar om en investering på 50 miljoner kronor i Krokom.",
        ),
    },
}  # fmt: skip

# (kind, question, earlier questions): the same probes for every role.
PROBES: list[tuple[str, str, list[str]]] = [
    *(("direkt", q, []) for q in (
        "Vad är Tillväxtmotorn?", "Var hålls informationsdagen?", "Vem är huvudman för plattformen?",
        "När ska remisspartner lämna synpunkter?", "Vart hänvisas investerare?",
        "När ska Letter of Intent undertecknas?", "Hur stort är underskottet i projektet Fjällstart?",
        "Vilket kodnamn används för etableringsprojektet?", "Hur många medarbetare har plattformen?",
        "Vad är budgetramen för 2027?", "Hur ska underskottet i Fjällstart täckas?",
        "Vilken investerare förhandlar om en investering i Krokom?", "Vad är hyran för kontoret?",
    )),
    *(("omskrivning", q, []) for q in (
        "Vilka branscher vill plattformen locka kapital till?",
        "Vilken stad står värd för dagen då allmänheten informeras?",
        "Vilken organisation ansvarar för plattformen?", "Vad är sista dag för remissvaren?",
        "Vem tar emot frågor från den som vill investera?",
        "Vilken månad skrivs avsiktsförklaringen under?", "Hur mycket pengar saknas i Fjällstart?",
        "Vad kallar personalen etableringsprojektet?", "Hur mycket pengar får plattformen nästa år?",
        "Vilket bolag vill satsa pengar i Krokom?", "Hur stor är reserven?",
    )),
    *(("engelska", q, []) for q in (
        "What is Tillväxtmotorn?", "Where is the information day held?",
        "Who is responsible for the platform?", "When are the consultation responses due?",
        "When will the Letter of Intent be signed?", "How large is the deficit in the Fjällstart project?",
        "What is the code name of the establishment project?", "What is the budget frame for 2027?",
        "Which investor is negotiating in Krokom?", "How many employees does the platform have?",
    )),
    ("uppföljning", "Och var hålls den?", ["Vad är informationsdagen?"]),
    ("uppföljning", "Och när ska det ske?", ["Vem ska underteckna Letter of Intent?"]),
    ("uppföljning", "Vem rapporterar det?", ["Hur stort är underskottet i Fjällstart?"]),
    ("uppföljning", "Och hur stor är den?", ["Vad är budgetramen för 2027?"]),
    ("uppföljning", "Och vem förhandlar om den?", ["Vilken investering planeras i Krokom?"]),
    ("uppföljning", "Och vilka är det?", ["Vem är remisspartner?"]),
    ("uppföljning", "Vad heter det?", ["Vilket etableringsprojekt finns i Krokom?"]),
    ("uppföljning", "Och hur ska det täckas?", ["Hur stort är underskottet i projektet Fjällstart?"]),
    ("uppföljning", "And when is it held?", ["What is the information day?"]),
    ("uppföljning", "Och vad kostar den?", ["Vad är budgetramen?"]),
    *(("begränsade ord", q, []) for q in (
        "Vad är budgetramen?", "Vad står det om Kvartsmiljonen?", "Vem är Nordkapital?",
        "Vad gäller för förberedelsefasen?", "Finns det en förstärkt budgetram för grön omställning?",
        "Vad står det om Fjällräven?", "Hur stort är underskottet?",
        "Vad säger styrgruppen om reserven?", "Vilka synpunkter lämnar Mittuniversitetet?",
        "Vad vet du om Krokom?", "Tillväxtmotorn budgetram 2027 preliminärt miljoner",
    )),
]  # fmt: skip
ENV_ABSTENTION = {  # MiniLM's lower bar, as tests/conftest.py minilm_settings sets it
    f"ASSISTANT_ABSTENTION__{name}": "0.2"
    for name in ("STRONG_SIMILARITY", "WEAK_SIMILARITY", "ENGLISH_SIMILARITY", "FAMILIAR_SIMILARITY")
}


def _index(root: Path, corpus: Path, max_rank: int):
    """Settings of an index (in ``root``) of ``corpus`` as it holds the levels up to
    ``max_rank``; the documents above are removed from the folder first."""
    for level in ACCESS_LEVELS[max_rank + 1 :]:
        for path in CORPUS[level]:
            (corpus / path).unlink(missing_ok=True)
    settings = minilm_settings(root, users_file=root / "users.json", feedback_db=root / "data.sqlite3")
    run_ingest([str(corpus)], settings, get_embedder(settings))
    users = UserStore(settings.users_file)
    for role in (*ROLES, "styrgrupp"):
        users.add(role, "lösen", role)
    return settings


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    """ "alla" (every level) and, per role, the index without the levels above it: one corpus
    folder, shrunk level by level, so paths are the same in every index."""
    root = tmp_path_factory.mktemp("icke-interferens")
    corpus = write_files(root / "korpus", {p: t for level in CORPUS.values() for p, t in level.items()})
    built = {"alla": _index(root / "alla", corpus, len(ACCESS_LEVELS) - 1)}
    for role, rank in sorted(ROLES.items(), key=lambda item: -item[1]):
        built[role] = _index(root / role, corpus, rank)
    return built


class _Cli:
    """`ask --jsonl` over one index for every probe of the given roles, started at once in
    its own process (it runs beside the in-process handlers); ``answers()`` waits for it."""

    def __init__(self, settings, roles: list[str]) -> None:
        self.roles = roles
        lines = [
            json.dumps({"question": q, "history": h, "role": role}, ensure_ascii=False)
            for role in roles
            for _, q, h in PROBES
        ]
        probes = Path(settings.index_dir).parent / "prober.jsonl"
        probes.write_text("\n".join(lines) + "\n", encoding="utf-8")
        env = os.environ | ENV_ABSTENTION | {
            "ASSISTANT_EMBED_MODEL": settings.embed_model, "ASSISTANT_EMBED_DTYPE": "float32",
            "ASSISTANT_EMBED_MAX_SEQ_LENGTH": str(settings.embed_max_seq_length),
        }  # fmt: skip
        command = ["ask", "--jsonl", str(probes), "--index", str(settings.index_dir)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *command], stdout=subprocess.PIPE, text=True, env=env
        )

    def answers(self) -> dict[str, list[dict]]:
        """Per role, the answer objects in probe order."""
        out, _ = self.process.communicate(timeout=900)
        assert self.process.returncode == 0
        answers = [json.loads(line) for line in out.splitlines()]
        return {role: answers[i * len(PROBES) : (i + 1) * len(PROBES)] for i, role in enumerate(self.roles)}


def _handlers(app: ChatApp, role: str, monkeypatch) -> list[dict]:
    """Per probe, what the `/chat` handler returns and what the chat tab shows: the probe's
    conversation asked as a user does (a new conversation, then the earlier questions and
    the probe), the last bubble with its source cards."""
    monkeypatch.setattr("app.web.app.time.sleep", lambda _: None)  # the reveal animation only
    monkeypatch.setattr("app.web.app._QUEUE_GRACE_S", 0.01)  # no user types a next question here
    request = gr.Request(username=role)
    seen = []
    for _, question, history in PROBES:
        app.new_conversation(request)
        for asked in [*history, question]:
            app.enqueue(asked, request)
        *_, (chat, _) = app.answer_waiting(request)
        seen.append({"/chat": app.api_chat(question, history, request), "chattfliken": chat[-1]["content"]})
    return seen


def _pages(app: ChatApp, role: str) -> dict[str, object]:
    """The tables (whole and searched) and the viewer for every document path there is."""
    request = gr.Request(username=role)
    pages: dict[str, object] = {}
    for query in ("", "Krokom", "budgetram"):
        pages[f"beslut '{query}'"] = app.decisions(query, request).values.tolist()
        pages[f"aktörer '{query}'"] = app.actors(query, request).values.tolist()
        pages[f"dokument '{query}'"] = app.documents(query, request).values.tolist()
    for level in CORPUS.values():
        for path in level:
            pages[f"visaren {path}"] = app.show_document(f"korpus/{path}", request)
    return pages


def test_no_decision_depends_on_documents_the_role_cannot_read(indexes, monkeypatch) -> None:
    assert len(PROBES) >= 50
    full = indexes["alla"]
    cli = {"alla": _Cli(full, list(ROLES))} | {role: _Cli(indexes[role], [role]) for role in ROLES}
    app_full = ChatApp(full, Assistant(full))
    seen = {}  # (index, role) -> per probe, what each surface showed
    differences: list[str] = []
    for role in ROLES:
        app_restricted = ChatApp(indexes[role], Assistant(indexes[role]))
        seen["alla", role] = _handlers(app_full, role, monkeypatch)
        seen[role, role] = _handlers(app_restricted, role, monkeypatch)
        pages_full, pages_restricted = _pages(app_full, role), _pages(app_restricted, role)
        differences += [
            f"{role}: {page}" for page in pages_full if pages_full[page] != pages_restricted[page]
        ]
    for name, run in cli.items():
        for role, answers in run.answers().items():
            for surfaces, answer in zip(seen[name, role], answers, strict=True):
                surfaces["CLI"] = answer
    answered = {}
    for role in ROLES:
        for (kind, question, history), one, other in zip(
            PROBES, seen["alla", role], seen[role, role], strict=True
        ):
            differences += [
                f"{role} {kind} '{question}' {history or ''}: {surface}"
                for surface in one
                if one[surface] != other[surface]
            ]
        answered[role] = sum(not surfaces["CLI"]["abstained"] for surfaces in seen[role, role])
    print(
        f"\nIcke-interferens: {len(PROBES)} prober per roll x {len(ROLES)} roller = "
        f"{len(ROLES) * len(PROBES)} prober (CLI, /chat, chattfliken; samt tabeller och "
        f"dokumentvisare), besvarade per roll {answered}: {len(differences)} skillnader"
    )
    for line in differences:
        print("  SKILLNAD", line)
    assert all(count >= 5 for count in answered.values()), answered  # the probes reach the writer
    assert differences == []
