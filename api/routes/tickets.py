"""/v1/tickets: hand-off tickets (tickets:read), a list and one with its messages."""

from __future__ import annotations

from typing import Annotated, Literal

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
from api.problems import problem_responses
from api.schemas.tickets import TicketList, TicketOut, summary_of, ticket_of
from services.api_clients import ClientIdentity

Reader = Annotated[ClientIdentity, Depends(require_scope("tickets:read"))]
Context = Annotated[ApiContext, Depends(api_context)]


def build_router() -> APIRouter:
    router = APIRouter(prefix="/tickets", tags=["tickets"])

    @router.get(
        "", response_model=TicketList, summary="Tickets, oldest first, by pages",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 422, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def list_tickets(
        request: Request, client: Reader, context: Context,
        status: Literal["open", "waiting", "resolved"] | None = None,
        province: Annotated[str | None, Query(max_length=64, examples=["البرز"])] = None,
        updated_since: UpdatedSince = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response:
        page = await context.services.integration.tickets.page(
            client, status=status, province=province, updated_since=since_utc(updated_since),
            after_id=decode_cursor(cursor), limit=limit,
        )
        body = TicketList(
            items=[summary_of(ticket, name) for ticket, name in page.items],
            next_cursor=encode_cursor(page.next_after),
        )
        return json_with_etag(request, body)

    @router.get(
        "/{ticket_id}", response_model=TicketOut, summary="One ticket with its messages",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 404, 422, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def get_ticket(
        request: Request, ticket_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        client: Reader, context: Context,
    ) -> Response:
        record = await context.services.integration.tickets.record(client, ticket_id)
        return json_with_etag(request, ticket_of(record))

    return router
