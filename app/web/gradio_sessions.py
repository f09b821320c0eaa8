"""Forget the per-session state Gradio would otherwise keep until 10 000 sessions are held.

Gradio (6.31, ``gradio/state_holder.py``) keeps a ``SessionState`` for every session hash it
sees: a copy of every component's config, 107 KB with this app's 68 blocks (measured with
tracemalloc over 200 copies, 2026-12-04). It drops one only when ``state_session_capacity``
(10 000) are held, so a worker grows by up to ~1 GB. A browser tab is one session, but every
call of the ``/chat`` API over ``/gradio_api/call/chat`` is a new one: under the load test (20
clients, ~15 answers/s per worker) each worker grew ~125 MB per minute and missed the peak RSS
target of 1.5 GB (evals/README.md, "Minnet per arbetare").

A lower capacity is not the answer: the least recently used state would go, which may be an
open tab whose conversation list (a dropdown whose choices the server set) then refuses its
own value. This forgets only sessions no one uses:

* an API call's session once no request has used it for ``api_idle_s``. Dropping one whose
  answer still runs is harmless: the run holds its ``SessionState`` object (Gradio's
  ``restore_session_state``) and looks it up again only for stream events, which ``/chat``
  is not. A client that reuses its session hash (gradio_client) keeps it while it asks.
* a browser tab's session once the tab has closed (Gradio's ``unload`` event, which the
  reaper registers: without one Gradio opens no heartbeat and never learns that a tab closed)
  and no request has used it for ``closed_grace_s``, together with the app's own state for it
  (``on_forget``). A tab used again after its close (its connection came back) is open.
"""

from __future__ import annotations

import datetime
import threading
from collections import deque
from collections.abc import Callable

import gradio as gr

# Idle time after which a closed tab is forgotten: a working day, so that a tab whose
# connection dropped (a laptop asleep) and came back still has its state. Not tuned.
CLOSED_TAB_GRACE_S = 8 * 3600.0
# Idle time after which an API call's session is forgotten; longer than any answer takes
# (p99 under 20 clients ~3 s, evals/README.md), so a reused hash is never dropped between two
# of its requests. Not tuned.
API_IDLE_S = 10.0
# How often at most the closed tabs are looked for, in seconds; not tuned (cheap either way).
_SWEEP_EVERY_S = 60.0

Clock = Callable[[], datetime.datetime]


class SessionReaper:
    """Drops Gradio's ``SessionState`` of idle API calls and of idle closed tabs from
    ``blocks``'s state holder (the one mounting the Blocks uses). Build it inside the
    ``gr.Blocks`` context: it registers the Blocks' ``unload`` event. ``on_forget(session_hash)``
    is called for each tab session dropped, for state the app keeps itself. ``now``: the wall
    clock Gradio stamps each use with (``datetime.now``), for tests. Thread-safe."""

    def __init__(
        self,
        blocks: gr.Blocks,
        on_forget: Callable[[str], None] = lambda _hash: None,
        api_idle_s: float = API_IDLE_S,
        closed_grace_s: float = CLOSED_TAB_GRACE_S,
        now: Clock = datetime.datetime.now,
    ) -> None:
        self._blocks = blocks
        self._on_forget = on_forget
        self._api_idle = datetime.timedelta(seconds=api_idle_s)
        self._closed_grace = datetime.timedelta(seconds=closed_grace_s)
        self._now = now
        self._api_sessions: deque[str] = deque()
        self._closed: dict[str, datetime.datetime] = {}  # session hash -> when it closed
        self._next_sweep = datetime.datetime.min
        self._lock = threading.Lock()
        blocks.unload(self.tab_closed)

    def tab_closed(self, request: gr.Request) -> None:
        """Gradio's ``unload`` handler: the tab of ``request`` closed (or lost its connection)."""
        session_hash = getattr(request, "session_hash", None)
        if session_hash:
            with self._lock:
                self._closed[session_hash] = self._now()

    def note_api_call(self, session_hash: str | None) -> None:
        """Note an API call's session; drop the API sessions unused for ``api_idle_s``."""
        if not session_hash:
            return
        with self._lock:
            self._api_sessions.append(session_hash)
            # Oldest first; the first one still in use ends it (this call's own is in use).
            while self._api_sessions and self._drop_if_idle(self._api_sessions[0], self._api_idle):
                self._api_sessions.popleft()

    def sweep(self) -> list[str]:
        """Drop the closed tabs unused for ``closed_grace_s`` (at most once a minute; call
        it often). Returns the session hashes dropped."""
        now = self._now()
        holder = self._blocks.state_holder
        with self._lock:
            if now < self._next_sweep:
                return []
            self._next_sweep = now + datetime.timedelta(seconds=_SWEEP_EVERY_S)
            with holder.lock:
                last_used = dict(holder.time_last_used)
            for session_hash, closed_at in list(self._closed.items()):
                if last_used.get(session_hash, closed_at) > closed_at:
                    del self._closed[session_hash]  # used since it closed: open again
            dropped = [h for h in sorted(self._closed) if self._drop_if_idle(h, self._closed_grace)]
            for session_hash in dropped:
                del self._closed[session_hash]
        for session_hash in dropped:
            self._on_forget(session_hash)
        return dropped

    def _drop_if_idle(self, session_hash: str, idle: datetime.timedelta) -> bool:
        """Drop the session's state if no request used it for ``idle`` (or it is gone
        already); whether it is gone now. Checked and dropped under Gradio's own lock."""
        holder = self._blocks.state_holder
        with holder.lock:
            last_used = holder.time_last_used.get(session_hash)
            if last_used is not None and self._now() - last_used < idle:
                return False
            holder.session_data.pop(session_hash, None)
            holder.time_last_used.pop(session_hash, None)
        return True
