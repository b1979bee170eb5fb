"""What both halves of ApplicationService share: sessions, programs, clock, loading views,
and the one way a status changes (checked, conditional, recorded)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.results import ApplicationView
from services.applications.status import ForbiddenTransition, Status, check_transition
from services.applications.views import application_view
from services.jalali import today_in
from services.programs import Program, ProgramRegistry
from services.staff_alerts import NO_STAFF_CHATS, StaffChats
from services.webhooks import emitters as webhook_events
from storage.db import read_sessions
from storage.documents import DocumentStore
from storage.models import Application, Person
from storage.repositories.applications import ApplicationRepository
from storage.repositories.persons import PersonRepository

logger = logging.getLogger("services.applications")

# Called in the transaction that enrols an application (e.g. the exam service tells the person
# of the course's sessions already set); given to ApplicationService by services.container, so
# this package need not import the features that follow enrolment.
EnrolmentHook = Callable[[AsyncSession, Application], Awaitable[None]]


class ServiceBase:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        registry: ProgramRegistry,
        document_store: DocumentStore,
        *,
        timezone: str = "Asia/Tehran",
        staff_chats: StaffChats = NO_STAFF_CHATS,
        on_enrolled: EnrolmentHook | None = None,
    ) -> None:
        self._sessions = session_factory
        # My file and other screens that only read (see storage.db.read_sessions).
        self._reads = read_sessions(session_factory)
        self._on_enrolled = on_enrolled
        self._staff_chats = staff_chats
        self.registry = registry
        self._store = document_store
        self._timezone = timezone

    def _today(self, today: dt.date | None) -> dt.date:
        return today if today is not None else today_in(self._timezone)

    def _program(self, app: Application) -> Program:
        program = self.registry.get(app.program)
        if program is None:
            # A program file was removed while applications to it exist: an admin's mistake
            # that must be loud, not a silent "no such application".
            raise LookupError(f"application {app.id}: program {app.program!r} is not loaded")
        return program

    async def _view(self, session: AsyncSession, app: Application) -> ApplicationView:
        repo = ApplicationRepository(session)
        person = await PersonRepository(session).get(app.person_id)
        documents = await repo.documents([app.id])
        events = await repo.events([app.id])
        return application_view(app, person, documents, events)

    async def _views(
        self, session: AsyncSession, apps: list[Application], person: Person | None
    ) -> list[ApplicationView]:
        repo = ApplicationRepository(session)
        ids = [a.id for a in apps]
        documents = await repo.documents(ids)
        events = await repo.events(ids)
        return [application_view(a, person, documents, events) for a in apps]

    async def _own(
        self, session: AsyncSession, app_id: int, person_id: int
    ) -> Application | None:
        """The application if it is this person's; a foreign id is logged (ids only)."""
        app = await ApplicationRepository(session).get(app_id)
        if app is None:
            return None
        if app.person_id != person_id:
            logger.warning(
                "person %s named application %s, which is not theirs", person_id, app_id
            )
            return None
        return app

    async def _move(
        self,
        session: AsyncSession,
        app: Application,
        target: Status,
        *,
        actor_kind: str,
        actor_ref: str | None,
        reason: str | None = None,
        **values: object,
    ) -> None:
        await move_application(
            session, app, target, actor_kind=actor_kind, actor_ref=actor_ref, reason=reason,
            **values,
        )

    async def _forget_file(self, key: str | None) -> None:
        """Delete a stored file no document row refers to any more (content is shared by key).

        The file's row is deleted first, which locks it (on SQLite: the database's write lock),
        and the file goes before the commit: an upload of the same bytes claims that row before
        it writes the file, so it either waits and then writes the file again, or finishes
        first and is seen here as a use."""
        if key is None:
            return
        async with self._sessions() as session:
            repo = ApplicationRepository(session)
            if not await repo.release_file(key):
                return  # another removal has it, or it was never recorded
            if await repo.store_key_in_use(key):
                await session.rollback()
                return
            await self._store.delete(key)
            await session.commit()


async def move_application(
    session: AsyncSession,
    app: Application,
    target: Status,
    *,
    actor_kind: str,
    actor_ref: str | None,
    reason: str | None = None,
    **values: object,
) -> None:
    """The one way a status changes, in the caller's transaction (other services, e.g. a
    certificate completing its application, use it too): if the machine allows it and nobody
    changed it meanwhile; the event recorded. ForbiddenTransition otherwise (with the status as
    it is now)."""
    current = Status(app.status)
    check_transition(current, target)
    repo = ApplicationRepository(session)
    if not await repo.move(app.id, [current], target, **values):
        await session.rollback()
        fresh = await repo.get(app.id)
        now = Status(fresh.status) if fresh is not None else current
        raise ForbiddenTransition(now, target)
    repo.add_event(app.id, current, target, actor_kind, actor_ref, reason)
    await session.flush()
    await repo.get(app.id)  # populate_existing: `app` now shows the new status
    await webhook_events.application_status_changed(
        session, app, current.value, target.value, actor_kind=actor_kind, reason=reason
    )
