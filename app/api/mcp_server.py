"""The MCP server (official ``mcp`` SDK): the assistant as tools and resources for AI
assistants that speak the Model Context Protocol, over stdio (`assistant mcp`).

Tools: ``sok_i_materialet(fraga, antal)`` (the best passages, each with its source) and
``fraga_assistenten(fraga)`` (the cited answer, as in the app). Resources:
``plattformen://beslut`` and ``plattformen://aktorer`` (the decision and actor registers as
JSON). Everything runs through the Gateway for one Caller, so it sees what that role may read
and every answer and search reaches the audit seam.
"""

from __future__ import annotations

import contextlib
import json
import sys
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from app.api.gateway import Caller, Gateway
from app.api.reply import answer_details, reply_text
from assistant.audit import AuditLog
from assistant.service import Assistant
from kbcore.settings import Settings

INSTRUCTIONS = (
    "Plattformsassistenten svarar på frågor om den gemensamma investeringsplattformen "
    "(Tillväxtmotorn) i Jämtland Härjedalen, med citat ur materialet. Använd fraga_assistenten "
    "för ett färdigt svar med källor, sok_i_materialet för att läsa de bästa styckena själv, och "
    "resurserna plattformen://beslut och plattformen://aktorer för besluts- och aktörsregistren. "
    "Citera källorna ([n]) när du återger svaret."
)
MOST_PASSAGES = 20  # enough to read around a topic; more only floods the calling model's context


def build_server(gateway: Gateway, caller: Caller) -> MCPServer:
    """The MCP server whose tools and resources answer for ``caller``."""
    server = MCPServer("Plattformsassistenten", instructions=INSTRUCTIONS)

    @server.tool()
    def sok_i_materialet(
        fraga: str, antal: Annotated[int, Field(ge=1, le=MOST_PASSAGES)] = 5
    ) -> list[dict[str, Any]]:
        """Sök i plattformens material: de `antal` stycken som bäst svarar mot frågan, bäst
        först, vart och ett med källa (titel, rubrik, sida, sökväg) och poäng."""
        try:
            passages = gateway.search(caller, fraga, antal)
        except ValueError as error:
            raise ToolError(str(error)) from None
        return [
            {
                "n": n,
                "titel": str(item.chunk.metadata.get("title", "")),
                "rubrik": str(item.chunk.metadata.get("heading", "")),
                "sida": int(item.chunk.metadata.get("page") or 0) or None,
                "sokvag": str(item.chunk.metadata.get("path", "")),
                "poang": round(item.score, 6),
                "text": item.chunk.text,
            }
            for n, item in enumerate(passages, start=1)
        ]

    @server.tool()
    def fraga_assistenten(fraga: str) -> dict[str, Any]:
        """Ställ en fråga till Plattformsassistenten: svaret med numrerade hänvisningar [n]
        och en lista "Källor:" (i "svar"), om den avstod ("avstod") och citaten strukturerade
        ("citat"). Svarar "Det framgår inte av materialet." när materialet inte svarar."""
        try:
            answer = gateway.ask(caller, fraga)
        except ValueError as error:
            raise ToolError(str(error)) from None
        details = answer_details(answer)
        return {"svar": reply_text(answer), "avstod": answer.abstained, "citat": details["citations"]}

    @server.resource("plattformen://beslut", name="beslut", mime_type="application/json")
    def beslut() -> str:
        """Beslutsregistret: beslut, när, beslutat av, förbereds av, status och källa."""
        return json.dumps(gateway.register(caller, "beslut"), ensure_ascii=False)

    @server.resource("plattformen://aktorer", name="aktorer", mime_type="application/json")
    def aktorer() -> str:
        """Aktörer och mandat: aktör, slag, person, roll, mandat, kontakt och källa."""
        return json.dumps(gateway.register(caller, "aktorer"), ensure_ascii=False)

    return server


def run_stdio(settings: Settings, role: str | None) -> None:
    """Serve MCP over stdin/stdout until the client closes it; ``role`` None means full
    access (local use, like the CLI). Every answer and search goes to the audit log in
    settings.feedback_db, channel "mcp". The model loads before the first message is read."""
    with contextlib.redirect_stdout(sys.stderr):  # stdout carries the protocol and nothing else
        assistant = Assistant(settings)
        assistant.embedder.embed_queries(["uppvärmning"])
    build_server(Gateway(assistant, AuditLog(settings.feedback_db)), Caller(None, role, "mcp")).run("stdio")
