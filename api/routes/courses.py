"""/v1/courses: upsert a batch (errors per item) and close one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from api.auth import require_scope
from api.context import ApiContext, api_context
from api.idempotency import IDEMPOTENCY_RESPONSES, IdempotencyKey, idempotent
from api.problems import problem_responses
from api.schemas.courses import CourseClosed, CoursesIn, CoursesOut, results_of
from services.api_clients import ClientIdentity

Writer = Annotated[ClientIdentity, Depends(require_scope("courses:write"))]
Context = Annotated[ApiContext, Depends(api_context)]


def build_router() -> APIRouter:
    router = APIRouter(prefix="/courses", tags=["courses"])

    @router.post(
        "", response_model=CoursesOut, summary="Create or update courses (by course_code)",
        description="Each item is checked by the catalog import's row rules. Good items are "
                    "written (in one transaction), each bad one is answered with its errors; "
                    "the answer is 200 either way. A province-limited client writes only its "
                    "provinces' courses.",
        responses={**problem_responses(401, 403, 409, 422, 429),
                   200: {"headers": IDEMPOTENCY_RESPONSES}},
    )
    async def upsert_courses(
        request: Request, batch: CoursesIn, client: Writer, context: Context,
        idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            results = await context.services.integration.courses.upsert(
                client, [item.model_dump() for item in batch.items]
            )
            return Response(results_of(results).model_dump_json(), media_type="application/json")

        return await idempotent(context, request, client, idempotency_key, batch, work)

    @router.post(
        "/{course_code}/close", response_model=CourseClosed, summary="Close a course",
        description="No seats left from now: the course leaves browsing and takes no new "
                    "applications; those already made are untouched.",
        responses={**problem_responses(401, 403, 404, 409, 422, 429),
                   200: {"headers": IDEMPOTENCY_RESPONSES}},
    )
    async def close_course(
        request: Request,
        course_code: Annotated[str, Path(max_length=32, examples=["TVT-1021"])],
        client: Writer, context: Context, idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            code, was_open = await context.services.integration.courses.close(
                client, course_code
            )
            body = CourseClosed(course_code=code, was_open=was_open)
            return Response(body.model_dump_json(), media_type="application/json")

        return await idempotent(context, request, client, idempotency_key, None, work)

    return router
