"""Who is calling the HTTP API: an ``Authorization: Bearer KEY`` header maps to that user's
role (keys from `assistant user key NAME`); without users (local mode) the API is open to
loopback clients only, with full access, like the app in local mode.

The client address is the TCP peer's: behind a reverse proxy on the same machine every
client looks local, so add users (and keys) before putting the app behind one."""

from __future__ import annotations

import ipaddress

from app.api.gateway import Caller
from kbcore.users import UserStore

WRONG_KEY = "Fel API-nyckel: den finns inte eller har ersatts. Skapa en ny med `assistant user key NAMN`."
MISSING_KEY = (
    "API-nyckel saknas: skicka rubriken ”Authorization: Bearer NYCKEL” "
    "(skapa en nyckel med `assistant user key NAMN`)."
)
LOOPBACK_ONLY = (
    "Utan användare är API:t bara öppet från den här datorn (loopback). Lägg till användare "
    "med `assistant user add` och skapa en nyckel med `assistant user key NAMN`."
)


class Unauthorized(Exception):
    """The caller may not use the API; ``str(error)`` says why (Swedish), ``code`` for machines."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and IPv4-mapped loopback; False for anything else, names included."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def caller_for(users: UserStore, authorization: str | None, client_host: str | None, channel: str) -> Caller:
    """The Caller behind a request's Authorization header and client address.

    With users, ``Bearer KEY`` must be one of their keys (Unauthorized when missing or
    wrong). Without users (local mode) no key exists: loopback clients get full access
    whatever key they send (clients such as the ``openai`` package insist on sending one),
    others are refused.
    """
    if not users.enabled:
        if not is_loopback(client_host):
            raise Unauthorized(LOOPBACK_ONLY, "missing_api_key")
        return Caller(None, None, channel)
    scheme, _, key = (authorization or "").strip().partition(" ")
    if not key.strip():
        raise Unauthorized(MISSING_KEY, "missing_api_key")
    user = users.by_key(key.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise Unauthorized(WRONG_KEY, "invalid_api_key")
    return Caller(user.name, user.role, channel)
