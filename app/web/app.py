"""The chat app (Gradio Blocks): Chatt, Beslut, Aktörer och mandat, Dokument.

Every handler works out the asker's access level from the logged-in user (or full access in
local single-user mode) and filters with it: answers, citations, the tables, the document
viewer and the /chat API all see only documents at or below that level.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from app.web.chat_session import ChatSession, Turn
from app.web.conversations import LOCAL_USER, ConversationStore
from app.web.gradio_sessions import SessionReaper
from app.web.login import SIGNED_OUT_MESSAGE
from app.web.page_image import page_image, source_file
from app.web.render import document_view
from assistant.audit import AppCaller, AuditLog
from assistant.catalog import (
    ACTOR_COLUMNS,
    COLUMN_WIDTHS,
    DECISION_COLUMNS,
    DOCUMENT_COLUMNS,
    NOT_STATED,
    Document,
    filter_rows,
)
from assistant.feedback import FeedbackStore
from assistant.service import Assistant
from ingest.sync import IngestBusy
from ingest.upload import Uploader, result_rows
from kbcore.access import ACCESS_LEVELS
from kbcore.settings import Settings
from kbcore.store import IndexUnavailable
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
# Whose questions a role's examples are: the role's access level picks the group.
_EXAMPLE_GROUP = {"oppen": "Ny medarbetare", "intern": "Ny medarbetare", "partner": "Remisspartner",
                  "styrgrupp": "Styrgruppen"}  # fmt: skip
WELCOME = (
    "# Plattformsassistenten\n"
    "Fråga om den gemensamma investeringsplattformen i Jämtland Härjedalen: Tillväxtmotorn, "
    "styrgruppens beslut, aktörerna och deras mandat. Varje svar citerar dokumenten det bygger på; "
    "klicka på [1], [2] … för att se stycket. Står svaret inte i materialet säger assistenten det."
)
# While this tab's answering event runs, the browser drops a second one ("once" mode, which
# `.then` cannot change): the running one keeps looking for newly queued questions this long
# after its last answer, so a question sent just as an answer ends is not left waiting.
_QUEUE_GRACE_S = 1.5
# The card whose "Visa i dokumentet" was clicked (theme.JS keeps it in window.kallref).
_CARD_CLICKED = "(box) => [window.kallref || '']"
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


def example_group(role: str | None, settings: Settings | None = None) -> str | None:
    """The example group for ``role`` by its access level; None (every group) in local mode."""
    if role is None:
        return None
    level = settings.roles.get(role, role) if settings else role
    return _EXAMPLE_GROUP.get(str(level), "Ny medarbetare")


def readable_levels(rank: int) -> str:
    """ "öppen och partner": the access levels up to ``rank``, as users read them."""
    labels = [level.label for level in ACCESS_LEVELS[: rank + 1]]
    return " och ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)


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
        self.conversations = ConversationStore(settings.feedback_db)
        self._sessions: dict[str, ChatSession] = {}
        self._sessions_lock = threading.Lock()
        self._reaper: SessionReaper | None = None  # set by build()

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
        if asker.signed_out:
            return "**Du är utloggad.** [Logga in igen](/login)"
        if asker.name is None:
            return (
                "**Lokalt enanvändarläge**: ingen inloggning och full åtkomst till alla dokument. "
                "Lägg till användare med `assistant user add` för att kräva inloggning och roller."
            )
        admin = ", administratör" if asker.admin else ""
        return (
            f"Inloggad som **{asker.name}** (roll: {asker.role}{admin}). "
            f"Du ser dokument med nivå {readable_levels(asker.rank)}. [Logga ut](/logout)"
        )

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
        try:
            for item in self.assistant.ask_stream(question, role=asker.role, history=history):
                yield item
        except IndexUnavailable as error:  # shown to the user even with show_error off
            raise gr.Error(str(error)) from error
        address = getattr(getattr(request, "client", None), "host", None)
        self.audit.record_answer(
            AppCaller(asker.name, asker.role, channel, address), question, tuple(history), item
        )

    def session(self, request: gr.Request | None) -> ChatSession:
        """The tab's conversation on the server (one per Gradio session hash)."""
        key = getattr(request, "session_hash", None) or ""
        if self._reaper is not None:
            self._reaper.sweep()
        with self._sessions_lock:
            return self._sessions.setdefault(key, ChatSession())

    def _forget_session(self, session_hash: str) -> None:
        """Drop a closed tab's conversation (SessionReaper's ``on_forget``)."""
        with self._sessions_lock:
            self._sessions.pop(session_hash, None)

    def owner(self, request: gr.Request | None) -> str:
        """Whose conversations: the user name, or LOCAL_USER in local mode."""
        return self.asker(request).name or LOCAL_USER

    def enqueue(self, message: str, request: gr.Request) -> tuple:
        """Add the question to the tab's conversation at once (shown as waiting, the box
        emptied); ``answer_waiting`` answers it in turn. Never drops a question. Yields
        (chat messages, question box, banner): a tab whose session ended elsewhere is told
        so in the chat and in the banner, which still named the user."""
        session = self.session(request)
        message = (message or "").strip()
        banner = gr.update()
        if message and self.asker(request).signed_out:  # an old tab after logout: say so
            session.turns.append(Turn(message, stopped=True, notice=SIGNED_OUT_MESSAGE))
            banner = self.banner(request)
        elif message:
            session.turns.append(Turn(message))
        return session.messages(), "", banner

    def answer_waiting(self, request: gr.Request):
        """Answer the waiting questions one at a time, in the order sent, streaming each into
        the chat; a stopped one is skipped. Yields (chat messages, conversation list)."""
        session = self.session(request)
        with session.lock:
            idle_since = time.monotonic()
            while time.monotonic() - idle_since < _QUEUE_GRACE_S:
                turn = session.next_waiting()
                if turn is None:
                    time.sleep(0.1)
                    continue
                yield from self._answer(session, turn, request)
                idle_since = time.monotonic()
            # The event's last output is shown again when it ends: let it be the chat as it is
            # now, with any turn added meanwhile that needs no answer (a signed-out notice).
            yield session.messages(), gr.update()

    def _answer(self, session: ChatSession, turn: Turn, request: gr.Request | None):
        answer = None
        for item in self.ask_stream(turn.question, session.history(turn), request):
            if turn.stopped:
                break
            if isinstance(item, str):
                turn.partial = item
                yield session.messages(), gr.update()
            else:
                answer = item.to_json()
        if answer is not None and not turn.stopped:
            yield from self._reveal(session, turn, answer["answer"])
        if answer is None or turn.stopped:
            turn.stopped = True
            yield session.messages(), gr.update()
            return
        turn.next_step = self.next_step(answer, request) if answer["abstained"] else ""
        turn.answer = answer
        self._store_turn(session, turn, request)
        yield session.messages(), self.conversation_list(request, session.conversation_id)

    def _reveal(self, session: ChatSession, turn: Turn, text: str):
        """A quoted answer arrives whole: show it in steps, as a generated one streams."""
        if turn.partial and text.startswith(turn.partial):
            return
        words = text.split(" ")
        step = max(1, len(words) // 12)
        for end in range(step, len(words), step):
            if turn.stopped:
                return
            turn.partial = " ".join(words[:end])
            yield session.messages(), gr.update()
            time.sleep(0.02)

    def _store_turn(self, session: ChatSession, turn: Turn, request: gr.Request | None) -> None:
        owner = self.owner(request)
        if session.conversation_id is None:
            session.conversation_id = self.conversations.create(owner, turn.question)
        self.conversations.add_turn(owner, session.conversation_id, turn.question, turn.answer or {})

    def next_step(self, answer: dict[str, Any], request: gr.Request | None) -> str:
        """Where to turn when the material does not answer: the contact route the actor
        register gives for an actor among the nearest passages, or for one the question names."""
        actors = self.assistant.catalog.actor_rows(self.asker(request).rank)
        near = {r["doc_id"] for r in answer["retrieved"][:5]}
        question = answer["question"].lower()
        for name, _kind, person, _role, _mandate, contact, source in actors:
            named = any(word and word.lower() in question for word in (name, person))
            if contact != NOT_STATED and (source.split(" (ur ")[0] in near or named):
                return f"Fråga {person or name} ({name}): {contact}."
        return ""

    def stop(self, request: gr.Request) -> None:
        self.session(request).stop()

    def open_source(self, reference: str, request: gr.Request) -> str:
        """The document of card "answer-n" (as the chat's "Visa i dokumentet" sends it), the
        passage marked; access is checked again."""
        try:
            number, n = (int(part) for part in reference.split("#")[0].split("-"))
        except ValueError:
            return ""
        answer = self.session(request).answer_of(number)
        passages = [*answer["citations"], *answer["retrieved"][:3]] if answer else []
        if not 0 < n <= len(passages):
            return ""
        passage = passages[n - 1]
        document = self.assistant.catalog.document(passage["doc_id"], self.asker(request).rank)
        if document is None:
            return "<p>Dokumentet finns inte eller är inte tillgängligt för din roll.</p>"
        quoted = list(passage.get("quoted", []))
        return document_view(document, passage["text"], quoted, cited_pdf_page(document, passage, quoted))

    def rate(self, rating: int, comment: str, request: gr.Request) -> str:
        answered = self.session(request).answered()
        if not answered:
            return "Ställ en fråga först."
        asker = self.asker(request)
        if asker.signed_out:
            return SIGNED_OUT_MESSAGE
        history = [turn.question for turn in answered[:-1]]
        self.feedback.record(answered[-1].answer, rating, comment or "", asker.name, asker.role, history)
        return "Tack! Betyget är sparat." if rating > 0 else "Tack! Vi använder det för att förbättra svaren."

    def rate_good(self, comment: str, request: gr.Request) -> str:
        return self.rate(1, comment, request)

    def rate_bad(self, comment: str, request: gr.Request) -> str:
        return self.rate(-1, comment, request)

    # -- conversations -------------------------------------------------------------------
    def conversation_list(self, request: gr.Request | None, selected: int | None = None) -> dict:
        """The user's conversations as the list's choices (title and date, the latest first)."""
        choices = [(f"{c.title} ({c.updated})", c.id) for c in self.conversations.list(self.owner(request))]
        return gr.update(choices=choices, value=selected)

    def new_conversation(self, request: gr.Request) -> tuple:
        """An empty conversation: nothing of the earlier one is context for the next question.
        Runs outside the queue, like ``enqueue``, so a question sent right after the click
        lands in the new conversation instead of being reset away; the question box is left
        as it is, so nothing typed is lost."""
        self.session(request).reset()
        return [], self.conversation_list(request), "", ""

    def reopen(self, conversation_id: int | None, request: gr.Request) -> tuple:
        """Show a stored conversation; the next question follows on from it."""
        if conversation_id is None:
            return gr.update(), gr.update(), gr.update()
        turns = self.conversations.turns(self.owner(request), int(conversation_id))
        session = self.session(request)
        session.reset(int(conversation_id), [Turn(question, answer) for question, answer in turns])
        return session.messages(), "", ""

    def rename(self, conversation_id: int | None, title: str, request: gr.Request) -> tuple:
        if conversation_id is None:
            return gr.update(), "Välj ett samtal i listan först."
        self.conversations.rename(self.owner(request), int(conversation_id), title or "")
        return self.conversation_list(request, int(conversation_id)), ""

    def delete(self, conversation_id: int | None, request: gr.Request) -> tuple:
        """Delete the chosen conversation; when it is the one shown, start a new one."""
        if conversation_id is None:
            return gr.update(), gr.update(), gr.update()
        self.conversations.delete(self.owner(request), int(conversation_id))
        session = self.session(request)
        if session.conversation_id == int(conversation_id):
            session.reset()
        return self.conversation_list(request), session.messages(), ""

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
        access: str | None,
        title: str | None,
        request: gr.Request,
        progress=gr.Progress(track_tqdm=True),  # noqa: B008  (Gradio injects the bar through the default)
    ):
        """Save the uploaded files in the corpus at the chosen access level (and title) and
        re-ingest it; one result row per file."""
        if not self.asker(request).admin:
            return _results([["–", "nekad", "Bara administratörer kan ladda upp och indexera."]]), gr.update()
        try:
            report = self.uploader.save_and_reindex(files or [], access, title or "")
        except IngestBusy as error:
            return _results([["–", "upptagen", str(error)]]), gr.update()
        self.assistant.reload()
        return _results(result_rows(report)), self.documents("", request)

    # -- layout --------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        self._on_load: list[tuple[Any, Any, Any]] = []  # filled per role when a page opens
        with gr.Blocks(title="Plattformsassistenten") as demo:
            gr.Markdown(WELCOME, elem_id="valkommen")
            banner = gr.Markdown(elem_classes="banner", elem_id="banner")
            with gr.Tabs(overflow_behavior="wrap"):  # at phone width every tab stays visible
                with gr.Tab("Chatt", id="chatt"):
                    self._chat_tab(banner)
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
            self._reaper = SessionReaper(demo, on_forget=self._forget_session)
        return demo

    def api_chat(self, question: str, history: list[str] | None = None, request: gr.Request = None) -> dict:
        """The chat as an API: the `ask --json` object for the question (and earlier turns),
        with each "path" named "source_path": gradio_client takes any object with a "path"
        key for a file to download."""
        if self._reaper is not None:
            self._reaper.note_api_call(getattr(request, "session_hash", None))
        return _rename_path_keys(self.ask(question, list(history or []), request))

    def _chat_tab(self, banner: gr.Markdown) -> None:
        with gr.Accordion("Dina samtal", open=False, elem_id="samtalslista"):
            conversations = gr.Dropdown(
                label="Öppna ett tidigare samtal", choices=[], value=None, elem_id="tidigare-samtal"
            )
            with gr.Row():
                title = gr.Textbox(label="Nytt namn på samtalet", scale=4, elem_id="samtalsnamn")
                rename = gr.Button("Byt namn", scale=1, elem_id="byt-namn")
                delete = gr.Button("Ta bort samtalet", scale=1, variant="stop", elem_id="ta-bort-samtal")
        chat = gr.Chatbot(label="Samtal", height=520, elem_id="samtal", buttons=[], feedback_options=None)
        with gr.Row():
            question = gr.Textbox(
                label="Din fråga",
                placeholder="Ställ en fråga om plattformen, t.ex. ”Vem förbereder underlaget för LOI?”",
                scale=8,
                elem_id="fraga",
            )
            send = gr.Button("Fråga", variant="primary", scale=1, elem_id="skicka")
            stop = gr.Button("Stoppa svaret", scale=1, elem_id="stoppa")
            clear = gr.Button("Nytt samtal", scale=1, elem_id="nytt-samtal")
        request_box = gr.Textbox(visible="hidden", elem_id="kallbegaran", label="Källa att öppna")
        open_card = gr.Button("Öppna källan", visible="hidden", elem_id="oppna-kalla")
        viewer = gr.HTML(elem_id="dokumentvisare")
        with gr.Row():
            comment = gr.Textbox(label="Kommentar till svaret (valfri)", scale=6, elem_id="kommentar")
            good = gr.Button("✓ Bra svar", scale=1, elem_id="bra")
            bad = gr.Button("✗ Dåligt svar", scale=1, elem_id="daligt")
        thanks = gr.Markdown(elem_id="tack")
        groups = []
        for group, questions in EXAMPLES.items():
            with gr.Column(visible=False) as column:
                gr.Examples(questions, inputs=question, label=f"Exempel: {group}")
            groups.append(column)
        for trigger in (send.click, question.submit):
            trigger(
                self.enqueue, question, [chat, question, banner], queue=False, trigger_mode="multiple"
            ).then(self.answer_waiting, None, [chat, conversations], concurrency_limit=None)
        stop.click(self.stop, None, None, queue=False)
        for trigger in (clear.click, chat.clear):
            trigger(self.new_conversation, None, [chat, conversations, viewer, thanks], queue=False)
        conversations.input(self.reopen, conversations, [chat, viewer, thanks])
        rename.click(self.rename, [conversations, title], [conversations, title])
        delete.click(self.delete, conversations, [conversations, chat, viewer])
        open_card.click(self.open_source, request_box, viewer, js=_CARD_CLICKED).then(
            None, js=_SCROLL_TO_CITED
        )
        good.click(self.rate_good, comment, thanks)
        bad.click(self.rate_bad, comment, thanks)
        self._on_load.append((self.conversation_list, None, conversations))
        self._on_load.append((self.example_groups, None, groups))

    def example_groups(self, request: gr.Request) -> list[dict]:
        """Show the examples of the asker's group (all groups in local mode)."""
        group = example_group(self.asker(request).role, self.settings)
        return [gr.update(visible=group in (None, name)) for name in EXAMPLES]

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
            with gr.Row():
                access = gr.Dropdown(
                    [(level.label, level.value) for level in ACCESS_LEVELS],
                    value=str(self.settings.default_access),
                    label="Vem får läsa filerna (åtkomstnivå)",
                    elem_id="uppladdning-atkomst",
                )
                title = gr.Textbox(
                    label="Titel (tom: dokumentets första rubrik eller PDF-titel)",
                    elem_id="uppladdning-titel",
                )
            ingest = gr.Button("Ladda upp och indexera", variant="primary", elem_id="indexera")
            results = gr.Dataframe(
                headers=["Fil", "Status", "Meddelande"], interactive=False, wrap=True, elem_id="resultat"
            )
        search.change(self.documents, search, table)
        show.click(self.show_document, doc_id, viewer)
        table.select(self.open_document_row, None, viewer)
        doc_id.submit(self.show_document, doc_id, viewer)
        ingest.click(self.upload, [files, access, title], [results, table])
        self._on_load.append((self.documents, search, table))
        self._on_load.append((self.admin_visibility, None, admin))


def _results(rows: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["Fil", "Status", "Meddelande"])


def cited_pdf_page(document: Document, passage: dict[str, Any], quoted: list[str]) -> tuple[int, str] | None:
    """The cited page of a PDF source as (page number, PNG data URI), or None (not a PDF, no
    page, the file gone)."""
    page = passage.get("page")
    if not page or not document.path.casefold().endswith(".pdf"):
        return None
    pdf = source_file(str(document.chunks[0].metadata.get("source_root", "")), document.doc_id)
    image = page_image(pdf, int(page), tuple(quoted)) if pdf else None
    return (int(page), image) if image else None


def _rename_path_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {("source_path" if k == "path" else k): _rename_path_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename_path_keys(v) for v in value]
    return value
