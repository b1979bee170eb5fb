"""Outgoing webhooks of the HTTP API's clients: events written with the change (events.emit),
endpoints managed by the CLI (service.WebhookService), deliveries sent by sender.WebhookSender."""

from services.webhooks.events import EVENTS, emit
from services.webhooks.sender import WebhookPacing, WebhookSender
from services.webhooks.service import (
    DeliverySummary,
    EndpointSummary,
    WebhookError,
    WebhookService,
    parse_events,
)

__all__ = [
    "EVENTS",
    "DeliverySummary",
    "EndpointSummary",
    "WebhookError",
    "WebhookPacing",
    "WebhookSender",
    "WebhookService",
    "emit",
    "parse_events",
]
