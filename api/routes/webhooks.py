"""/v1/webhooks: the calling client's own webhook endpoints and their deliveries (endpoints are
added and removed by an administrator: `python -m bot api-clients webhook ...`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Response

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
)
from api.problems import problem_responses
from api.schemas.webhooks import (
    WebhookDeliveryList,
    WebhookEndpointList,
    WebhookEvent,
    delivery_of,
    endpoint_of,
)
from services.api_clients import ClientIdentity
from services.webhooks import EVENTS

Reader = Annotated[ClientIdentity, Depends(require_scope("webhooks:read"))]
Context = Annotated[ApiContext, Depends(api_context)]


def build_router() -> APIRouter:
    router = APIRouter(prefix="/webhooks", tags=["webhooks"])

    @router.get(
        "", response_model=WebhookEndpointList, summary="The client's webhook endpoints",
        description="Active endpoints and the events each receives (never the secret: it is "
                    "shown once, when an administrator adds the endpoint).",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def endpoints(request: Request, client: Reader, context: Context) -> Response:
        found = await context.services.webhook_service.endpoints_of_client(client.id)
        return json_with_etag(request, WebhookEndpointList(items=[endpoint_of(e) for e in found]))

    @router.get(
        "/deliveries", response_model=WebhookDeliveryList,
        summary="The client's webhook deliveries, newest first",
        description="Every event sent (or being sent) to the client's endpoints, with its "
                    "attempts, the last answer's status code or error, and the body as sent. "
                    "`status=failed` lists those given up.",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 422, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def deliveries(
        request: Request,
        client: Reader,
        context: Context,
        status: Annotated[
            Literal["pending", "delivered", "failed"] | None, Query(description="Only these")
        ] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response:
        before = decode_cursor(cursor) or None
        rows = await context.services.webhook_service.deliveries_of_client(
            client.id, status=status, before_id=before, limit=limit + 1
        )
        more = len(rows) > limit
        rows = rows[:limit]
        return json_with_etag(request, WebhookDeliveryList(
            items=[delivery_of(row) for row in rows],
            next_cursor=encode_cursor(rows[-1].id) if more and rows else None,
        ))

    return router


EventHeader = Annotated[str, Header(examples=["application.submitted"])]
EventIdHeader = Annotated[str, Header(description="Drop repeats by it")]
TimestampHeader = Annotated[str, Header(description="Unix seconds; part of what is signed")]
SignatureHeader = Annotated[str, Header(
    description='sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>'
)]


async def _receiver(
    event: WebhookEvent,
    x_maharatyar_event: EventHeader,
    x_maharatyar_event_id: EventIdHeader,
    x_maharatyar_timestamp: TimestampHeader,
    x_maharatyar_signature: SignatureHeader,
) -> None:
    """Answer 2xx once stored; anything else is retried with backoff."""


def document_events(app: FastAPI) -> None:
    """The events in the OpenAPI document's `webhooks` (3.1): what a receiver is sent."""
    for event_type, (scope, meaning) in EVENTS.items():
        app.webhooks.post(
            event_type, summary=meaning, tags=["webhooks"],
            description=f"Sent to endpoints of clients with `{scope}` (limited to their "
                        "provinces) that subscribed to it. Any 2xx answer is a delivery; "
                        "anything else is retried with backoff, at least once in all.",
            status_code=200, response_description="Stored",
        )(_receiver)
