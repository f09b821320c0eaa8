"""The load test's HTTP client reads Gradio's event stream as the app sends it: heartbeats
between events, an error event, a stream that ends without an answer. The app's real stream
is exercised in tests/web/test_load.py; these are the cases a healthy app rarely sends,
served by httpx's own transport for tests."""

from __future__ import annotations

import httpx
import pytest

from evals.load import ChatApi


def _client(stream: str, login_status: int = 200) -> ChatApi:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/login":
            return httpx.Response(login_status, json={"detail": "Fel användarnamn eller lösenord."})
        if request.method == "POST":
            return httpx.Response(200, json={"event_id": "e1"})
        return httpx.Response(200, text=stream, headers={"content-type": "text/event-stream"})

    return ChatApi("http://app.test", auth=("partner", "lösen"), transport=httpx.MockTransport(handler))


def test_the_answer_after_heartbeats_is_returned() -> None:
    stream = 'event: heartbeat\ndata: null\n\nevent: complete\ndata: [{"answer": "Svar [1]"}]\n\n'
    with _client(stream) as api:
        assert api.ask("Vad är Tillväxtmotorn?") == {"answer": "Svar [1]"}


def test_an_error_event_and_a_stream_without_an_answer_raise() -> None:
    # Gradio's error event: JSON, so the Swedish letters arrive escaped
    error = '{"error": "Kunskapsbasen g\\u00e5r inte att n\\u00e5 just nu.", "duration": 10, "visible": true}'
    failing = _client(f"event: error\ndata: {error}\n\n")
    with failing, pytest.raises(RuntimeError, match="^Kunskapsbasen går inte att nå just nu.$"):
        failing.ask("Vad är Tillväxtmotorn?")
    silent = _client("event: heartbeat\ndata: null\n\n")
    with silent, pytest.raises(RuntimeError, match="utan svar"):
        silent.ask("Vad är Tillväxtmotorn?")


def test_a_refused_login_raises_at_once() -> None:
    with pytest.raises(httpx.HTTPStatusError):
        _client("", login_status=401)
