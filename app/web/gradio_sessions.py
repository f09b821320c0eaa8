"""Forget the per-session state Gradio would otherwise keep until 10 000 sessions are held.

Gradio (6.x, ``gradio/state_holder.py``) keeps a ``SessionState`` for every session hash it
sees: a copy of every component's config, 107 KB with this app's 68 blocks (measured with
tracemalloc over 200 copies, 2026-12-04). It drops one only when ``state_session_capacity``
(10 000) are held, so a worker grows by up to ~1 GB. A browser tab is one session, but every
call of the ``/chat`` API over ``/gradio_api/call/chat`` is a new one: under the load test (20
clients, ~13 answers/s per worker) that was ~190 MB more per worker per two minutes, and the
peak RSS target of 1.5 GB per worker was missed (evals/README.md, "Minnet under last").

A lower capacity is not the answer: the least recently used state would go, which may be an
open tab whose conversation list (a dropdown whose choices the server set) then refuses its
own value. This forgets only what no one will use again:

* an API call's session once ``keep_api`` newer API calls have begun (by then it has
  finished: each worker answers at most ``app_concurrency`` at a time);
* a browser tab's session an hour after its tab closed (Gradio marks it closed when the tab's
  heartbeat stream ends and, by its own comment, means to keep it "for an hour to give the
  user time to reopen the session"), together with the app's own state for it (``on_forget``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

import gradio as gr

# Gradio's own grace for a closed tab (SessionState.STATE_TTL_WHEN_CLOSED, seconds).
CLOSED_TAB_GRACE_S = 3600.0
# How often at most the closed tabs are looked for, in seconds; not tuned (cheap either way).
_SWEEP_EVERY_S = 60.0


class SessionReaper:
    """Drops Gradio's ``SessionState`` of finished API calls and of tabs closed for
    ``closed_grace_s`` seconds from ``blocks``'s state holder (present once the Blocks are
    mounted; before that there is nothing to drop). ``keep_api``: how many recent API sessions
    are kept (≥ 1; 64 × 107 KB ≈ 7 MB). ``on_forget(session_hash)`` is called for each tab
    session dropped, for state the app keeps itself. ``clock``: monotonic seconds, for tests.
    Thread-safe."""

    def __init__(
        self,
        blocks: gr.Blocks,
        on_forget: Callable[[str], None] = lambda _hash: None,
        keep_api: int = 64,
        closed_grace_s: float = CLOSED_TAB_GRACE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if keep_api < 1:
            raise ValueError(f"keep_api måste vara minst 1, inte {keep_api}")
        self._blocks = blocks
        self._on_forget = on_forget
        self._keep_api = keep_api
        self._closed_grace_s = closed_grace_s
        self._clock = clock
        self._api_sessions: deque[str] = deque()
        self._closed_since: dict[str, float] = {}
        self._next_sweep = 0.0
        self._lock = threading.Lock()

    def api_call(self, session_hash: str | None) -> None:
        """Note an API call's session; drop the state of the oldest beyond ``keep_api``."""
        if not session_hash:
            return
        with self._lock:
            self._api_sessions.append(session_hash)
            while len(self._api_sessions) > self._keep_api:
                old = self._api_sessions.popleft()
                if old not in self._api_sessions:  # one client may reuse its hash
                    self._drop(old)

    def sweep(self) -> list[str]:
        """Drop the tabs closed for ``closed_grace_s`` (at most once a minute; call it often).
        Returns the session hashes dropped."""
        now = self._clock()
        holder = getattr(self._blocks, "state_holder", None)
        with self._lock:
            if holder is None or now < self._next_sweep:
                return []
            self._next_sweep = now + _SWEEP_EVERY_S
            for session_hash, state in list(holder.session_data.items()):
                if getattr(state, "is_closed", False):
                    self._closed_since.setdefault(session_hash, now)
                else:
                    self._closed_since.pop(session_hash, None)  # reopened
            expired = [h for h, since in self._closed_since.items() if now - since >= self._closed_grace_s]
            for session_hash in expired:
                del self._closed_since[session_hash]
                self._drop(session_hash)
        for session_hash in expired:
            self._on_forget(session_hash)
        return expired

    def _drop(self, session_hash: str) -> None:
        holder = getattr(self._blocks, "state_holder", None)
        if holder is None:
            return
        with holder.lock:
            holder.session_data.pop(session_hash, None)
            holder.time_last_used.pop(session_hash, None)
