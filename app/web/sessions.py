"""Login sessions and the throttle on failed logins, kept in the app's memory (a restart
logs everyone out). Both take a clock so tests can move time instead of waiting."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

Clock = Callable[[], float]

# How long an ended session's token is remembered, so that a request from an old tab is
# told "you are logged out" rather than "who are you"; not tuned (a working day and more).
_REMEMBER_ENDED_S = 24 * 3600


class SessionState(Enum):
    LIVE = "live"
    ENDED = "ended"  # logged out, expired, or the user was removed or got a new password
    UNKNOWN = "unknown"  # no token, or one this app never issued (or forgot)


@dataclass
class _Session:
    user: str
    fingerprint: str
    last_seen: float


class SessionStore:
    """Tokens of logged-in browsers. A session ends at logout, after ``idle_s`` seconds
    without a request, or when its user's fingerprint (the stored password hash) changes or
    disappears, i.e. at `assistant user passwd` or `user remove`."""

    def __init__(self, idle_s: float, clock: Clock = time.monotonic) -> None:
        self.idle_s = idle_s
        self.clock = clock
        self._live: dict[str, _Session] = {}
        self._ended: dict[str, float] = {}
        self._lock = threading.Lock()

    def open(self, user: str, fingerprint: str) -> str:
        """A new session for ``user``; its token (URL-safe, 256 bits)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = self.clock()
            self._ended = {t: when for t, when in self._ended.items() if now - when < _REMEMBER_ENDED_S}
            self._live[token] = _Session(user, fingerprint, now)
        return token

    def check(
        self, token: str | None, fingerprint_of: Callable[[str], str | None]
    ) -> tuple[SessionState, str | None]:
        """The state of ``token`` and, when LIVE, its user; a live check counts as activity.
        ``fingerprint_of(user)`` is the user's current fingerprint (None: no such user)."""
        with self._lock:
            if not token:
                return SessionState.UNKNOWN, None
            session = self._live.get(token)
            if session is None:
                return (SessionState.ENDED if token in self._ended else SessionState.UNKNOWN), None
            now = self.clock()
            if now - session.last_seen > self.idle_s or fingerprint_of(session.user) != session.fingerprint:
                self._end(token)
                return SessionState.ENDED, None
            session.last_seen = now
            return SessionState.LIVE, session.user

    def end(self, token: str | None) -> None:
        """Log out: the token is refused from now on, in every tab that holds it."""
        with self._lock:
            if token in self._live:
                self._end(token)

    def _end(self, token: str) -> None:
        del self._live[token]
        self._ended[token] = self.clock()


class LoginThrottle:
    """Failed logins counted per user name and per client address. After ``free`` failures
    for either, the next attempt must wait ``wait_s`` seconds after the last failure, doubling
    with each further failure; an attempt made too early is refused without checking the
    password. A successful login clears the name's count (not the address's: one good
    account must not reset guessing at others)."""

    def __init__(self, free: int, wait_s: float, clock: Clock = time.monotonic) -> None:
        self.free = free
        self.wait_s = wait_s
        self.clock = clock
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}
        self._lock = threading.Lock()

    def _keys(self, user: str, address: str) -> list[tuple[str, str]]:
        return [("namn", user.strip().casefold()), ("adress", address)]

    def wait(self, user: str, address: str) -> float:
        """Seconds before an attempt for ``user`` from ``address`` may be checked (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [0.0]
            for key in self._keys(user, address):
                count, last = self._failures.get(key, (0, now))
                if count >= self.free:
                    waits.append(last + self.wait_s * 2 ** (count - self.free) - now)
            return max(waits)

    def failed(self, user: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in self._keys(user, address):
                count, _ = self._failures.get(key, (0, now))
                self._failures[key] = (count + 1, now)

    def succeeded(self, user: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(user, "")[0], None)
