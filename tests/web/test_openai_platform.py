"""The issue's example through the OpenAI-compatible API on the real corpus with the product's
model: "Vilka tre uppdrag har plattformen?" names the three missions and cites the passage it
quotes them from, streamed and not (local mode: loopback, any key). Since the learned selector
(stop 25) that passage is the platform's record, not the summary's list (evals/README.md)."""

from __future__ import annotations

import openai
import pytest

from app.api.openai_routes import EXTRA_FIELD, MODEL_ID
from tests.assistant.test_platform_answers import MISSION_WORDS
from tests.conftest import REPO
from tests.web.conftest import running_app

pytestmark = pytest.mark.slow

QUESTION = [{"role": "user", "content": "Vilka tre uppdrag har plattformen?"}]


def _cites_the_missions(content: str, details: dict) -> None:
    naming = [c for c in details["citations"] if "kompetensattraktion" in c["text"].casefold()]
    assert naming, "no citation of a passage that names the missions"
    assert all(m.casefold() in content.casefold() for m in MISSION_WORDS)
    assert f"[{naming[0]['n']}]" in content
    assert naming[0]["path"] in content.split("Källor:", 1)[1]


def test_the_three_missions_cited_streamed_and_not(tmp_path) -> None:
    corpus = {
        str(path.relative_to(REPO / "corpus")): path.read_text(encoding="utf-8")
        for path in (REPO / "corpus").rglob("*.md")
    }
    with running_app(tmp_path, corpus, {}, minilm=False) as (url, _, _):
        client = openai.OpenAI(base_url=f"{url}v1", api_key="lokal", max_retries=0, timeout=300)
        reply = client.chat.completions.create(model=MODEL_ID, messages=QUESTION)
        _cites_the_missions(reply.choices[0].message.content, reply.model_extra[EXTRA_FIELD])
        chunks = list(client.chat.completions.create(model=MODEL_ID, messages=QUESTION, stream=True))
        content = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
        _cites_the_missions(content, chunks[-1].model_extra[EXTRA_FIELD])
