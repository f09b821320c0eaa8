"""The chat app (Gradio Blocks): Chatt, Beslut, Aktörer och mandat, Dokument.

Every handler works out the asker's access level from the logged-in user (or full access in
local single-user mode) and filters with it: answers, citations, the tables, the document
viewer and the /chat API all see only documents at or below that level.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from app.web.login import SIGNED_OUT_MESSAGE
from app.web.render import document_view, source_cards
from assistant.audit import AppCaller, AuditLog
from assistant.catalog import ACTOR_COLUMNS, COLUMN_WIDTHS, DECISION_COLUMNS, DOCUMENT_COLUMNS, filter_rows
from assistant.feedback import FeedbackStore
from assistant.service import Assistant
from ingest.sync import IngestBusy
from ingest.upload import Uploader, result_rows
from kbcore.settings import Settings
from kbcore.users import UserStore

log = logging.getLogger(__name__)

EXAMPLES = {
    "Ny medarbetare": ["Vad är Tillväxtmotorn?", "Varför behövs en gemensam investeringsplattform?"],
    "Styrgruppen": ["Vad ska beslutas vid styrgruppens sammanträde i januari?", "Vad händer efter beslutet?"],
    "Remisspartner": [
        "Vilket mandat ska plattformen ha gentemot investerare?",
        "Vilken roll har Magnus Aspegren?",
    ],
}
_SCROLL_TO_CITED = "() => document.getElementById('citerat-stycke')?.scrollIntoView({block: 'center'})"


@dataclass(frozen=True)
class Asker:
    """Who is asking: the user name (None in local mode), role, access rank, admin rights;
    ``signed_out`` for a tab whose session has ended (rank -1: it sees nothing)."""

    name: str | None
    role: str | None
    rank: int
    admin: bool
    signed_out: bool = False


class ChatApp:
    def __init__(self, settings: Settings, assistant: Assistant | None = None) -> None:
        self.settings = settings
        self.assistant = assistant or Assistant(settings)
        self.users = UserStore(settings.users_file)
        self.feedback = FeedbackStore(settings.feedback_db)
        self.audit = AuditLog(settings.feedback_db)
        purged = self.audit.purge(settings.audit_retention_days)
        log.info(
            "Granskningsloggen: %d rader äldre än %d dagar borttagna", purged, settings.audit_retention_days
        )
        self.uploader = Uploader(settings, self.assistant.embedder)

    # -- who is asking -------------------------------------------------------------------
    def asker(self, request: gr.Request | None) -> Asker:
        """Read per request, so users added with `assistant user add` need no restart."""
        if not self.users.enabled:
            return Asker(None, None, self.settings.access_rank(None), True)
        user = self.users.get(getattr(request, "username", None))
        if user is None:  # an ended session (app/web/login.py), or a user removed meanwhile
            return Asker(None, "oppen", -1, False, signed_out=True)
        return Asker(user.name, user.role, self.settings.access_rank(user.role), user.admin)

    def banner(self, request: gr.Request) -> str:
        asker = self.asker(request)
        if asker.name is None:
            return (
                "**Lokalt enanvändarläge**: ingen inloggning och full åtkomst till alla dokument. "
                "Lägg till användare med `assistant user add` för att kräva inloggning och roller."
            )
        admin = ", administratör" if asker.admin else ""
        return f"Inloggad som **{asker.name}** (roll: {asker.role}{admin}). [Logga ut](/logout)"

    # -- chat ----------------------------------------------------------------------------
    def ask(
        self, question: str, history: list[str], request: gr.Request | None, channel: str = "api"
    ) -> dict[str, Any]:
        *_, answer = self.ask_stream(question, history, request, channel)
        return answer.to_json()

    def ask_stream(self, question: str, history: list[str], request: gr.Request | None, channel: str = "app"):
        """The assistant's stream for the asker's role; the answer is written to the audit
        log. A signed-out tab is refused (gr.Error with SIGNED_OUT_MESSAGE)."""
        asker = self.asker(request)
        if asker.signed_out:
            raise gr.Error(SIGNED_OUT_MESSAGE, title="Utloggad")
        for item in self.assistant.ask_stream(question, role=asker.role, history=history):
            yield item
        address = getattr(getattr(request, "client", None), "host", None)
        self.audit.record_answer(
            AppCaller(asker.name, asker.role, channel, address), question, tuple(history), item
        )

    def respond(self, message: str, chat: list, state: dict, request: gr.Request):
        """Stream the answer into the chat (a generated one sentence by sentence, as each is
        verified; a quoted one in steps), then show its source cards."""
        message = (message or "").strip()
        if not message:
            yield chat, state, gr.update(), gr.update(), gr.update(), ""
            return
        chat = [*chat, {"role": "user", "content": message}, {"role": "assistant", "content": ""}]
        if self.asker(request).signed_out:  # an old tab after logout: say so, with the way back
            chat[-1] = {"role": "assistant", "content": SIGNED_OUT_MESSAGE}
            yield chat, state, gr.update(), gr.update(), gr.update(), ""
            return
        for item in self.ask_stream(message, state["questions"], request):
            if isinstance(item, str):
                chat[-1] = {"role": "assistant", "content": item}
                yield chat, state, gr.update(), gr.update(), gr.update(), ""
        answer = item.to_json()
        streamed = chat[-1]["content"]
        if not (streamed and answer["answer"].startswith(streamed)):  # a quoted answer: reveal in steps
            words = answer["answer"].split(" ")
            step = max(1, len(words) // 12)
            for end in range(step, len(words) + step, step):
                chat[-1] = {"role": "assistant", "content": " ".join(words[:end])}
                yield chat, state, gr.update(), gr.update(), gr.update(), ""
                time.sleep(0.02)
        chat[-1] = {"role": "assistant", "content": answer["answer"]}
        state = {"questions": [*state["questions"], message], "answer": answer}
        choices = [f"[{c['n']}] {c['title']}" for c in answer["citations"]]
        yield (
            chat,
            state,
            source_cards(answer, len(state["questions"])),
            gr.update(choices=choices, value=None, visible=bool(choices)),
            "",
            "",
        )

    def open_source(self, choice: str | None, state: dict, request: gr.Request) -> str:
        """The cited document in full, the cited passage marked (access checked again)."""
        answer = state.get("answer")
        if not choice or not answer:
            return ""
        n = int(choice.split("]")[0].lstrip("["))
        citation = next(c for c in answer["citations"] if c["n"] == n)
        document = self.assistant.catalog.document(citation["doc_id"], self.asker(request).rank)
        if document is None:
            return "<p>Dokumentet finns inte eller är inte tillgängligt för din roll.</p>"
        return document_view(document, citation["text"], citation["quoted"])

    def rate(self, rating: int, comment: str, state: dict, request: gr.Request) -> str:
        answer = state.get("answer")
        if not answer:
            return "Ställ en fråga först."
        asker = self.asker(request)
        if asker.signed_out:
            return SIGNED_OUT_MESSAGE
        self.feedback.record(answer, rating, comment or "", asker.name, asker.role, state["questions"][:-1])
        return "Tack! Betyget är sparat." if rating > 0 else "Tack! Vi använder det för att förbättra svaren."

    def rate_good(self, comment: str, state: dict, request: gr.Request) -> str:
        return self.rate(1, comment, state, request)

    def rate_bad(self, comment: str, state: dict, request: gr.Request) -> str:
        return self.rate(-1, comment, state, request)

    def new_conversation(self) -> tuple:
        return (
            [],
            {"questions": [], "answer": None},
            "",
            gr.update(choices=[], value=None, visible=False),
            "",
            "",
        )

    # -- tables --------------------------------------------------------------------------
    def decisions(self, query: str, request: gr.Request) -> pd.DataFrame:
        return self._table(self.assistant.catalog.decision_rows, DECISION_COLUMNS, query, request)

    def actors(self, query: str, request: gr.Request) -> pd.DataFrame:
        return self._table(self.assistant.catalog.actor_rows, ACTOR_COLUMNS, query, request)

    def documents(self, query: str, request: gr.Request) -> pd.DataFrame:
        return self._table(self.assistant.catalog.document_rows, DOCUMENT_COLUMNS, query, request)

    def _table(
        self, rows_for_rank, columns: tuple[str, ...], query: str, request: gr.Request
    ) -> pd.DataFrame:
        """The rows the asker may see, filtered by the search words."""
        rows = filter_rows(rows_for_rank(self.asker(request).rank), query or "")
        return pd.DataFrame(rows, columns=list(columns))

    def show_document(self, doc_id: str, request: gr.Request) -> str:
        document = self.assistant.catalog.document((doc_id or "").strip(), self.asker(request).rank)
        return document_view(document) if document else "<p>Inget dokument med det namnet för din roll.</p>"

    def open_record_row(self, event: gr.SelectData, request: gr.Request) -> str:
        """A clicked decision or actor: its "Källa" cell (last) starts with the record's path."""
        return self.show_document(str((event.row_value or [""])[-1]).split(" (ur ")[0], request)

    def open_document_row(self, event: gr.SelectData, request: gr.Request) -> str:
        """A clicked document: its first cell is the path."""
        return self.show_document(str((event.row_value or [""])[0]), request)

    def admin_visibility(self, request: gr.Request) -> dict:
        return gr.update(visible=self.asker(request).admin)

    def upload(
        self,
        files: list[str] | None,
        request: gr.Request,
        progress=gr.Progress(track_tqdm=True),  # noqa: B008  (Gradio injects the bar through the default)
    ):
        """Save the uploaded files in the corpus and re-ingest it; one result row per file."""
        if not self.asker(request).admin:
            return _results([["–", "nekad", "Bara administratörer kan ladda upp och indexera."]]), gr.update()
        try:
            report = self.uploader.save_and_reindex(files or [])
        except IngestBusy as error:
            return _results([["–", "upptagen", str(error)]]), gr.update()
        self.assistant.reload()
        return _results(result_rows(report)), self.documents("", request)

    # -- layout --------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        self._on_load: list[tuple[Any, Any, Any]] = []  # filled per role when a page opens
        with gr.Blocks(title="Plattformsassistenten") as demo:
            banner = gr.Markdown(elem_classes="banner", elem_id="banner")
            with gr.Tab("Chatt", id="chatt"):
                self._chat_tab()
            with gr.Tab("Beslut", id="beslut"):
                self._table_tab("beslut", DECISION_COLUMNS, self.decisions, "Sök bland besluten")
            with gr.Tab("Aktörer och mandat", id="aktorer"):
                self._table_tab("aktorer", ACTOR_COLUMNS, self.actors, "Sök bland aktörerna")
            with gr.Tab("Dokument", id="dokument"):
                self._documents_tab()
            demo.load(self.banner, None, banner)
            for handler, inputs, outputs in self._on_load:
                demo.load(handler, inputs, outputs)
            gr.api(self.api_chat, api_name="chat")
        return demo

    def api_chat(self, question: str, history: list[str] | None = None, request: gr.Request = None) -> dict:
        """The chat as an API: the `ask --json` object for the question (and earlier turns),
        with each "path" named "source_path": gradio_client takes any object with a "path"
        key for a file to download."""
        return _rename_path_keys(self.ask(question, list(history or []), request))

    def _chat_tab(self) -> None:
        state = gr.State({"questions": [], "answer": None})
        chat = gr.Chatbot(label="Samtal", height=420, elem_id="samtal", buttons=["copy"])
        with gr.Row():
            question = gr.Textbox(
                placeholder="Ställ en fråga om plattformen, t.ex. ”Vem förbereder underlaget för LOI?”",
                show_label=False,
                scale=8,
                elem_id="fraga",
            )
            send = gr.Button("Fråga", variant="primary", scale=1, elem_id="skicka")
            clear = gr.Button("Nytt samtal", scale=1)
        for group, questions in EXAMPLES.items():
            gr.Examples(questions, inputs=question, label=f"Exempel: {group}")
        gr.Markdown("### Källor")
        cards = gr.HTML(elem_id="kallkort")
        sources = gr.Radio(label="Öppna källan i dokumentet", visible=False, elem_id="oppna-kalla")
        viewer = gr.HTML(elem_id="dokumentvisare")
        with gr.Row():
            comment = gr.Textbox(label="Kommentar till svaret (valfri)", scale=6, elem_id="kommentar")
            good = gr.Button("✓ Bra svar", scale=1, elem_id="bra")
            bad = gr.Button("✗ Dåligt svar", scale=1, elem_id="daligt")
        thanks = gr.Markdown(elem_id="tack")
        outputs = [chat, state, cards, sources, viewer, question]
        send.click(self.respond, [question, chat, state], outputs)
        question.submit(self.respond, [question, chat, state], outputs)
        clear.click(self.new_conversation, None, [chat, state, cards, sources, viewer, thanks])
        sources.change(self.open_source, [sources, state], viewer).then(None, js=_SCROLL_TO_CITED)
        good.click(self.rate_good, [comment, state], thanks)
        bad.click(self.rate_bad, [comment, state], thanks)

    def _table_tab(self, name: str, columns: tuple[str, ...], rows, label: str) -> None:
        search = gr.Textbox(label=label, elem_id=f"sok-{name}")
        table = gr.Dataframe(
            headers=list(columns),
            column_widths=COLUMN_WIDTHS[columns],
            max_height=900,
            interactive=False,
            wrap=True,
            elem_id=f"tabell-{name}",
        )
        gr.Markdown("Klicka på en rad för att öppna källdokumentet.")
        viewer = gr.HTML(elem_id=f"visare-{name}")
        search.change(rows, search, table)
        table.select(self.open_record_row, None, viewer)
        self._on_load.append((rows, search, table))

    def _documents_tab(self) -> None:
        search = gr.Textbox(label="Sök bland dokumenten", elem_id="sok-dokument")
        table = gr.Dataframe(
            headers=list(DOCUMENT_COLUMNS),
            column_widths=COLUMN_WIDTHS[DOCUMENT_COLUMNS],
            interactive=False,
            wrap=True,
            elem_id="tabell-dokument",
        )
        with gr.Row():
            doc_id = gr.Textbox(
                label="Visa dokument (sökväg som i tabellen)", scale=5, elem_id="visa-dokument"
            )
            show = gr.Button("Visa", scale=1)
        viewer = gr.HTML()
        with gr.Group(visible=False) as admin:
            gr.Markdown("**Administration**: ladda upp filer (Markdown, text, PDF, DOCX) och indexera om.")
            files = gr.File(file_count="multiple", label="Filer", elem_id="uppladdning")
            ingest = gr.Button("Ladda upp och indexera", variant="primary", elem_id="indexera")
            results = gr.Dataframe(
                headers=["Fil", "Status", "Meddelande"], interactive=False, wrap=True, elem_id="resultat"
            )
        search.change(self.documents, search, table)
        show.click(self.show_document, doc_id, viewer)
        table.select(self.open_document_row, None, viewer)
        doc_id.submit(self.show_document, doc_id, viewer)
        ingest.click(self.upload, files, [results, table])
        self._on_load.append((self.documents, search, table))
        self._on_load.append((self.admin_visibility, None, admin))


def _results(rows: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["Fil", "Status", "Meddelande"])


def _rename_path_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {("source_path" if k == "path" else k): _rename_path_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename_path_keys(v) for v in value]
    return value
