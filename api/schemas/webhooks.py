"""A client's webhook endpoints and their deliveries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from api.http import utc
from services.webhooks import DeliverySummary, EndpointSummary

EVENT_EXAMPLE: dict[str, Any] = {
    "id": "0b7d3c1e-9a53-4f6e-8f0e-2f1c5d7a9b10",
    "type": "application.status_changed",
    "created_at": "2026-12-03T08:15:00Z",
    "data": {
        "tracking_code": "HMN-1405-000123", "program": "hamnava",
        "previous_status": "under_review", "status": "needs_documents", "by": "staff",
        "reason": "تصویر پشت کارت ملی را هم بفرستید.", "course_code": "TVT-1021",
        "province": "تهران", "changed_at": "2026-12-03T08:15:00Z",
    },
}


class WebhookEvent(BaseModel):
    """The body of every webhook POST (`data` by event type: see the README)."""

    id: str = Field(description="The event id, the same in every delivery of this event")
    type: str = Field(examples=["application.status_changed"])
    created_at: dt.datetime
    data: dict[str, Any] = Field(
        description="The change; `data.person` (national_code, phone) only for clients with "
                    "people:read",
        examples=[EVENT_EXAMPLE["data"]],
    )


class WebhookEndpointOut(BaseModel):
    id: int
    url: str = Field(examples=["https://hayat.example.ir/maharatyar/events"])
    events: list[str] = Field(
        description='Event types; ["*"] for every event the client\'s scopes allow',
        examples=[["application.submitted", "application.status_changed"]],
    )
    created_at: dt.datetime


class WebhookEndpointList(BaseModel):
    items: list[WebhookEndpointOut]


class WebhookDeliveryOut(BaseModel):
    id: int
    event_id: str = Field(description="Send the same event to a receiver twice? Drop by this")
    event_type: str = Field(examples=["application.status_changed"])
    endpoint_id: int
    status: str = Field(description="pending | delivered | failed", examples=["delivered"])
    attempts: int
    last_status_code: int | None = Field(examples=[200])
    last_error: str | None = Field(examples=[None])
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    next_attempt_at: dt.datetime | None = Field(description="While pending: the next attempt")
    body: dict[str, Any] = Field(description="The event as sent", examples=[EVENT_EXAMPLE])


class WebhookDeliveryList(BaseModel):
    items: list[WebhookDeliveryOut]
    next_cursor: str | None = Field(description="Older deliveries; absent on the last page")


def endpoint_of(endpoint: EndpointSummary) -> WebhookEndpointOut:
    return WebhookEndpointOut(
        id=endpoint.id, url=endpoint.url, events=list(endpoint.events),
        created_at=utc(endpoint.created_at) or endpoint.created_at,
    )


def delivery_of(delivery: DeliverySummary) -> WebhookDeliveryOut:
    return WebhookDeliveryOut(
        id=delivery.id, event_id=delivery.event_id, event_type=delivery.event_type,
        endpoint_id=delivery.endpoint_id, status=delivery.status, attempts=delivery.attempts,
        last_status_code=delivery.last_status_code, last_error=delivery.last_error,
        created_at=utc(delivery.created_at) or delivery.created_at,
        last_attempt_at=utc(delivery.last_attempt_at), delivered_at=utc(delivery.delivered_at),
        next_attempt_at=utc(delivery.next_attempt_at), body=delivery.body,
    )
