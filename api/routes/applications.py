"""/v1/applications: the list, one by tracking code, and its status transitions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from api.auth import require_scope
from api.context import ApiContext, api_context
from api.http import (
    ETAG_HEADER,
    NOT_MODIFIED,
    Cursor,
    Limit,
    UpdatedSince,
    decode_cursor,
    encode_cursor,
    json_with_etag,
    since_utc,
)
from api.idempotency import IDEMPOTENCY_RESPONSES, IdempotencyKey, idempotent
from api.problems import problem_responses
from api.schemas.applications import (
    TRACKING_CODE_EXAMPLE,
    ApplicationList,
    ApplicationOut,
    StatusName,
    TransitionIn,
    TransitionOut,
    application_of,
    summary_of,
)
from services.api_clients import ClientIdentity
from services.applications import Status
from services.integration import TransitionRequest, api_transitions_from

Reader = Annotated[ClientIdentity, Depends(require_scope("applications:read"))]
Writer = Annotated[ClientIdentity, Depends(require_scope("applications:write"))]
Context = Annotated[ApiContext, Depends(api_context)]
TrackingCode = Annotated[
    str, Path(max_length=40, description="Any usual spelling (Persian digits too)",
              examples=[TRACKING_CODE_EXAMPLE]),
]


def build_router() -> APIRouter:
    router = APIRouter(prefix="/applications", tags=["applications"])

    @router.get(
        "", response_model=ApplicationList, summary="Applications, oldest first, by pages",
        description="Sent applications (drafts are the person's own) of the client's provinces. "
                    "Paging by `cursor` is stable: a page never repeats or skips an item, new "
                    "applications come on later pages. Poll with `updated_since` for changes.",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 422, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def list_applications(
        request: Request,
        client: Reader,
        context: Context,
        program: Annotated[str | None, Query(max_length=40, examples=["hamnava"])] = None,
        status: StatusName | None = None,
        province: Annotated[str | None, Query(max_length=64, examples=["تهران"])] = None,
        course: Annotated[str | None, Query(max_length=32, examples=["TVT-1021"])] = None,
        updated_since: UpdatedSince = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response:
        page = await context.services.integration.applications.page(
            client, status=Status(status) if status else None, program=program,
            province=province, course_code=course,
            updated_since=since_utc(updated_since), after_id=decode_cursor(cursor), limit=limit,
        )
        body = ApplicationList(
            items=[summary_of(row) for row in page.items],
            next_cursor=encode_cursor(page.next_after),
        )
        return json_with_etag(request, body)

    @router.get(
        "/{tracking_code}", response_model=ApplicationOut, summary="One application",
        description="Profile, answers, documents' metadata and status timeline. National code, "
                    "phone and relief number only with people:read. Audited.",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 404, 422, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def get_application(
        request: Request, tracking_code: TrackingCode, client: Reader, context: Context
    ) -> Response:
        record = await context.services.integration.applications.record(client, tracking_code)
        body = application_of(record, api_transitions_from(record.card.view.status))
        return json_with_etag(request, body)

    @router.post(
        "/{tracking_code}/transitions", response_model=TransitionOut,
        summary="Change an application's status",
        description="The staff screens' state machine and rules: under_review (take it), "
                    "needs_documents (`documents`, optional `reason` as the note), approved, "
                    "rejected (`reason` required), enrolled, completed. A forbidden move is a "
                    "409 problem with the reason and the allowed targets; the person is told "
                    "through their messenger as when a caseworker decides.",
        responses={**problem_responses(401, 403, 404, 409, 422, 429),
                   200: {"headers": IDEMPOTENCY_RESPONSES}},
    )
    async def transition(
        request: Request,
        tracking_code: TrackingCode,
        change: TransitionIn,
        client: Writer,
        context: Context,
        idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            record, notification = await context.services.integration.applications.transition(
                client, tracking_code,
                TransitionRequest(
                    target=Status(change.to), reason=change.reason,
                    documents=tuple(change.documents), replace=change.replace,
                ),
            )
            body = TransitionOut(
                application=application_of(record, api_transitions_from(record.card.view.status)),
                notified=notification.queued,
            )
            return Response(body.model_dump_json(), media_type="application/json")

        return await idempotent(context, request, client, idempotency_key, change, work)

    return router

