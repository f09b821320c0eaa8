"""The generative model behind an OpenAI-compatible endpoint, with a hard deadline.

llama-index's ``OpenAILike`` speaks to Ollama's ``/v1``, llama.cpp's server, vLLM or a
hosted API alike. Its timeout bounds each network read, not the answer: a server that
trickles tokens could hold a user for minutes. So the stream is read in a worker thread
and abandoned at the deadline; the caller then shows the quoted answer instead.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from kbcore.settings import Settings


class LlmUnavailable(RuntimeError):
    """The endpoint failed, timed out or answered with something that is not a chat reply."""


@dataclass(frozen=True)
class ChatTurn:
    role: str  # "system" | "user" | "assistant"
    content: str


_DONE = object()


class ChatModel:
    def __init__(self, settings: Settings) -> None:
        from llama_index.llms.openai_like import OpenAILike

        if not settings.llm_base_url:
            raise ValueError("Ingen språkmodell är konfigurerad: sätt ASSISTANT_LLM_BASE_URL.")
        self.name = settings.llm_model or "lokal"
        self.timeout = settings.llm_timeout
        self._llm = OpenAILike(
            model=self.name,
            api_base=settings.llm_base_url,
            api_key=settings.llm_api_key or "ingen-nyckel",
            is_chat_model=True,
            context_window=8192,
            max_tokens=settings.generation.max_tokens,
            temperature=settings.generation.temperature,
            timeout=settings.llm_timeout,
            max_retries=0,
        )

    def stream(self, turns: list[ChatTurn]) -> Iterator[str]:
        """Text deltas of the reply; raises LlmUnavailable on any failure or at the deadline."""
        from llama_index.core.llms import ChatMessage

        messages = [ChatMessage(role=turn.role, content=turn.content) for turn in turns]
        deltas: queue.Queue = queue.Queue()

        def produce() -> None:
            try:
                for response in self._llm.stream_chat(messages):
                    deltas.put(response.delta or "")
                deltas.put(_DONE)
            except Exception as error:  # any client, HTTP or parse error means "no answer"
                deltas.put(error)

        threading.Thread(target=produce, daemon=True, name="llm-stream").start()
        deadline = time.monotonic() + self.timeout
        received = False
        while True:
            try:
                item = deltas.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise LlmUnavailable(f"språkmodellen svarade inte inom {self.timeout:g} s") from None
            if item is _DONE and not received:  # e.g. an HTML error page where the stream should be
                raise LlmUnavailable("språkmodellen gav inget svar")
            if item is _DONE:
                return
            if isinstance(item, Exception):
                raise LlmUnavailable(f"språkmodellen kunde inte nås eller svarade fel ({_describe(item)})")
            received = received or bool(item.strip())
            yield item


def _describe(error: Exception) -> str:
    """One line for the notice and the log; never a stack trace."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text[:160]}" if text else type(error).__name__
