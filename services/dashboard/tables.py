"""The dashboard's tables: provinces side by side, training centres with their incomplete files,
and the review queue (read-only)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from services.applications.results import DocumentState
from services.applications.status import IN_QUEUE, Status
from services.dashboard.cache import FreshFor, RecentScopes
from services.dashboard.exams import (
    attended_an_exam,
    exam_gaps,
    exams_outstanding,
    flag,
    has_certificate,
    has_result,
)
from services.dashboard.scope import Scope, with_national, within
from services.dashboard.sql import without_jit
from services.programs import ProgramRegistry
from storage.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Certificate,
    Course,
    Person,
    Ticket,
)

# A centre's trainees: approved for a seat, enrolled, or done with the course.
TRAINEE_STATUSES = (Status.APPROVED.value, Status.ENROLLED.value, Status.COMPLETED.value)
QUEUE_STATUSES = tuple(s.value for s in IN_QUEUE)
LIST_LIMIT = 200


@dataclass(frozen=True, slots=True)
class ProvinceRow:
    province: str
    registered: int
    applications: int
    in_queue: int
    approved: int  # approved, enrolled or completed
    rejected: int
    open_tickets: int

    @property
    def approval_percent(self) -> float | None:
        decided = self.approved + self.rejected
        return 100.0 * self.approved / decided if decided else None


@dataclass(frozen=True, slots=True)
class CentreRow:
    centre: str
    province: str
    approved: int
    enrolled: int
    attended: int  # finished the course (status completed)
    exam_attended: int  # marked present at an exam session of their course
    examined: int  # an exam result recorded
    certified: int  # a certificate issued
    # Trainees whose mandatory papers are not all accepted, or (enrolled or finished) whose
    # exam result or certificate is missing: what the foundation waits for before paying.
    incomplete: int


@dataclass(frozen=True, slots=True)
class FileRow:
    tracking_code: str | None
    full_name: str | None
    status: str
    program: str
    province: str | None
    submitted_at: dt.datetime | None
    missing: tuple[str, ...] = ()



class DashboardTables:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        registry: ProgramRegistry,
        *,
        fresh_seconds: float = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = session_factory
        self._registry = registry
        self._kept = FreshFor(fresh_seconds, clock)
        self._viewed = {"provinces": RecentScopes(clock), "centres": RecentScopes(clock)}

    async def provinces(self, scope: Scope) -> list[ProvinceRow]:
        self._viewed["provinces"].saw(scope.provinces)
        return await self._kept.get(("provinces", scope.provinces),
                                    lambda: self._provinces(scope))

    async def _provinces(self, scope: Scope) -> list[ProvinceRow]:
        status = Application.status
        async with self._sessions() as session:
            await without_jit(session)
            apps = await session.execute(
                select(
                    Application.province,
                    func.count(Application.id),
                    func.sum(case((status.in_(QUEUE_STATUSES), 1), else_=0)),
                    func.sum(case((status.in_(TRAINEE_STATUSES), 1), else_=0)),
                    func.sum(case((status == Status.REJECTED.value, 1), else_=0)),
                )
                .where(status != Status.DRAFT.value, *within(Application.province, scope.provinces))
                .group_by(Application.province)
            )
            people = dict(
                (province, int(count)) for province, count in await session.execute(
                    select(Person.province, func.count(Person.id))
                    .where(Person.registered_at.is_not(None),
                           *within(Person.province, scope.provinces))
                    .group_by(Person.province)
                )
            )
            tickets = dict(
                (province, int(count)) for province, count in await session.execute(
                    select(Ticket.province, func.count(Ticket.id))
                    .where(Ticket.closed_at.is_(None), *within(Ticket.province, scope.provinces))
                    .group_by(Ticket.province)
                )
            )
        rows: dict[str, ProvinceRow] = {}
        for province, total, queue, approved, rejected in apps:
            key = province or ""
            rows[key] = ProvinceRow(key, people.get(province, 0), int(total), int(queue or 0),
                                    int(approved or 0), int(rejected or 0),
                                    tickets.get(province, 0))
        for province, count in people.items():
            key = province or ""
            if key not in rows:
                rows[key] = ProvinceRow(key, count, 0, 0, 0, 0, tickets.get(province, 0))
        for province, count in tickets.items():
            key = province or ""
            if key not in rows:
                rows[key] = ProvinceRow(key, 0, 0, 0, 0, 0, count)
        return sorted(rows.values(), key=lambda row: (-row.applications, row.province))

    async def keep_warm(self, *, remember: float, ahead: float) -> int:
        """As DashboardFigures.keep_warm, for the provinces and centres tables."""
        renewed = 0
        for page, compute in (("provinces", self._provinces), ("centres", self._centres)):
            for provinces in with_national(self._viewed[page].within(remember)):
                scope = Scope(provinces)
                renewed += await self._kept.renew(
                    (page, provinces),
                    lambda compute=compute, scope=scope: compute(scope),  # type: ignore[misc]
                    ahead=ahead,
                )
        return renewed

    def _missing_condition(self) -> ColumnElement[bool]:
        """True for an application lacking an accepted copy of a paper its program makes
        mandatory for this person (a Relief-clients-only paper only for Relief clients)."""
        per_program = []
        for program in self._registry.all():
            lacking = []
            for requirement in program.documents:
                if not requirement.mandatory:
                    continue
                absent = ~exists().where(
                    ApplicationDocument.application_id == Application.id,
                    ApplicationDocument.kind == requirement.kind,
                    ApplicationDocument.state == DocumentState.ACCEPTED.value,
                )
                if requirement.mandatory == "relief_clients_only":
                    absent = and_(Person.relief_client.is_(True), absent)
                lacking.append(absent)
            if lacking:
                per_program.append(and_(Application.program == program.id, or_(*lacking)))
        return or_(*per_program) if per_program else Application.id.is_(None)

    async def centres(self, scope: Scope) -> list[CentreRow]:
        self._viewed["centres"].saw(scope.provinces)
        return await self._kept.get(("centres", scope.provinces), lambda: self._centres(scope))

    def _accepted_papers(self) -> tuple[ColumnElement[int], ColumnElement[int]]:
        """For the trainee of the enclosing query, how many of their program's papers for
        everyone, and of its papers for Relief clients only, have an accepted copy. Each is a
        look-up in the (application_id, state, kind) index per trainee: cheaper than grouping
        every accepted paper of the database and joining the groups (measured in
        bench/dashboard.py: the centres page went from ~700 ms to well under the budget)."""
        for_all, for_clients = [], []
        for program in self._registry.all():
            everyone = [r.kind for r in program.documents if r.mandatory is True]
            clients = [r.kind for r in program.documents if r.mandatory == "relief_clients_only"]
            if everyone:
                for_all.append(and_(Application.program == program.id,
                                    ApplicationDocument.kind.in_(everyone)))
            if clients:
                for_clients.append(and_(Application.program == program.id,
                                        ApplicationDocument.kind.in_(clients)))
        never = Application.id.is_(None)

        def accepted_among(kinds: list[ColumnElement[bool]]) -> ColumnElement[int]:
            return (
                select(func.count(func.distinct(ApplicationDocument.kind)))
                .where(ApplicationDocument.application_id == Application.id,
                       ApplicationDocument.state == DocumentState.ACCEPTED.value,
                       or_(*kinds) if kinds else never)
                .scalar_subquery()
            )

        return accepted_among(for_all), accepted_among(for_clients)

    def _incomplete(self) -> ColumnElement[bool]:
        """A trainee short of an accepted paper their program makes mandatory for them."""
        everyone_needed: list[tuple[ColumnElement[bool], int]] = []
        clients_needed: list[tuple[ColumnElement[bool], int]] = []
        for program in self._registry.all():
            is_it = Application.program == program.id
            everyone_needed.append(
                (is_it, sum(1 for r in program.documents if r.mandatory is True))
            )
            clients_needed.append(
                (is_it, sum(1 for r in program.documents if r.mandatory == "relief_clients_only"))
            )
        if not everyone_needed:
            return Application.id.is_(None)
        have_all, have_clients = self._accepted_papers()
        return or_(
            have_all < case(*everyone_needed, else_=0),
            and_(Person.relief_client.is_(True), have_clients < case(*clients_needed, else_=0)),
        )

    async def _centres(self, scope: Scope) -> list[CentreRow]:
        """Trainees counted per course (the (course_code, status) index), then summed per centre
        from the courses table, which is small."""
        status = Application.status
        async with self._sessions() as session:
            await without_jit(session)
            per_course = await session.execute(
                select(
                    Application.course_code,
                    func.sum(case((status == Status.APPROVED.value, 1), else_=0)),
                    func.sum(case((status == Status.ENROLLED.value, 1), else_=0)),
                    func.sum(case((status == Status.COMPLETED.value, 1), else_=0)),
                    func.sum(flag(attended_an_exam())),
                    func.sum(flag(has_result())),
                    func.sum(flag(Certificate.id.is_not(None))),
                    func.sum(flag(or_(
                        self._incomplete(),
                        exams_outstanding(None, Certificate.id.is_not(None)),
                    ))),
                )
                .join(Person, Person.id == Application.person_id)
                # Unique per application: joined once, read twice.
                .outerjoin(Certificate, Certificate.application_id == Application.id)
                .where(status.in_(TRAINEE_STATUSES), Application.course_code.is_not(None),
                       *within(Application.province, scope.provinces))
                .group_by(Application.course_code)
            )
            counts = {code: row for code, *row in per_course}
            centre_of = {
                code: (centre, province) for code, centre, province in await session.execute(
                    select(Course.course_code, Course.center_name, Course.province)
                    .where(Course.course_code.in_(list(counts)))
                )
            } if counts else {}
        totals: dict[tuple[str, str], list[int]] = {}
        for code, values in counts.items():
            key = centre_of.get(code)
            if key is None:  # a course no longer in the catalogue: not a centre's trainee
                continue
            sums = totals.setdefault(key, [0] * 7)
            for index, value in enumerate(values):
                sums[index] += int(value or 0)
        result = [CentreRow(centre, province, *sums) for (centre, province), sums in totals.items()]
        return sorted(result, key=lambda row: (-row.incomplete, row.province, row.centre))

    async def centre_files(
        self, scope: Scope, centre: str, centre_province: str, *, incomplete_only: bool
    ) -> list[FileRow]:
        """A centre's trainees (or only those whose file is incomplete), each with what is
        missing: papers, then the exam result and the certificate."""
        async with self._sessions() as session:
            await without_jit(session)
            stmt = (
                select(Application, Person)
                .join(Course, Course.course_code == Application.course_code)
                .join(Person, Person.id == Application.person_id)
                .where(
                    Course.center_name == centre, Course.province == centre_province,
                    Application.status.in_(TRAINEE_STATUSES),
                    *within(Application.province, scope.provinces),
                )
                .order_by(Application.submitted_at, Application.id)
            )
            if incomplete_only:
                stmt = stmt.where(or_(self._missing_condition(), exams_outstanding()))
            with_exams = stmt.add_columns(has_result().label("r"), has_certificate().label("c"))
            found = list(await session.execute(with_exams.limit(LIST_LIMIT)))
            pairs = [(row[0], row[1]) for row in found]
            exams_in = {row[0].id: (bool(row[2]), bool(row[3])) for row in found}
            accepted: dict[int, set[str]] = {}
            if pairs:
                docs = await session.execute(
                    select(ApplicationDocument.application_id, ApplicationDocument.kind).where(
                        ApplicationDocument.application_id.in_([app.id for app, _ in pairs]),
                        ApplicationDocument.state == DocumentState.ACCEPTED.value,
                    )
                )
                for app_id, kind in docs:
                    accepted.setdefault(app_id, set()).add(kind)
        return [
            FileRow(app.tracking_code, person.full_name, app.status, app.program, app.province,
                    app.submitted_at,
                    self._missing(app, person, accepted.get(app.id, set()))
                    + exam_gaps(app.status, *exams_in[app.id]))
            for app, person in pairs
        ]

    def _missing(self, app: Application, person: Person, accepted: set[str]) -> tuple[str, ...]:
        program = self._registry.get(app.program)
        if program is None:
            return ()
        return tuple(
            requirement.kind for requirement in program.documents
            if requirement.is_mandatory_for(person.relief_client)
            and requirement.kind not in accepted
        )

    async def queue(self, scope: Scope, *, limit: int = LIST_LIMIT) -> tuple[int, list[FileRow]]:
        """The applications waiting for staff, oldest submission first (what /queue lists).
        One ordered read per status (each walks the (status, submitted_at) index and stops at
        `limit`), merged here: no sort of the whole queue."""
        where = within(Application.province, scope.provinces)
        async with self._sessions() as session:
            await without_jit(session)
            total = int(await session.scalar(
                select(func.count(Application.id))
                .where(Application.status.in_(QUEUE_STATUSES), *where)
            ) or 0)
            found: list[tuple[Application, str | None]] = []
            for status in QUEUE_STATUSES:
                rows = await session.execute(
                    select(Application, Person.full_name)
                    .join(Person, Person.id == Application.person_id)
                    .where(Application.status == status, *where)
                    .order_by(Application.submitted_at, Application.id)
                    .limit(limit)
                )
                found.extend((app, name) for app, name in rows)
        found.sort(key=lambda pair: (_utc(pair[0].submitted_at), pair[0].id))
        files = [
            FileRow(app.tracking_code, name, app.status, app.program, app.province,
                    app.submitted_at)
            for app, name in found[:limit]
        ]
        return total, files

    async def application(
        self, tracking_code: str
    ) -> tuple[FileRow, list[tuple[str, dt.datetime]]] | None:
        """One application by tracking code with its status timeline (the caller checks the
        province)."""
        async with self._sessions() as session:
            await without_jit(session)
            row = (await session.execute(
                select(Application, Person.full_name)
                .join(Person, Person.id == Application.person_id)
                .where(Application.tracking_code == tracking_code)
            )).first()
            if row is None:
                return None
            app, name = row
            events = await session.execute(
                select(ApplicationEvent.to_status, ApplicationEvent.at)
                .where(ApplicationEvent.application_id == app.id)
                .order_by(ApplicationEvent.at, ApplicationEvent.id)
            )
            timeline = [(status, at) for status, at in events]
        return (
            FileRow(app.tracking_code, name, app.status, app.program, app.province,
                    app.submitted_at),
            timeline,
        )


def _utc(moment: dt.datetime | None) -> dt.datetime:
    if moment is None:
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
