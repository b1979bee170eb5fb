"""/v1/people/lookup: a person by national code (people:read). A POST so the national code is
never in a URL (URLs end up in proxies' logs)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from api.auth import require_scope
from api.context import ApiContext, api_context
from api.idempotency import IDEMPOTENCY_RESPONSES, IdempotencyKey, idempotent
from api.problems import problem_responses
from api.schemas.people import LookupIn, PersonOut, person_of
from services.api_clients import ClientIdentity


def build_router() -> APIRouter:
    router = APIRouter(prefix="/people", tags=["people"])

    @router.post(
        "/lookup", response_model=PersonOut, summary="A person by national code",
        description="The profile and the applications they sent (of the client's provinces). "
                    "404 for an unknown code or a person of another province; 422 for a code "
                    "that is not valid. Audited by person id.",
        responses={**problem_responses(401, 403, 404, 422, 429),
                   200: {"headers": IDEMPOTENCY_RESPONSES}},
    )
    async def lookup(
        request: Request, query: LookupIn,
        client: Annotated[ClientIdentity, Depends(require_scope("people:read"))],
        context: Annotated[ApiContext, Depends(api_context)],
        idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            record = await context.services.integration.people.lookup(
                client, query.national_code
            )
            return Response(person_of(record).model_dump_json(), media_type="application/json")

        return await idempotent(context, request, client, idempotency_key, query, work)

    return router
