"""Applications, their events and documents, document access audit, tracking-code sequences.

Repositories query/add/flush; the service owns the transaction. Status changes are conditional
UPDATEs (WHERE status IN ...), so two racing requests cannot both move the same application."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Course,
    DocumentAccess,
    Person,
    ProgramSequence,
    StoredFile,
    utcnow,
)


class ApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- applications ---------------------------------------------------------------------

    async def get(self, app_id: int) -> Application | None:
        return await self.session.scalar(
            select(Application)
            .where(Application.id == app_id)
            .execution_options(populate_existing=True)
        )

    async def by_tracking_code(self, code: str) -> Application | None:
        return await self.session.scalar(
            select(Application).where(Application.tracking_code == code)
        )

    async def of_person(
        self, person_id: int, statuses: Collection[str] | None = None
    ) -> list[Application]:
        stmt = select(Application).where(Application.person_id == person_id)
        if statuses is not None:
            stmt = stmt.where(Application.status.in_(statuses))
        stmt = stmt.order_by(Application.created_at.desc(), Application.id.desc())
        return list(await self.session.scalars(stmt.execution_options(populate_existing=True)))

    async def active(
        self, person_id: int, program: str, active: Collection[str]
    ) -> Application | None:
        return await self.session.scalar(
            select(Application)
            .where(
                Application.person_id == person_id,
                Application.program == program,
                Application.status.in_(active),
            )
            .execution_options(populate_existing=True)
        )

    async def add(self, application: Application) -> Application:
        self.session.add(application)
        await self.session.flush()
        return application

    async def delete(self, application: Application) -> None:
        await self.session.delete(application)
        await self.session.flush()

    async def move(
        self, app_id: int, from_statuses: Collection[str], to_status: str, **values: Any
    ) -> bool:
        """Set the status (and `values`) only if it is still one of `from_statuses`; False when
        another request got there first. The UPDATE is the transaction's first write, so on
        SQLite it takes the write lock (waiting busy_timeout) before anything else is read."""
        result = await self.session.execute(
            update(Application)
            .where(Application.id == app_id, Application.status.in_(from_statuses))
            .values(status=to_status, updated_at=utcnow(), **values)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def touch(self, app_id: int, **values: Any) -> None:
        await self.session.execute(
            update(Application)
            .where(Application.id == app_id)
            .values(updated_at=utcnow(), **values)
            .execution_options(synchronize_session=False)
        )

    async def unconfirmed(self, submitted_before: dt.datetime) -> list[Application]:
        """Submissions whose tracking code was never sent, oldest first."""
        return list(await self.session.scalars(
            select(Application)
            .where(
                Application.submitted_at.is_not(None),
                Application.submitted_at < submitted_before,
                Application.confirmed_at.is_(None),
                Application.tracking_code.is_not(None),
            )
            .order_by(Application.submitted_at, Application.id)
        ))

    async def submissions_per_program_province(
        self, since: dt.datetime, until: dt.datetime, provinces: list[str] | None = None
    ) -> list[tuple[str, str | None, int]]:
        """(program, province, count) of the applications submitted in [since, until), of
        `provinces` only when given."""
        query = (
            select(Application.program, Application.province, func.count())
            .where(Application.submitted_at >= since, Application.submitted_at < until)
            .group_by(Application.program, Application.province)
        )
        if provinces is not None:
            query = query.where(Application.province.in_(provinces))
        result = await self.session.execute(query)
        return [(program, province, int(count)) for program, province, count in result]

    async def mark_confirmed(self, app_id: int) -> None:
        # Not a change of the application itself: updated_at (what exports filter on) stays.
        await self.session.execute(
            update(Application)
            .where(Application.id == app_id, Application.confirmed_at.is_(None))
            .values(confirmed_at=utcnow())
            .execution_options(synchronize_session=False)
        )

    async def next_number(self, program: str) -> int:
        """The program's next tracking number. The row is created once (ON CONFLICT DO
        NOTHING); the increment is one UPDATE ... RETURNING, which the database serializes
        (a row lock on PostgreSQL, the write lock on SQLite), so two submissions never share a
        number. Rolled-back submissions leave gaps, which is harmless."""
        await self.session.execute(
            dialect_insert(self.session, ProgramSequence)
            .values(program=program, last_value=0)
            .on_conflict_do_nothing(index_elements=["program"])
        )
        value = await self.session.scalar(
            update(ProgramSequence)
            .where(ProgramSequence.program == program)
            .values(last_value=ProgramSequence.last_value + 1)
            .returning(ProgramSequence.last_value)
        )
        assert value is not None
        return int(value)

    def _queue_select(
        self,
        statuses: Collection[str],
        provinces: Collection[str] | None,
        program: str | None,
    ) -> Select[Application, str | None]:
        stmt = select(Application, Person.full_name).join(
            Person, Person.id == Application.person_id
        )
        stmt = stmt.where(Application.status.in_(statuses))
        if provinces is not None:
            stmt = stmt.where(Application.province.in_(provinces))
        if program is not None:
            stmt = stmt.where(Application.program == program)
        return stmt

    async def queue(
        self,
        statuses: Collection[str],
        provinces: Collection[str] | None,
        program: str | None,
        limit: int,
        offset: int,
    ) -> list[tuple[Application, str | None]]:
        stmt = (
            self._queue_select(statuses, provinces, program)
            .order_by(Application.submitted_at, Application.id)
            .limit(limit)
            .offset(offset)
        )
        return [(row[0], row[1]) for row in await self.session.execute(stmt)]

    async def queue_size(
        self, statuses: Collection[str], provinces: Collection[str] | None, program: str | None
    ) -> int:
        inner = self._queue_select(statuses, provinces, program).subquery()
        return int(await self.session.scalar(select(func.count()).select_from(inner)) or 0)

    async def for_export(
        self,
        statuses: Collection[str] | None,
        since: dt.datetime | None,
        provinces: Collection[str] | None = None,
    ) -> list[tuple[Application, Person]]:
        """Applications with their person, oldest first (drafts only if asked for)."""
        stmt = select(Application, Person).join(Person, Person.id == Application.person_id)
        if provinces is not None:
            stmt = stmt.where(Application.province.in_(sorted(provinces)))
        if statuses is not None:
            stmt = stmt.where(Application.status.in_(statuses))
        if since is not None:
            stmt = stmt.where(Application.updated_at >= since)
        stmt = stmt.order_by(Application.id)
        return [(row[0], row[1]) for row in await self.session.execute(stmt)]

    # --- events ---------------------------------------------------------------------------

    def add_event(
        self,
        app_id: int,
        from_status: str | None,
        to_status: str,
        actor_kind: str,
        actor_ref: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.session.add(
            ApplicationEvent(
                application_id=app_id,
                from_status=from_status,
                to_status=to_status,
                actor_kind=actor_kind,
                actor_ref=actor_ref,
                reason=reason,
                at=utcnow(),
            )
        )

    async def events(self, app_ids: Sequence[int]) -> list[ApplicationEvent]:
        if not app_ids:
            return []
        return list(
            await self.session.scalars(
                select(ApplicationEvent)
                .where(ApplicationEvent.application_id.in_(app_ids))
                .order_by(ApplicationEvent.at, ApplicationEvent.id)
            )
        )

    # --- documents ------------------------------------------------------------------------

    async def document(self, document_id: int) -> ApplicationDocument | None:
        return await self.session.scalar(
            select(ApplicationDocument)
            .where(ApplicationDocument.id == document_id)
            .execution_options(populate_existing=True)
        )

    async def documents(
        self, app_ids: Sequence[int], states: Collection[str] | None = None
    ) -> list[ApplicationDocument]:
        if not app_ids:
            return []
        stmt = select(ApplicationDocument).where(ApplicationDocument.application_id.in_(app_ids))
        if states is not None:
            stmt = stmt.where(ApplicationDocument.state.in_(states))
        stmt = stmt.order_by(ApplicationDocument.created_at, ApplicationDocument.id)
        return list(await self.session.scalars(stmt.execution_options(populate_existing=True)))

    def add_document(self, document: ApplicationDocument) -> None:
        self.session.add(document)

    async def set_document_state(
        self,
        document_ids: Collection[int],
        state: str,
        *,
        only_from: Collection[str] | None = None,
        **values: Any,
    ) -> int:
        if not document_ids:
            return 0
        stmt = update(ApplicationDocument).where(ApplicationDocument.id.in_(document_ids))
        if only_from is not None:
            stmt = stmt.where(ApplicationDocument.state.in_(only_from))
        result = await self.session.execute(
            stmt.values(state=state, **values).execution_options(synchronize_session=False)
        )
        return _rowcount(result)

    async def delete_document(self, document_id: int) -> None:
        await self.session.execute(
            delete(ApplicationDocument).where(ApplicationDocument.id == document_id)
        )

    async def store_key_in_use(self, store_key: str) -> bool:
        return (
            await self.session.scalar(
                select(ApplicationDocument.id).where(ApplicationDocument.store_key == store_key)
                .limit(1)
            )
        ) is not None

    async def claim_file(self, store_key: str) -> None:
        """Record (or touch) the stored file's row, holding its lock until the transaction
        ends: a deletion of the same file waits, or this waits for one in progress. DO UPDATE,
        not DO NOTHING: only an update locks an existing row on PostgreSQL."""
        stmt = dialect_insert(self.session, StoredFile).values(
            store_key=store_key, created_at=utcnow()
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["store_key"], set_={"store_key": stmt.excluded.store_key}
            )
        )

    async def release_file(self, store_key: str) -> bool:
        """Delete the stored file's row (locking it); False if there was none to delete."""
        result = await self.session.execute(
            delete(StoredFile).where(StoredFile.store_key == store_key)
        )
        return _rowcount(result) > 0

    def add_access(self, document_id: int, platform: str, user_id: int) -> None:
        self.session.add(
            DocumentAccess(
                document_id=document_id,
                staff_platform=platform,
                staff_user_id=user_id,
                at=utcnow(),
            )
        )

    async def accesses(self, document_id: int) -> list[DocumentAccess]:
        return list(
            await self.session.scalars(
                select(DocumentAccess)
                .where(DocumentAccess.document_id == document_id)
                .order_by(DocumentAccess.id)
            )
        )


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


class ApplicationCourseRepository:
    """The few course reads applications need (by code; open courses matching a program)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_code(self, code: str) -> Course | None:
        return await self.session.scalar(select(Course).where(Course.course_code == code))

    async def open_matching(
        self,
        condition: ColumnElement[bool],
        today: dt.date,
        province: str | None,
        limit: int,
        offset: int,
    ) -> list[Course]:
        """Open (starts today or later, seats left) courses meeting `condition`, soonest first."""
        stmt = select(Course).where(
            Course.start_date >= today, Course.seats_taken < Course.capacity, condition
        )
        if province is not None:
            stmt = stmt.where(Course.province == province)
        stmt = stmt.order_by(Course.start_date, Course.id).limit(limit).offset(offset)
        return list(await self.session.scalars(stmt))
