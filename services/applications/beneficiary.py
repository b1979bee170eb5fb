"""ApplicationService, the beneficiary's half: open a draft, fill it in, submit, follow it."""

from __future__ import annotations

import datetime as dt

from persiantools.jdatetime import JalaliDate
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.base import ServiceBase
from services.applications.course_rules import program_course_condition
from services.applications.errors import ApplicationLocked, NotAuthorized
from services.applications.results import (
    ApplicationView,
    SetCourseOutcome,
    StartOutcome,
    StartResult,
    SubmitOutcome,
    SubmitResult,
)
from services.applications.status import ACTIVE, FINAL, Status
from services.applications.views import (
    missing_answers,
    missing_documents,
)
from services.catalog import CourseCard, card_of
from services.programs import (
    AnswerError,
    Program,
    check_eligibility,
    course_qualifies,
    validate_answer,
)
from services.staff_alerts import (
    DOCUMENTS_RESENT,
    WITHDRAWN,
    queue_staff_alert,
    queue_submission_alert,
)
from services.waitlists.service import applied_to
from services.webhooks import emitters as webhook_events
from storage.models import Application, utcnow
from storage.repositories.applications import (
    ApplicationCourseRepository,
    ApplicationRepository,
)
from storage.repositories.persons import PersonRepository

_ACTIVE = [s.value for s in ACTIVE]


