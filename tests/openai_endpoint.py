"""A small OpenAI-compatible chat endpoint on loopback whose reply each test chooses.

Real HTTP, real SSE streaming, real client: only the model's words are scripted, so a test
can make the "model" invent a fact, cite a passage that was never retrieved, fail, stall
or answer garbage, and see what the user would be shown.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedEndpoint:
    """``with ScriptedEndpoint() as endpoint:`` then set ``endpoint.reply`` / ``endpoint.mode``.

    Modes: "ok" streams ``reply`` in small pieces; "echo" streams back everything it was sent
    (a model that repeats its whole prompt); "error" answers HTTP 500; "garbage" answers 200
    with HTML; "slow" waits ``delay`` seconds before anything.
    """

    def __init__(self) -> None:
        self.reply = ""
        self.mode = "ok"
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> ScriptedEndpoint:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def prompt_text(self) -> str:
        """Everything the model was sent in the last request."""
        return "\n".join(message["content"] for message in self.requests[-1]["messages"])

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                endpoint.requests.append(body)
                if endpoint.mode == "slow":
                    time.sleep(endpoint.delay)
                if endpoint.mode == "error":
                    self._send(500, "application/json", b'{"error": {"message": "modellen kraschade"}}')
                elif endpoint.mode == "garbage":
                    self._send(200, "text/html", b"<html><body>502 Bad Gateway</body></html>")
                elif endpoint.mode == "echo":
                    self._stream(endpoint.prompt_text())
                elif body.get("stream"):
                    self._stream(endpoint.reply)
                else:
                    message = {"role": "assistant", "content": endpoint.reply}
                    choice = {"index": 0, "message": message, "finish_reason": "stop"}
                    payload = {"id": "x", "object": "chat.completion", "created": 0, "model": "m"}
                    payload["choices"] = [choice]
                    self._send(200, "application/json", json.dumps(payload).encode())

            def _send(self, status: int, content_type: str, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [text[i : i + 7] for i in range(0, len(text), 7)]
                for piece in pieces:
                    choice = {"index": 0, "delta": {"content": piece}, "finish_reason": None}
                    delta = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m"}
                    delta["choices"] = [choice]
                    self.wfile.write(f"data: {json.dumps(delta)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        return Handler
