"""Users of the chat app: name, role, administrator flag, a salted scrypt password hash and
optionally the hash of one API key, kept in a JSON file that `assistant user add` and
`assistant user key` write. No file means no login (local use)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass, replace
from pathlib import Path

# scrypt cost: ~50 ms per check on this machine, far too slow for guessing at scale.
_N, _R, _P = 2**14, 8, 1
# An API key reads "pa-<key id>-<secret>": the id (stored in clear) finds the user without
# trying every hash; only the scrypt hash of the whole key is stored.
_KEY_PREFIX = "pa"


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class User:
    name: str
    role: str
    admin: bool
    password_hash: str
    api_key_id: str | None = None
    api_key_hash: str | None = None


class UserStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def enabled(self) -> bool:
        """Login is required exactly when the users file exists."""
        return self.path.is_file()

    def users(self) -> dict[str, User]:
        if not self.enabled:
            return {}
        rows = json.loads(self.path.read_text(encoding="utf-8"))
        return {name: User(name=name, **row) for name, row in rows.items()}

    def get(self, name: str | None) -> User | None:
        return self.users().get(name or "")

    def authenticate(self, name: str, password: str) -> bool:
        user = self.get(name)
        return user is not None and verify_password(password, user.password_hash)

    def add(self, name: str, password: str, role: str, admin: bool = False) -> None:
        """Add or replace a user (an existing API key stays valid, now with the new role);
        ValueError for an empty name or password."""
        if not name.strip() or not password:
            raise ValueError("Namn och lösenord får inte vara tomma.")
        users = self.users()
        old = users.get(name)
        users[name] = User(
            name, role, admin, hash_password(password), old and old.api_key_id, old and old.api_key_hash
        )
        self._write(users)

    def set_password(self, name: str, password: str) -> None:
        """A new password for an existing user (the API key stays); the app ends the user's
        sessions. ValueError for an unknown user or an empty password."""
        user = self.require(name)
        if not password:
            raise ValueError("Lösenordet får inte vara tomt.")
        self._write(self.users() | {name: replace(user, password_hash=hash_password(password))})

    def remove(self, name: str) -> None:
        """Remove a user, and with it the API key; the app ends the user's sessions
        (ValueError for an unknown user)."""
        self.require(name)
        self._write({other: user for other, user in self.users().items() if other != name})

    def require(self, name: str) -> User:
        """The user called ``name``; ValueError naming the known users otherwise."""
        user = self.get(name)
        if user is None:
            known = ", ".join(sorted(self.users())) or "inga"
            raise ValueError(f"Ingen användare heter '{name}'. Användare: {known}")
        return user

    def create_key(self, name: str) -> str:
        """A new API key for the user ``name``, replacing any earlier one; only its hash is
        stored, so the returned key can be shown once and never again. ValueError when the
        user does not exist."""
        if self.get(name) is None:
            raise ValueError(f"Användaren {name} finns inte: lägg till den med `assistant user add` först.")
        users = self.users()
        key_id = secrets.token_hex(4)
        key = f"{_KEY_PREFIX}-{key_id}-{secrets.token_urlsafe(32)}"
        users[name] = replace(users[name], api_key_id=key_id, api_key_hash=hash_password(key))
        self._write(users)
        return key

    def by_key(self, key: str) -> User | None:
        """The user whose API key ``key`` is, or None (unknown, malformed or replaced key)."""
        prefix, _, rest = key.partition("-")
        key_id = rest.partition("-")[0]
        if prefix != _KEY_PREFIX or not key_id:
            return None
        user = next((u for u in self.users().values() if u.api_key_id == key_id), None)
        if user is None or not user.api_key_hash or not verify_password(key, user.api_key_hash):
            return None
        return user

    def _write(self, users: dict[str, User]) -> None:
        """Write the file whole, then move it into place (readable by its owner only)."""
        rows = {u.name: {k: v for k, v in asdict(u).items() if k != "name"} for u in users.values()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        os.chmod(temporary, 0o600)
        temporary.replace(self.path)
