"""/v1/exam-sessions: the list, one, create, move, cancel; a session's roll, attendance and
results. Each change goes through services/exams as a caseworker's would, so the enrolled are
told through the outbox exactly as from the chat."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from api.auth import require_scope
from api.context import ApiContext, api_context
from api.http import (
    ETAG_HEADER,
    NOT_MODIFIED,
    Cursor,
    Limit,
    decode_cursor,
    encode_cursor,
    json_with_etag,
    since_utc,
)
from api.idempotency import IDEMPOTENCY_RESPONSES, IdempotencyKey, idempotent
from api.problems import problem_responses
from api.schemas.exams import (
    AttendanceIn,
    AttendanceOut,
    ExamMoveIn,
    ExamSessionIn,
    ExamSessionList,
    ExamSessionOut,
    ResultIn,
    ResultOut,
    RollOut,
    SessionChangeOut,
    StateName,
    roll_line_of,
    session_of,
)
from services.api_clients import ClientIdentity
from services.exams import SessionInput
from services.integration.exams import SessionChange
from storage.repositories.api_reads import ExamSessionFilter

Reader = Annotated[ClientIdentity, Depends(require_scope("exams:read"))]
Writer = Annotated[ClientIdentity, Depends(require_scope("exams:write"))]
Context = Annotated[ApiContext, Depends(api_context)]
SessionId = Annotated[int, Path(ge=1, le=2**31 - 1, examples=[12])]
Moment = Annotated[
    str | None,
    Query(max_length=40, json_schema_extra={"format": "date-time"},
          examples=["2027-01-01T00:00:00+03:30"]),
]
WRITE_ANSWERS: dict[int | str, dict[str, Any]] = {
    **problem_responses(401, 403, 404, 409, 422, 429), 200: {"headers": IDEMPOTENCY_RESPONSES},
}


# OpenAPI links from a created session to what can be done with it (stateful clients and
# schemathesis follow them).
CREATED_LINKS: dict[str, Any] = {
    name: {"operationId": operation, "parameters": {"session_id": "$response.body#/session/id"}}
    for name, operation in (("GetSession", "get_exam_session"),
                            ("SessionRoll", "exam_session_roll"),
                            ("MoveSession", "move_exam_session"),
                            ("CancelSession", "cancel_exam_session"))
}


def _json(model: Any) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")


def _change(change: SessionChange) -> Response:
    return _json(SessionChangeOut(session=session_of(change.session), told=change.told))


def build_router() -> APIRouter:
    router = APIRouter(prefix="/exam-sessions", tags=["exams"])

    @router.get(
        "", response_model=ExamSessionList, summary="Exam sessions, oldest first, by pages",
        description="Sessions of the client's provinces (cancelled ones too, marked). `from` "
                    "and `to` bound the start (`from` ≤ start < `to`; RFC 3339, no zone: UTC).",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 422, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def list_sessions(
        request: Request, client: Reader, context: Context,
        course: Annotated[str | None, Query(max_length=32, examples=["TVT-1021"])] = None,
        province: Annotated[str | None, Query(max_length=64, examples=["تهران"])] = None,
        starts_from: Annotated[Moment, Query(alias="from")] = None,
        starts_to: Annotated[Moment, Query(alias="to")] = None,
        state: StateName | None = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response:
        where = ExamSessionFilter(
            course_code=course, province=province, state=state,
            starts_from=since_utc(starts_from, "from"),
            starts_before=since_utc(starts_to, "to"),
        )
        page = await context.services.integration.exams.page(
            client, where, decode_cursor(cursor), limit
        )
        body = ExamSessionList(items=[session_of(view) for view in page.items],
                               next_cursor=encode_cursor(page.next_after))
        return json_with_etag(request, body)

    @router.get(
        "/{session_id}", response_model=ExamSessionOut, summary="One exam session",
        operation_id="get_exam_session",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 404, 422, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def get_session(
        request: Request, session_id: SessionId, client: Reader, context: Context
    ) -> Response:
        view = await context.services.integration.exams.record(client, session_id)
        return json_with_etag(request, session_of(view))

    @router.post(
        "", response_model=SessionChangeOut, summary="Create an exam session",
        description="The chat form's rules: a course of the client's provinces, a start "
                    "ahead (RFC 3339 with its offset), a place, a capacity above 0. Every "
                    "person enrolled in the course is told at once and reminded before it, as "
                    "when a caseworker creates it. A refused field is a 422 problem whose "
                    "`errors` name it.",
        responses={**WRITE_ANSWERS,
                   200: {"headers": IDEMPOTENCY_RESPONSES, "links": CREATED_LINKS}},
    )
    async def create_session(
        request: Request, data: ExamSessionIn, client: Writer, context: Context,
        idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            change = await context.services.integration.exams.create(client, SessionInput(
                course_code=data.course_code, kind=data.kind, date_text="", time_text="",
                place=data.place, capacity=data.capacity, latitude=data.latitude,
                longitude=data.longitude, starts_at=data.starts_at,
            ))
            return _change(change)

        return await idempotent(context, request, client, idempotency_key, data, work)

    @router.post(
        "/{session_id}/move", response_model=SessionChangeOut, summary="Move an exam session",
        operation_id="move_exam_session",
        description="A new start (and place): the enrolled are told the new time, the "
                    "reminders of the old one are void. A cancelled session is a 409.",
        responses=WRITE_ANSWERS,
    )
    async def move_session(
        request: Request, session_id: SessionId, data: ExamMoveIn, client: Writer,
        context: Context, idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            return _change(await context.services.integration.exams.move(
                client, session_id, data.starts_at, data.place
            ))

        return await idempotent(context, request, client, idempotency_key, data, work)

    @router.post(
        "/{session_id}/cancel", response_model=SessionChangeOut,
        summary="Cancel an exam session", operation_id="cancel_exam_session",
        description="The enrolled are told; every reminder is void. Cancelled already: 409.",
        responses=WRITE_ANSWERS,
    )
    async def cancel_session(
        request: Request, session_id: SessionId, client: Writer, context: Context,
        idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            return _change(await context.services.integration.exams.cancel(client, session_id))

        return await idempotent(context, request, client, idempotency_key, None, work)

    @router.get(
        "/{session_id}/roll", response_model=RollOut,
        summary="Who is enrolled, their answers, attendance and results",
        operation_id="exam_session_roll",
        description="Everyone enrolled in the session's course (and anyone who answered), "
                    "by name. Audited.",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 404, 422, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def roll(
        request: Request, session_id: SessionId, client: Reader, context: Context
    ) -> Response:
        view, lines = await context.services.integration.exams.roll(client, session_id)
        body = RollOut(session=session_of(view), people=[roll_line_of(x) for x in lines])
        return json_with_etag(request, body)

    @router.post(
        "/{session_id}/attendance", response_model=AttendanceOut,
        summary="Mark whether someone came",
        description="Only once the session has started (else 409 session-not-held-yet); "
                    "someone not enrolled in its course is a 409 not-enrolled.",
        responses=WRITE_ANSWERS,
    )
    async def mark_attendance(
        request: Request, session_id: SessionId, data: AttendanceIn, client: Writer,
        context: Context, idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            code = await context.services.integration.exams.mark_attendance(
                client, session_id, data.tracking_code, data.attended
            )
            return _json(AttendanceOut(session_id=session_id, tracking_code=code,
                                       attended=data.attended))

        return await idempotent(context, request, client, idempotency_key, data, work)

    @router.post(
        "/{session_id}/results", response_model=ResultOut, summary="Record one result",
        description="Once the session has started; the person must be enrolled in its course "
                    "(409 not-enrolled). Recorded again: replaced. The person is told the "
                    "result and the next step through their messenger.",
        responses=WRITE_ANSWERS,
    )
    async def record_result(
        request: Request, session_id: SessionId, data: ResultIn, client: Writer,
        context: Context, idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            recorded = await context.services.integration.exams.record_result(
                client, session_id, data.tracking_code, data.passed, data.score
            )
            result = recorded.result
            return _json(ResultOut(
                session_id=session_id, tracking_code=recorded.tracking_code,
                kind=result.session.kind,  # type: ignore[arg-type]
                passed=result.passed, score=result.score,
                next_step=result.next_step.value,
            ))

        return await idempotent(context, request, client, idempotency_key, data, work)

    return router