class BeneficiaryMethods(ServiceBase):
    # --- reading ------------------------------------------------------------------------------

    async def drafts(self, person_id: int) -> list[ApplicationView]:
        """The person's drafts (at most one per program), newest first."""
        return await self._of_person(person_id, [Status.DRAFT.value])

    async def my_file(self, person_id: int) -> list[ApplicationView]:
        """All the person's applications (any status, drafts included), newest first, each
        with its documents and status timeline."""
        return await self._of_person(person_id, None)

    async def _of_person(
        self, person_id: int, statuses: list[str] | None
    ) -> list[ApplicationView]:
        async with self._reads() as session:
            apps = await ApplicationRepository(session).of_person(person_id, statuses)
            person = await PersonRepository(session).get(person_id)
            return await self._views(session, apps, person)

    async def get_for_person(self, app_id: int, person_id: int) -> ApplicationView | None:
        """None if there is no such application or it is someone else's (logged)."""
        async with self._sessions() as session:
            app = await self._own(session, app_id, person_id)
            return None if app is None else await self._view(session, app)

    # --- the draft ----------------------------------------------------------------------------

    async def start_or_resume(
        self,
        person_id: int,
        program_id: str,
        course_code: str | None = None,
        *,
        today: dt.date | None = None,
    ) -> StartResult:
        """Open a draft for this program, or return the one already there.

        - CREATED / RESUMED: `view` is the draft (a course_code given is set on it when it
          qualifies; otherwise it is ignored and the UI offers eligible_courses).
        - ACTIVE_EXISTS: the person already has a submitted/in-progress application for this
          program; `view` is that one (one active application per program and person).
        - NOT_ELIGIBLE: `unmet` lists the rules not met (nothing is created).
        - NOT_REGISTERED / UNKNOWN_PROGRAM: nothing is created.
        Safe under double taps: two concurrent calls give one draft."""
        program = self.registry.get(program_id)
        if program is None:
            return StartResult(StartOutcome.UNKNOWN_PROGRAM)
        day = self._today(today)
        async with self._sessions() as session:
            person = await PersonRepository(session).get(person_id)
            if person is None or not person.is_registered:
                return StartResult(StartOutcome.NOT_REGISTERED)
            repo = ApplicationRepository(session)
            existing = await repo.active(person_id, program.id, _ACTIVE)
            if existing is None:
                unmet = check_eligibility(program, person, day)
                if unmet:
                    return StartResult(StartOutcome.NOT_ELIGIBLE, unmet=tuple(unmet))
                code = await self._qualifying_code(session, program, course_code, day)
                try:
                    app = await repo.add(
                        Application(
                            person_id=person_id,
                            program=program.id,
                            program_version=program.version,
                            status=Status.DRAFT.value,
                            course_code=code,
                            answers={},
                            province=person.province,
                        )
                    )
                    repo.add_event(app.id, None, Status.DRAFT, "person", str(person_id))
                    await session.commit()
                except IntegrityError:
                    # A double tap: the other request created it first (the partial unique
                    # index); resume that one.
                    await session.rollback()
                    existing = await repo.active(person_id, program.id, _ACTIVE)
                    if existing is None:
                        raise
                else:
                    return StartResult(StartOutcome.CREATED, await self._view(session, app))
            if existing.status != Status.DRAFT:
                return StartResult(StartOutcome.ACTIVE_EXISTS, await self._view(session, existing))
            if course_code is not None:
                code = await self._qualifying_code(session, program, course_code, day)
                if code is not None and code != existing.course_code:
                    await repo.touch(existing.id, course_code=code)
                    await session.commit()
                    await repo.get(existing.id)
            return StartResult(StartOutcome.RESUMED, await self._view(session, existing))

    async def _qualifying_code(
        self, session: AsyncSession, program: Program, code: str | None, today: dt.date
    ) -> str | None:
        if code is None:
            return None
        course = await ApplicationCourseRepository(session).by_code(code)
        if course is None or not course_qualifies(program, card_of(course, today)):
            return None
        return course.course_code

    async def eligible_courses(
        self,
        program_id: str,
        *,
        province: str | None = None,
        today: dt.date | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[CourseCard]:
        """Open courses (not full, not started) this program pays for, soonest start first;
        `province` narrows to one province (None = all)."""
        program = self.registry.get(program_id)
        if program is None:
            return []
        day = self._today(today)
        async with self._sessions() as session:
            courses = await ApplicationCourseRepository(session).open_matching(
                program_course_condition(program), day, province, max(limit, 0), max(offset, 0)
            )
        return [card_of(course, day) for course in courses]

    async def set_course(
        self, app_id: int, person_id: int, course_code: str, *, today: dt.date | None = None
    ) -> SetCourseOutcome:
        """Choose the course of a draft; only an open course the program pays for is taken."""
        day = self._today(today)
        async with self._sessions() as session:
            app = await self._own(session, app_id, person_id)
            if app is None:
                return SetCourseOutcome.NOT_FOUND
            if app.status != Status.DRAFT:
                return SetCourseOutcome.NOT_ALLOWED_NOW
            course = await ApplicationCourseRepository(session).by_code(course_code)
            if course is None:
                return SetCourseOutcome.UNKNOWN_COURSE
            if not course_qualifies(self._program(app), card_of(course, day)):
                return SetCourseOutcome.NOT_QUALIFIED
            if not await ApplicationRepository(session).move(
                app.id, [Status.DRAFT], Status.DRAFT, course_code=course.course_code
            ):
                return SetCourseOutcome.NOT_ALLOWED_NOW
            await session.commit()
            return SetCourseOutcome.SET

    async def set_answer(
        self,
        app_id: int,
        person_id: int,
        question_id: str,
        raw: str,
        *,
        today: dt.date | None = None,
    ) -> AnswerError | None:
        """Validate and store one answer of a draft: None = saved, else the AnswerError (the
        draft keeps the previous answer). An empty `raw` for an optional question clears it.
        Raises NotAuthorized for someone else's application, LookupError for a question id
        the program does not have, ApplicationLocked when it is no longer a draft."""
        async with self._sessions() as session:
            app = await self._own(session, app_id, person_id)
            if app is None:
                raise NotAuthorized(f"application {app_id} is not person {person_id}'s")
            question = self._program(app).question(question_id)
            if question is None:
                raise LookupError(f"program {app.program!r} has no question {question_id!r}")
            if app.status != Status.DRAFT:
                raise ApplicationLocked(f"application {app.id} is {app.status}")
            answers = dict(app.answers or {})
            if not (raw or "").strip() and not question.required:
                answers.pop(question.id, None)
            else:
                try:
                    answers[question.id] = validate_answer(
                        question, raw, today=self._today(today)
                    )
                except AnswerError as error:
                    return error
            if not await ApplicationRepository(session).move(
                app.id, [Status.DRAFT], Status.DRAFT, answers=answers
            ):
                raise ApplicationLocked(f"application {app.id} is no longer a draft")
            await session.commit()
            return None

    # --- submitting and after -----------------------------------------------------------------

    async def submit(
        self, app_id: int, person_id: int, *, today: dt.date | None = None
    ) -> SubmitResult:
        """draft -> submitted. Requires every required answer and mandatory document, a course
        that is still open and counts for the program, and eligibility re-checked today.
        Assigns the tracking code (e.g. HMN-1405-000123). Idempotent: a second call or a
        concurrent double tap gives ALREADY_SUBMITTED with the same tracking code."""
        day = self._today(today)
        async with self._sessions() as session:
            app = await self._own(session, app_id, person_id)
            if app is None:
                return SubmitResult(SubmitOutcome.NOT_FOUND)
            if app.status != Status.DRAFT:
                return await self._already(session, app)
            program = self._program(app)
            view = await self._view(session, app)
            answers = tuple(q.id for q in missing_answers(program, view.answers))
            documents = tuple(d.kind for d in missing_documents(program, view))
            if answers or documents or app.course_code is None:
                return SubmitResult(
                    SubmitOutcome.INCOMPLETE,
                    view=view,
                    missing_answers=answers,
                    missing_documents=documents,
                    missing_course=app.course_code is None,
                )
            course = await ApplicationCourseRepository(session).by_code(app.course_code)
            if course is None or not course_qualifies(program, card_of(course, day)):
                return SubmitResult(SubmitOutcome.COURSE_CLOSED, view=view)
            person = await PersonRepository(session).get(person_id)
            assert person is not None  # the application cascades away with its person
            unmet = check_eligibility(program, person, day)
            if unmet:
                return SubmitResult(SubmitOutcome.NOT_ELIGIBLE, view=view, unmet=tuple(unmet))
            province = person.province
            course_id = course.id
        # A fresh transaction whose first statement is the conditional move: of two racing
        # submits exactly one moves the draft, the other finds it submitted.
        async with self._sessions() as session:
            repo = ApplicationRepository(session)
            submitted_at = utcnow()
            moved = await repo.move(
                app_id, [Status.DRAFT], Status.SUBMITTED, submitted_at=submitted_at,
                province=province,
            )
            if not moved:
                await session.rollback()
                fresh = await repo.get(app_id)
                if fresh is None:
                    return SubmitResult(SubmitOutcome.NOT_FOUND)
                return await self._already(session, fresh)
            number = await repo.next_number(program.id)
            code = f"{program.code_prefix}-{JalaliDate(day).year}-{number:06d}"
            await repo.touch(app_id, tracking_code=code)
            repo.add_event(app_id, Status.DRAFT, Status.SUBMITTED, "person", str(person_id))
            submitted = await repo.get(app_id)
            assert submitted is not None
            await webhook_events.application_submitted(session, submitted)
            await queue_submission_alert(
                session, self._staff_chats, app_id, province=province,
                submitted_at=submitted_at, timezone=self._timezone,
            )
            # Applied: the person's waitlist entries this course matches are done.
            await applied_to(session, person_id, course_id, day)
            await session.commit()
            fresh = await repo.get(app_id)
            assert fresh is not None
            return SubmitResult(SubmitOutcome.SUBMITTED, code, await self._view(session, fresh))

    async def _already(self, session: AsyncSession, app: Application) -> SubmitResult:
        view = await self._view(session, app)
        if app.tracking_code is None or view.status in FINAL:
            # Withdrawn/rejected/completed: "already submitted" would mislead.
            return SubmitResult(SubmitOutcome.NOT_ALLOWED_NOW, app.tracking_code, view)
        return SubmitResult(SubmitOutcome.ALREADY_SUBMITTED, app.tracking_code, view)

    async def send_documents(self, app_id: int, person_id: int) -> SubmitResult:
        """needs_documents -> under_review once every requested kind has a new upload (and
        every mandatory kind is in); INCOMPLETE with missing_documents otherwise;
        ALREADY_SUBMITTED when it is not waiting for documents (already sent)."""
        async with self._sessions() as session:
            app = await self._own(session, app_id, person_id)
            if app is None:
                return SubmitResult(SubmitOutcome.NOT_FOUND)
            if app.status != Status.NEEDS_DOCUMENTS:
                return await self._already(session, app)
            view = await self._view(session, app)
            missing = tuple(d.kind for d in missing_documents(self._program(app), view))
            if missing:
                return SubmitResult(
                    SubmitOutcome.INCOMPLETE, view=view, missing_documents=missing
                )
            await self._move(
                session, app, Status.UNDER_REVIEW, actor_kind="person",
                actor_ref=str(person_id), reason="documents_sent",
            )
            await queue_staff_alert(
                session, self._staff_chats,
                {"event": DOCUMENTS_RESENT, "application_id": app.id}, province=app.province,
            )
            await session.commit()
            return SubmitResult(
                SubmitOutcome.SUBMITTED, app.tracking_code, await self._view(session, app)
            )

    async def discard(self, app_id: int, person_id: int) -> bool:
        """Delete a draft (and its documents); False if not a draft of this person."""
        async with self._sessions() as session:
            app = await self._own(session, app_id, person_id)
            if app is None or app.status != Status.DRAFT:
                return False
            repo = ApplicationRepository(session)
            keys = {d.store_key for d in await repo.documents([app.id]) if d.store_key}
            if not await repo.move(app.id, [Status.DRAFT], Status.DRAFT):
                return False  # submitted meanwhile
            await repo.delete(app)
            await session.commit()
        for key in keys:
            await self._forget_file(key)
        return True

    async def withdraw(
        self, app_id: int, person_id: int, reason: str | None = None
    ) -> ApplicationView | None:
        """-> withdrawn (from submitted, under_review, needs_documents, approved, enrolled).
        None if not theirs; ForbiddenTransition from a draft (discard it) or a final status."""
        async with self._sessions() as session:
            app = await self._own(session, app_id, person_id)
            if app is None:
                return None
            await self._move(
                session, app, Status.WITHDRAWN, actor_kind="person", actor_ref=str(person_id),
                reason=reason, decided_at=utcnow(),
            )
            await queue_staff_alert(
                session, self._staff_chats, {"event": WITHDRAWN, "application_id": app.id},
                province=app.province,
            )
            await session.commit()
            return await self._view(session, app)
