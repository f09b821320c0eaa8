"""`assistant mcp` over stdio with the official MCP client: the tools are listed, a question
gets a cited answer, a search gets passages with their sources, the registers are resources,
and a partner's server never shows the steering group's facts."""

from __future__ import annotations

import asyncio
import json
import os
import sys

from mcp import Client
from mcp.client.stdio import StdioServerParameters

from assistant.audit import QUESTION, SEARCH, AuditLog
from assistant.texts import EMPTY_QUESTION
from tests.conftest import REPO
from tests.web.conftest import RESTRICTED_FACT, app_env

LOI_QUESTION = "Vem förbereder underlaget för Letter of Intent?"


def _server(root, role: str) -> StdioServerParameters:
    """`python -m app.cli mcp --role ROLE` over the test app's index (this worktree's code)."""
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "app.cli", "mcp", "--role", role],
        env={**os.environ, **app_env(root)},
        cwd=str(REPO),
    )


async def _session(root, role: str) -> dict:
    async with Client(_server(root, role), read_timeout_seconds=120) as client:
        tools = await client.list_tools()
        answer = await client.call_tool("fraga_assistenten", {"fraga": LOI_QUESTION})
        search = await client.call_tool("sok_i_materialet", {"fraga": LOI_QUESTION, "antal": 2})
        budget = await client.call_tool(
            "fraga_assistenten", {"fraga": "Hur stor är budgeten för förberedelsefasen?"}
        )
        empty = await client.call_tool("fraga_assistenten", {"fraga": "???"})
        resources = await client.list_resources()
        decisions = await client.read_resource("plattformen://beslut")
        return {
            "tools": {tool.name for tool in tools.tools},
            "answer": answer,
            "search": search,
            "budget": budget,
            "empty": empty,
            "resources": {str(resource.uri) for resource in resources.resources},
            "decisions": json.loads(decisions.contents[0].text),
        }


def test_an_mcp_session_lists_the_tools_and_gets_a_cited_answer(app_server) -> None:
    _, settings, root = app_server
    seen = asyncio.run(_session(root, "remisspartner"))
    assert seen["tools"] == {"fraga_assistenten", "sok_i_materialet"}

    answer = seen["answer"].structured_content
    assert not seen["answer"].is_error and not answer["avstod"]
    cited = [c for c in answer["citat"] if c["path"].endswith("plattformen.md")]
    assert cited and "Magnus Aspegren" in answer["svar"] and f"[{cited[0]['n']}]" in answer["svar"]
    assert "Källor:" in answer["svar"] and cited[0]["path"] in answer["svar"]

    passages = seen["search"].structured_content["result"]
    assert len(passages) == 2 and passages[0]["sokvag"].endswith(".md") and passages[0]["text"]

    assert seen["empty"].is_error and EMPTY_QUESTION in seen["empty"].content[0].text
    assert seen["resources"] == {"plattformen://beslut", "plattformen://aktorer"}
    assert [row["Beslut"] for row in seen["decisions"]] == ["Underteckna Letter of Intent i januari."]
    everything = json.dumps({k: str(v) for k, v in seen.items()}, ensure_ascii=False)
    assert RESTRICTED_FACT not in everything  # a partner's server: no steering-group budget anywhere
    rows = AuditLog(settings.feedback_db).rows()
    audited = {(r["event"], r["question"]) for r in rows if r["channel"] == "mcp"}
    assert {(QUESTION, LOI_QUESTION), (SEARCH, LOI_QUESTION)} <= audited  # the same audit as the app
