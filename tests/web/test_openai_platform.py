"""The issue's example through the OpenAI-compatible API on the real corpus with the product's
model: "Vilka tre uppdrag har plattformen?" cites the passage that lists the three missions,
streamed and not (local mode: loopback, any key)."""

from __future__ import annotations

import openai
import pytest

from app.api.openai_routes import EXTRA_FIELD, MODEL_ID
from tests.assistant.test_platform_answers import MISSIONS
from tests.conftest import REPO
from tests.web.conftest import running_app

pytestmark = pytest.mark.slow

QUESTION = [{"role": "user", "content": "Vilka tre uppdrag har plattformen?"}]


def _cites_the_missions(content: str, details: dict) -> None:
    listing = [c for c in details["citations"] if all(m in c["text"] for m in MISSIONS)]
    assert listing, "no citation of the passage that lists the three missions"
    assert listing[0]["path"].endswith("workshopserien-sammanfattning.md")
    assert all(m in content for m in MISSIONS) and f"[{listing[0]['n']}]" in content
    assert listing[0]["path"] in content.split("Källor:", 1)[1]


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
