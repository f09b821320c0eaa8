"""The OpenAI-compatible chat API: ``GET /v1/models`` and ``POST /v1/chat/completions``
(``stream`` false or true, the latter as server-sent events in OpenAI's chunk format ending
``data: [DONE]``), for any chat front end that speaks OpenAI (Open WebUI, LibreChat, ...).

Thin: parse the request, ask through the Gateway, format. The reply's ``content`` is the
answer with [n] markers and a "Källor:" list; the extra field ``plattformsassistenten`` holds
abstained, writer, notice and the structured citations. Errors are OpenAI error objects
(``{"error": {"message", "type", "param", "code"}}``) with Swedish messages.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.api.auth import Unauthorized, caller_for
from app.api.gateway import Caller, Gateway, checked_question
from app.api.reply import answer_details, notice_block, reply_text, sources_block
from assistant.answer import Answer
from kbcore.users import UserStore

MODEL_ID = "plattformsassistenten"
EXTRA_FIELD = "plattformsassistenten"

NOT_JSON = "Anropet ska vara ett JSON-objekt med ”model” och ”messages”."
NO_QUESTION = "Ingen fråga: ”messages” ska sluta med ett meddelande med rollen ”user”."
UNKNOWN_MODEL = "Modellen {model!r} finns inte; den enda modellen är ”" + MODEL_ID + "”."


class ApiError(Exception):
    """An error to send as an OpenAI error object with this HTTP status."""

    def __init__(self, status: int, message: str, kind: str, code: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.code, self.param = status, kind, code, param

    def response(self) -> JSONResponse:
        error = {"message": str(self), "type": self.kind, "param": self.param, "code": self.code}
        return JSONResponse({"error": error}, status_code=self.status)


def openai_router(gateway: Gateway, users: UserStore) -> APIRouter:
    """The /v1 routes over ``gateway``; ``users`` maps API keys to roles (read per request,
    so a new key works without a restart)."""
    router = APIRouter()

    def caller(request: Request) -> Caller:
        try:
            return caller_for(
                users, request.headers.get("authorization"), request.client and request.client.host, "openai"
            )
        except Unauthorized as error:
            raise ApiError(401, str(error), "invalid_request_error", error.code) from None

    @router.get("/v1/models")
    async def models(request: Request) -> JSONResponse:
        try:
            await run_in_threadpool(caller, request)  # a key check is a deliberate ~50 ms of scrypt
        except ApiError as error:
            return error.response()
        model = {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "plattformsassistenten"}
        return JSONResponse({"object": "list", "data": [model]})

    @router.post("/v1/chat/completions")
    async def chat_completions(request: Request):
        try:
            who = await run_in_threadpool(caller, request)
            body = await _json_object(request)
            question, history = _conversation(body)
        except ApiError as error:
            return error.response()
        reply_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if body.get("stream"):
            chunks = _stream(gateway.ask_stream(who, question, history), reply_id, created)
            return StreamingResponse(chunks, media_type="text/event-stream")
        try:
            answer = await run_in_threadpool(gateway.ask, who, question, history)
        except ValueError as error:  # e.g. the generative writer asked for without a language model
            return ApiError(400, str(error), "invalid_request_error", "cannot_answer").response()
        return JSONResponse(_completion(answer, reply_id, created))

    return router


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, NOT_JSON, "invalid_request_error", "invalid_json")
    if body.get("model") != MODEL_ID:
        message = UNKNOWN_MODEL.format(model=body.get("model"))
        raise ApiError(404, message, "invalid_request_error", "model_not_found", "model")
    return body


def _conversation(body: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """(question, earlier questions): the last message must be the user's; earlier user
    messages are the conversation. ApiError for a missing or content-free question."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages or not isinstance(messages[-1], dict):
        raise ApiError(400, NO_QUESTION, "invalid_request_error", "missing_question", "messages")
    if messages[-1].get("role") != "user":
        raise ApiError(400, NO_QUESTION, "invalid_request_error", "missing_question", "messages")
    texts = [_text(m.get("content")) for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    try:
        question = checked_question(texts[-1])
    except ValueError as error:
        raise ApiError(400, str(error), "invalid_request_error", "empty_question", "messages") from None
    return question, tuple(texts[:-1])


def _text(content: Any) -> str:
    """A message's text: a string, or the text parts of a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [part for part in content if isinstance(part, dict) and part.get("type") == "text"]
        return " ".join(str(part.get("text", "")) for part in parts)
    return ""


def _completion(answer: Answer, reply_id: str, created: int) -> dict[str, Any]:
    message = {"role": "assistant", "content": reply_text(answer)}
    return {
        "id": reply_id,
        "object": "chat.completion",
        "created": created,
        "model": MODEL_ID,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        EXTRA_FIELD: answer_details(answer),
    }


def _stream(items: Iterator[str | Answer], reply_id: str, created: int) -> Iterator[str]:
    """Server-sent events: the role, the answer's text as it grows (a generated answer
    sentence by sentence once verified), the notice and sources, a last chunk with
    finish_reason "stop" and the extra field, then ``[DONE]``. Runs in Starlette's thread
    pool (the Assistant is synchronous)."""

    def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        chunk = {
            "id": reply_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        } | extra
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    shown = ""
    for item in items:
        if isinstance(item, str):
            if item.startswith(shown) and item != shown:
                yield event({"content": item[len(shown) :]})
                shown = item
            continue
        answer = item
    # When the generated text did not hold up, the quoted answer follows what was shown.
    rest = answer.answer[len(shown) :] if answer.answer.startswith(shown) else "\n\n" + answer.answer
    yield event({"content": rest + notice_block(answer) + sources_block(answer)})
    yield event({}, "stop", **{EXTRA_FIELD: answer_details(answer)})
    yield "data: [DONE]\n\n"
