"""One SQLite file per (server, account): cached pages and categories, the op queue.

Standard library ``sqlite3``, no server. The file holds no token: the refresh token
lives only in the keyring (``session.py``). The queue is the durable half of the
``OperationRunner``: an op is written here *before* its first call, and its progress
(calls done, their answers) in one transaction with the queue row, so a process killed
at any instant replays from the first call the server may not have seen. A replayed
call is harmless (see ``operations/calls.py``), so every op lands exactly once.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

import msgspec
from PySide6.QtCore import QStandardPaths

from desktop.client.answers import Answer, convert_answer
from desktop.operations.ops import Op
from wire.categories import Category
from wire.expenses import ExpensePage, ExpenseSummary

CACHED_QUERIES = 20  # query+sort combinations kept; the oldest seen are dropped
CACHED_PAGES = 20  # per query: ~10k rows to browse offline, not a copy of 100k
SCHEMA = """
CREATE TABLE IF NOT EXISTS page (
    query TEXT NOT NULL, cursor TEXT NOT NULL, body BLOB NOT NULL, seen REAL NOT NULL,
    PRIMARY KEY (query, cursor));
CREATE TABLE IF NOT EXISTS category (id INTEGER PRIMARY KEY CHECK (id = 1), body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS summary (query TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS queue (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, op BLOB NOT NULL,
    done INTEGER NOT NULL DEFAULT 0, results BLOB NOT NULL DEFAULT X'5B5D');
"""


def data_root() -> Path:
    """The user data folder (tests point it at a temporary one)."""
    location = QStandardPaths.StandardLocation.AppDataLocation
    return Path(QStandardPaths.writableLocation(location)) / "offline"


def page_key(params: dict[str, str | list[str]], sort: tuple[str, str]) -> str:
    """The cache's name for a filter and an order."""
    return repr((sorted(params.items()), sort))


def store_path(server: str, email: str) -> Path:
    """A file per server and account; the name is a hash, so no address or e-mail shows."""
    key = f"{server.rstrip('/')}|{email.strip().lower()}".encode()
    return data_root() / f"{hashlib.sha256(key).hexdigest()[:32]}.sqlite3"


@dataclass(frozen=True)
class Queued:
    seq: int
    op: Op
    done: int  # calls the server has confirmed
    results: list[Answer]  # their answers


class LocalStore:
    """Thread-safe: workers write pages and queue progress, the GUI thread reads."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._closed = False  # after sign-out a late worker's page is simply not kept
        self._db = sqlite3.connect(
            str(path) if path else ":memory:", check_same_thread=False, isolation_level=None
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a committed queue row survives power loss
        self._db.executescript(SCHEMA)

    def _run(self, sql: str, *args: object) -> list[tuple]:
        with self._lock:
            if self._closed:
                return []
            return self._db.execute(sql, args).fetchall()

    def _transaction(self, *statements: tuple[str, tuple]) -> None:
        with self._lock:
            if self._closed:
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    self._db.execute(sql, args)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # --- cache --------------------------------------------------------------------
    def save_page(self, query: str, cursor: str | None, page: ExpensePage) -> None:
        count = self._run("SELECT count(*) FROM page WHERE query = ?", query)
        known = self._run("SELECT 1 FROM page WHERE query = ? AND cursor = ?", query, cursor or "")
        if count and count[0][0] >= CACHED_PAGES and not known:
            return
        self._transaction(
            ("INSERT OR REPLACE INTO page VALUES (?, ?, ?, julianday('now'))",
             (query, cursor or "", msgspec.json.encode(page))),
            ("DELETE FROM page WHERE query NOT IN (SELECT query FROM page GROUP BY query"
             " ORDER BY max(seen) DESC LIMIT ?)", (CACHED_QUERIES,)),
        )  # fmt: skip

    def page(self, query: str, cursor: str | None) -> ExpensePage | None:
        rows = self._run(
            "SELECT body FROM page WHERE query = ? AND cursor = ?", query, cursor or ""
        )
        return msgspec.json.decode(rows[0][0], type=ExpensePage) if rows else None

    def save_categories(self, categories: list[Category]) -> None:
        self._run("INSERT OR REPLACE INTO category VALUES (1, ?)", msgspec.json.encode(categories))

    def categories(self) -> list[Category] | None:
        rows = self._run("SELECT body FROM category")
        return msgspec.json.decode(rows[0][0], type=list[Category]) if rows else None

    def save_summary(self, query: str, summary: ExpenseSummary) -> None:
        self._run(
            "INSERT OR REPLACE INTO summary VALUES (?, ?)", query, msgspec.json.encode(summary)
        )

    def summary(self, query: str) -> ExpenseSummary | None:
        rows = self._run("SELECT body FROM summary WHERE query = ?", query)
        return msgspec.json.decode(rows[0][0], type=ExpenseSummary) if rows else None

    # --- queue --------------------------------------------------------------------
    def enqueue(self, op: Op) -> int:
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO queue (op) VALUES (?)", (msgspec.json.encode(op),)
            )
            return int(cursor.lastrowid or 0)

    def head(self) -> Queued | None:
        rows = self._run("SELECT seq, op, done, results FROM queue ORDER BY seq LIMIT 1")
        if not rows:
            return None
        seq, op, done, results = rows[0]
        decoded = msgspec.json.decode(op, type=Op)
        raw = msgspec.json.decode(results)  # each answer's type follows its call's path
        answers = [convert_answer(c.path, r) for c, r in zip(decoded.calls, raw, strict=False)]
        return Queued(seq, decoded, done, answers)

    def advance(self, seq: int, done: int, results: list[Answer], finished: bool) -> None:
        """Record confirmed calls; a finished op leaves the queue in the same commit."""
        if finished:
            self._transaction(("DELETE FROM queue WHERE seq = ?", (seq,)))
        else:
            self._transaction(
                ("UPDATE queue SET done = ?, results = ? WHERE seq = ?",
                 (done, msgspec.json.encode(results), seq)),
            )  # fmt: skip

    def replace_op(self, seq: int, op: Op) -> None:
        self._run("UPDATE queue SET op = ? WHERE seq = ?", msgspec.json.encode(op), seq)

    def drop(self, seq: int) -> None:
        self._run("DELETE FROM queue WHERE seq = ?", seq)

    def waiting(self) -> int:
        """Changes not yet confirmed by the server."""
        rows = self._run("SELECT count(*) FROM queue")
        return int(rows[0][0]) if rows else 0

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()

    def wipe(self) -> None:
        """Sign-out: forget everything this account left on this computer."""
        self.close()
        if self.path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
