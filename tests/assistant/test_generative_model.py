"""End to end with a real model: Qwen2.5-Coder-0.5B (GGUF from PyPI, sha256-verified by
`make test`) served by `assistant llm-serve` on loopback, spoken to over HTTP by the
generative writer, its sentences checked by the verifier. Temperature 0: the same build
gives the same words."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.grounding import grounding_turns
from assistant.llm import ChatModel
from assistant.service import Assistant
from assistant.verifier import Verifier
from ingest.sync import run_ingest
from kbcore.loopback import free_port
from kbcore.settings import get_settings
from kbcore.tuning import GenerationSettings
from tests.conftest import front_matter_doc, write_files

pytestmark = pytest.mark.slow

_greedy = GenerationSettings(temperature=0.0)
DECISION = (
    "Magnus Aspegren och Martin Söderström tar fram underlag för formellt beslut och undertecknande "
    "av Letter of Intent (LOI) till styrgruppens sammanträde i januari."
)
REFERENCE_GROUP = "Styrgruppen utser en referensgrupp i samband med starten av förberedelsefasen."


@pytest.fixture(scope="module")
def model_url():
    gguf = get_settings().generator_gguf
    assert gguf.is_file(), f"{gguf} saknas: `make test` hämtar den (python -m kbcore.model_fetch generator)"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "llm-serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        ready = server.stdout.readline()  # printed once the model is loaded and listening
        assert "svarar på" in ready, f"llm-serve startade inte: {ready!r}"
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_grounded_answer_with_valid_citations_is_shown(
    tmp_path: Path, settings, embedder, model_url
) -> None:
    corpus = write_files(
        tmp_path / "korpus",
        {
            "beslut.md": front_matter_doc(
                "Beslut om underlag", "styrgrupp", f"# Beslut\n\n{DECISION}", "beslut"
            ),
            "referens.md": front_matter_doc(
                "Referensgruppen", "intern", f"# Referensgrupp\n\n{REFERENCE_GROUP}"
            ),
        },
    )
    run_ingest([str(corpus)], settings, embedder)
    assistant = Assistant(
        settings.model_copy(update={"llm_base_url": model_url, "generation": _greedy, "llm_timeout": 120.0})
    )
    started = time.monotonic()
    answer = assistant.ask("Vem tar fram underlaget för formellt beslut?", generative=True).to_json()
    seconds = time.monotonic() - started
    print(f"\nmodellens svar på {seconds:.1f} s: {answer['answer']!r}, borttaget: {answer['removed']}")
    assert answer["writer"] == "generative", answer.get("removed")
    assert "Aspegren" in answer["answer"] and "Söderström" in answer["answer"]
    cited = {citation["n"]: citation for citation in answer["citations"]}
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])}
    assert markers == set(cited)  # every marker resolves to a citation card and back
    assert any(c["path"].endswith("beslut.md") and DECISION in c["text"] for c in cited.values())
    retrieved = {item["text"] for item in answer["retrieved"]}
    assert all(c["text"] in retrieved for c in cited.values())


def test_an_invented_amount_is_caught_by_the_verifier(model_url) -> None:
    """No passage states a budget; the model states one anyway, and it must not get through."""
    passages = [DECISION, REFERENCE_GROUP]
    fused = [
        SimpleNamespace(chunk=SimpleNamespace(text=text, metadata={"title": "Beslut"})) for text in passages
    ]
    turns, _ = grounding_turns(
        "Hur stor är budgeten för Tillväxtmotorn i miljoner kronor?", fused, "Det framgår inte av materialet."
    )
    settings = get_settings().model_copy(
        update={"llm_base_url": model_url, "generation": _greedy, "llm_timeout": 120.0}
    )
    reply = "".join(ChatModel(settings).stream(turns))
    verifier = Verifier(settings.verifier)
    checked = [verifier.check(text, cites, passages) for text, cites in verifier.sentences(reply)]
    print(f"\nmodellens svar: {reply!r}")
    invented = [c for c in checked if re.search(r"\d", c.text) and not any(
        number in " ".join(passages) for number in re.findall(r"\d+", c.text))]  # fmt: skip
    assert invented, f"the model stated no amount this time: {reply!r}"
    assert all(not c.kept and c.reason.startswith("talet ") for c in invented)
