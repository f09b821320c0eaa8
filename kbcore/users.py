"""Users of the chat app: name, role, administrator flag and a salted scrypt password hash,
kept in a JSON file that `assistant user add` writes. No file means no login (local use)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

# scrypt cost: ~50 ms per check on this machine, far too slow for guessing at scale.
_N, _R, _P = 2**14, 8, 1


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
        """Add or replace a user (ValueError for an empty name or password)."""
        if not name.strip() or not password:
            raise ValueError("Namn och lösenord får inte vara tomma.")
        self._write(self.users() | {name: User(name, role, admin, hash_password(password))})

    def set_password(self, name: str, password: str) -> None:
        """A new password for an existing user; the app ends the user's sessions (ValueError
        for an unknown user or an empty password)."""
        user = self.require(name)
        if not password:
            raise ValueError("Lösenordet får inte vara tomt.")
        self._write(self.users() | {name: User(name, user.role, user.admin, hash_password(password))})

    def remove(self, name: str) -> None:
        """Remove a user; the app ends the user's sessions (ValueError for an unknown user)."""
        self.require(name)
        self._write({other: user for other, user in self.users().items() if other != name})

    def require(self, name: str) -> User:
        """The user called ``name``; ValueError naming the known users otherwise."""
        user = self.get(name)
        if user is None:
            known = ", ".join(sorted(self.users())) or "inga"
            raise ValueError(f"Ingen användare heter '{name}'. Användare: {known}")
        return user

    def _write(self, users: dict[str, User]) -> None:
        """The file written whole, readable by its owner only, then moved into place."""
        rows = {u.name: {k: v for k, v in asdict(u).items() if k != "name"} for u in users.values()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        os.chmod(temporary, 0o600)
        temporary.replace(self.path)
