"""Conversation state rows for the SQL-backed aiogram storage. No commit in FsmRepository:
callers own it. SqliteFsmWriter is the fast path for whole-record writes to a SQLite file."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, bindparam, delete, null, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import Null

from storage.db import SQLITE_BUSY_TIMEOUT_MS, dialect_insert, sqlite_pragmas
from storage.models import FsmRecord, utcnow

# None is SQL NULL here, not JSON 'null': "no data", as in set_data.
_DATA_OR_NULL = JSON(none_as_null=True)


@functools.cache
def _put_statement(dialect_name: str) -> Any:
    insert: Any = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect_name)
    if insert is None:
        raise NotImplementedError(f"no upsert for {dialect_name}")
    stmt = insert(FsmRecord.__table__).values(
        key=bindparam("k"),
        state=bindparam("s"),
        data=bindparam("d", type_=_DATA_OR_NULL),
        updated_at=bindparam("u"),
    )
    excluded = stmt.excluded
    return stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={"state": excluded.state, "data": excluded.data, "updated_at": excluded.updated_at},
    )


class FsmRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> FsmRecord | None:
        return await self.session.scalar(
            select(FsmRecord).where(FsmRecord.key == key).execution_options(populate_existing=True)
        )

    async def get_state(self, key: str) -> str | None:
        return await self.session.scalar(select(FsmRecord.state).where(FsmRecord.key == key))

    async def get_data(self, key: str) -> dict[str, Any]:
        data = await self.session.scalar(select(FsmRecord.data).where(FsmRecord.key == key))
        return dict(data) if data else {}

    async def set_state(self, key: str, state: str | None) -> None:
        await self._upsert(key, state=state if state is not None else null())

    async def set_data(self, key: str, data: dict[str, Any]) -> None:
        # SQL NULL (not JSON 'null') for "no data", so the empty-row cleanup can find it.
        await self._upsert(key, data=dict(data) if data else null())

    async def put_many(self, records: dict[str, tuple[str | None, dict[str, Any] | None]]) -> None:
        """Whole records, key -> (state, data): those with something in them upserted, those
        without deleted (a blank row means nothing, see _upsert). One statement each, built once
        per dialect, so SQLAlchemy's compiled cache serves every call."""
        now = utcnow()
        rows = [
            {"k": key, "s": state, "d": data or None, "u": now}
            for key, (state, data) in records.items()
            if state is not None or data
        ]
        empty = [key for key, (state, data) in records.items() if state is None and not data]
        if rows:
            await self.session.execute(_put_statement(self.session.get_bind().dialect.name), rows)
        if empty:
            await self.session.execute(delete(FsmRecord).where(FsmRecord.key.in_(empty)))

    async def lock_data(self, key: str) -> dict[str, Any]:
        """Read data for a read-modify-write: the row is locked until the transaction ends.

        The row is created first so there is always something to lock: PostgreSQL locks it with
        FOR UPDATE, and on SQLite the INSERT already took the database write lock.
        """
        stmt = dialect_insert(self.session, FsmRecord).values(key=key, updated_at=utcnow())
        await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))
        data = await self.session.scalar(
            select(FsmRecord.data).where(FsmRecord.key == key).with_for_update()
        )
        return dict(data) if data else {}

    async def delete(self, key: str) -> None:
        await self.session.execute(delete(FsmRecord).where(FsmRecord.key == key))

    async def _upsert(self, key: str, **values: Any) -> None:
        values["updated_at"] = utcnow()
        stmt = dialect_insert(self.session, FsmRecord).values(key=key, **values)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["key"], set_=values)
        )
        # A row with neither state nor data means nothing: drop it, so aiogram-dialog's
        # many short-lived contexts (cleared with {}) do not pile up. Only a write that clears
        # something can leave such a row, so only those pay for the extra statement.
        if not any(isinstance(value, Null) for value in values.values()):
            return
        await self.session.execute(
            delete(FsmRecord).where(
                FsmRecord.key == key, FsmRecord.state.is_(None), FsmRecord.data.is_(None)
            )
        )

    async def purge_older_than(self, cutoff: dt.datetime, *, limit: int) -> int:
        """Drop at most `limit` records untouched since `cutoff` (abandoned conversations): one
        bounded statement, so a large backlog never holds the table for long."""
        idle = select(FsmRecord.key).where(FsmRecord.updated_at < cutoff).limit(limit)
        result = await self.session.execute(
            delete(FsmRecord)
            .where(FsmRecord.key.in_(idle.scalar_subquery()))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


# How SQLAlchemy's DateTime stores a UTC time in SQLite (FsmRecord.updated_at).
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"
_SQLITE_PUT = (
    'INSERT INTO fsm_records ("key", state, data, updated_at) VALUES (?, ?, ?, ?) '
    'ON CONFLICT ("key") DO UPDATE SET state = excluded.state, data = excluded.data, '
    "updated_at = excluded.updated_at"
)
_SQLITE_DELETE = 'DELETE FROM fsm_records WHERE "key" = ?'


class SqliteFsmWriter:
    """Whole conversation records written to a SQLite file on a connection and thread of its own.

    Through the shared async engine a write costs five hand-overs to the driver's thread
    (cursor, execute, cursor close, commit, and the pool's rollback when the connection is
    returned), each a wake-up of another thread; here a batch of records is one. Reads stay with
    FsmRepository. Same pragmas as the engine's connections (WAL, busy timeout), same formats as
    SQLAlchemy's (JSON text, UTC time)."""

    def __init__(self, path: str) -> None:
        self.path = path
        # Made on first use, and again after close(): aiogram closes the storage when polling
        # stops, and the same application may go on handling updates (tests, the sandbox).
        self._executor: ThreadPoolExecutor | None = None
        self._local = threading.local()  # the connection, opened and used in that thread

    async def put_many(self, records: dict[str, tuple[str | None, str | None]]) -> None:
        """key -> (state, data as JSON text or None); a record with neither is deleted."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fsm-writer")
        await asyncio.get_running_loop().run_in_executor(self._executor, self._write, records)

    def _write(self, records: dict[str, tuple[str | None, str | None]]) -> None:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            # mode=rw: the migrated database must be there; never create an empty file.
            uri = Path(self.path).resolve().as_uri() + "?mode=rw"
            connection = sqlite3.connect(uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
            sqlite_pragmas(connection)
            self._local.connection = connection
        now = utcnow().strftime(_SQLITE_DATETIME)
        rows = [
            (key, state, data, now)
            for key, (state, data) in records.items()
            if state is not None or data is not None
        ]
        empty = [(key,) for key, (state, data) in records.items() if state is None and data is None]
        with connection:  # one transaction: committed, or rolled back on an error
            if rows:
                connection.executemany(_SQLITE_PUT, rows)
            if empty:
                connection.executemany(_SQLITE_DELETE, empty)

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.get_running_loop().run_in_executor(executor, self._close)
            executor.shutdown(wait=False)

    def _close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
