"""The SQLite index of a home: ``archive/index.db``.

Two tables: ``documents`` (one row per file received, its labels and its text)
and ``events`` (the audit trail of every change). ``documents_fts`` indexes the
text with SQLite's trigram tokenizer, because the default tokenizer splits on
spaces and Thai writes words without them.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

# received → processing → filed | review | rejected; a review decision makes it filed.
STATUSES = ("received", "processing", "filed", "review", "rejected")
FINAL_STATUSES = ("filed", "review", "rejected")

DOCUMENT_COLUMNS = {
    "id": int,
    "sha256": str,
    "size": int,
    "original_name": str,
    "source": str,  # where it was received from, relative to home when inside it
    "archived_as": str,  # relative to home; set before the copy so a crash leaves no orphan
    "status": str,
    "reason": str,  # why it was rejected
    "pages": int,
    "ocr_pages": int,
    "extraction_method": str,  # text | ocr | mixed
    "item": str,
    "item_confidence": float,
    "candidates": str,  # JSON list of {"item", "score"}
    "fiscal_year": int,
    "fiscal_year_end": int,
    "fiscal_year_confidence": float,
    "fiscal_year_evidence": str,
    "text": str,  # normalised text, pages separated by form feeds
    "seconds": float,
    "received_at": str,
    "decided_at": str,
    "decided_by": str,  # "oit" for automatic filing, else the person
    "confirmed": int,  # 1 when a person decided the labels: training data
}

EVENT_COLUMNS = {
    "id": int,
    "document_id": int,
    "at": str,
    "action": str,
    "actor": str,
    "before": str,
    "after": str,
    "note": str,
}


SEARCH_TABLE = "documents_search"


def joined_sql(column: str) -> str:
    """SQL for ``column`` without line breaks (see ``Index._create_search_index``)."""
    return f"replace(replace({column}, char(13), ''), char(10), '')"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Index:
    """Reads and writes the index. Each public write is one transaction."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=30000")
        self.db = sqlite_utils.Database(conn)
        self.path = path
        self._create_schema()

    def _create_schema(self) -> None:
        docs = self.db["documents"]
        if not docs.exists():
            docs.create(DOCUMENT_COLUMNS, pk="id", not_null={"sha256", "status"})
            docs.create_index(["sha256"])
            docs.create_index(["status"])
            docs.create_index(["item", "fiscal_year"])
            docs.enable_fts(["original_name", "text"], tokenize="trigram", create_triggers=True)
        self._create_search_index()
        events = self.db["events"]
        if not events.exists():
            events.create(EVENT_COLUMNS, pk="id", foreign_keys=[("document_id", "documents", "id")])
            events.create_index(["document_id"])

    def _create_search_index(self) -> None:
        """``documents_search``: what ``oit search`` queries (``documents_fts`` stays for
        Datasette and other tools).

        Thai wraps lines inside words ("ทาง\nราชการ"), so this index reads each
        text with its line breaks removed; trigrams then find words across lines.
        Contentless: the text is stored once, in ``documents``. Created, with its
        triggers, for older indexes too, filled from what they hold.
        """
        conn = self.db.conn
        exists = "select 1 from sqlite_master where name = ?"
        if conn.execute(exists, [SEARCH_TABLE]).fetchone():
            return
        with self.transaction():
            if conn.execute(exists, [SEARCH_TABLE]).fetchone():
                return  # another process created it meanwhile
            conn.execute(f"create virtual table {SEARCH_TABLE} using fts5("
                         "original_name, text, content='', tokenize='trigram')")
            insert = (f"insert into {SEARCH_TABLE}(rowid, original_name, text) "
                      f"values (new.id, new.original_name, {joined_sql('new.text')});")
            # A contentless table forgets a row only when told its exact old values.
            delete = (f"insert into {SEARCH_TABLE}({SEARCH_TABLE}, rowid, original_name, text) "
                      f"values ('delete', old.id, old.original_name, {joined_sql('old.text')});")
            conn.execute(f"create trigger {SEARCH_TABLE}_ai after insert on documents "
                         f"begin {insert} end")
            conn.execute(f"create trigger {SEARCH_TABLE}_ad after delete on documents "
                         f"begin {delete} end")
            conn.execute(f"create trigger {SEARCH_TABLE}_au after update of original_name, text "
                         f"on documents begin {delete} {insert} end")
            conn.execute(f"insert into {SEARCH_TABLE}(rowid, original_name, text) "
                         f"select id, original_name, {joined_sql('text')} from documents")

    def close(self) -> None:
        self.db.close()

    def transaction(self):
        """``with index.transaction():`` — everything inside commits together or not at all."""
        return _Transaction(self.db.conn)

    # Reads

    def get(self, document_id: int) -> dict[str, Any] | None:
        rows = list(self.db["documents"].rows_where("id = ?", [document_id]))
        return rows[0] if rows else None

    def original_of(self, sha256: str) -> dict[str, Any] | None:
        """The first stored (not rejected) document with these bytes."""
        rows = self.db["documents"].rows_where(
            "sha256 = ? and status in ('filed', 'review', 'processing', 'received')",
            [sha256],
            order_by="id",
            limit=1,
        )
        return next(iter(rows), None)

    def where(self, clause: str, args: list | None = None, order_by: str = "id") -> Iterator[dict]:
        return self.db["documents"].rows_where(clause, args or [], order_by=order_by)

    def events_of(self, document_id: int) -> list[dict[str, Any]]:
        return list(self.db["events"].rows_where("document_id = ?", [document_id], order_by="id"))

    def count_events(self, action: str, since_id: int = 0) -> int:
        return self.db.execute(
            "select count(*) from events where action = ? and id > ?", [action, since_id]
        ).fetchone()[0]

    # Writes (call inside ``transaction()`` when several must hold together)

    def insert_document(self, values: dict[str, Any]) -> int:
        return self.db["documents"].insert(values).last_pk

    def update_document(self, document_id: int, values: dict[str, Any]) -> None:
        self.db["documents"].update(document_id, values)

    def add_event(
        self,
        document_id: int | None,
        action: str,
        actor: str = "oit",
        before: dict | None = None,
        after: dict | None = None,
        note: str | None = None,
    ) -> None:
        self.db["events"].insert(
            {
                "document_id": document_id,
                "at": now(),
                "action": action,
                "actor": actor,
                "before": json.dumps(before, ensure_ascii=False) if before is not None else None,
                "after": json.dumps(after, ensure_ascii=False) if after is not None else None,
                "note": note,
            }
        )


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
