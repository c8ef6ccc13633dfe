"""The workshop's login: FirstUseAuthenticator (the password typed at the first login becomes the password), with
the bcrypt work done off the hub's event loop.

FirstUseAuthenticator hashes and checks passwords with bcrypt inside the hub's event loop (about a quarter of a
CPU-second each at its cost factor); a room of learners logging in at once then stalls every page and API call of
the hub for seconds. Here the hash runs in a worker thread (bcrypt releases the GIL), and only the short reads and
writes of the password file are done one at a time.
"""

from __future__ import annotations

import asyncio
import dbm
import threading

import bcrypt
from firstuseauthenticator import FirstUseAuthenticator

_DB_LOCK = threading.Lock()  # the dbm file allows one writer at a time


class WorkshopAuthenticator(FirstUseAuthenticator):
    """FirstUseAuthenticator whose password hashing runs in a worker thread."""

    def _stored(self, username: str) -> bytes | None:
        with _DB_LOCK, dbm.open(self.dbm_path, "c", 0o600) as db:
            return db.get(username.encode("utf8"), None)

    def _store_if_new(self, username: str, hashed: bytes) -> bytes | None:
        """Store the first password of ``username``; return the hash already stored if another login was first."""
        with _DB_LOCK, dbm.open(self.dbm_path, "c", 0o600) as db:
            old = db.get(username.encode("utf8"), None)
            if old is None:
                db[username] = hashed
            return old

    def _check(self, username: str, password: str) -> str:
        """'ok', 'wrong' or 'short' (a first password below the minimum length). Blocking: run in a thread."""
        pw = password.encode("utf8")
        stored = self._stored(username)
        if stored is None:
            if not self._validate_password(password):
                return "short"
            stored = self._store_if_new(username, bcrypt.hashpw(pw, bcrypt.gensalt()))
            if stored is None:
                return "ok"
        return "ok" if bcrypt.checkpw(pw, stored) else "wrong"

    async def authenticate(self, handler, data):
        username = self.normalize_username(data["username"])
        password = data["password"]
        if not self.create_users and not self._user_exists(username):
            return None
        result = await asyncio.to_thread(self._check, username, password)
        if result == "short":
            handler.custom_login_error = (f"Password too short! Please choose a password at least "
                                          f"{self.min_password_length} characters long.")
            self.log.error(handler.custom_login_error)
            return None
        return username if result == "ok" else None
