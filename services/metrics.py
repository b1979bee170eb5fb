"""The Prometheus metrics of the process: the bot's middleware, the outbox sender, the API's
middleware and the webhook sender count here; `/metrics` (api/routes/ops.py) shows them.

One module all of them may import (services/ imports neither aiogram nor api). Labels stay
bounded: a handler's qualified name, a route's template (never a raw path), a client's name.
Gauges of database state (outbox depth, webhook backlog) are read at scrape time
(`refresh_database_gauges`), not kept up to date by every writer."""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories.outbox import OutboxRepository
from storage.repositories.webhooks import WebhookRepository

NAMESPACE = "maharatyar"
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

UPDATES = Counter(
    "updates_total", "Updates handled, by messenger and the handler that took them "
    "(unhandled: none did)", ["messenger", "handler"], namespace=NAMESPACE,
)
UPDATE_ERRORS = Counter(
    "update_errors_total", "Updates whose handling raised", ["messenger", "handler"],
    namespace=NAMESPACE,
)
HANDLER_SECONDS = Histogram(
    "handler_seconds", "Time to handle one update (middlewares and handler)",
    ["messenger", "handler"], namespace=NAMESPACE, buckets=_LATENCY_BUCKETS,
)
OUTBOX_SENDS = Counter(
    "outbox_sends_total", "Outbox rows finished or retried by the sender, by outcome "
    "(sent, blocked, nobody, nothing, failed, refused, retry, rate_limited)",
    ["messenger", "outcome"], namespace=NAMESPACE,
)
OUTBOX_DEPTH = Gauge(
    "outbox_pending", "Outbox rows not finished yet, due or waiting (read at scrape time)",
    ["messenger"],
    namespace=NAMESPACE,
)
API_REQUESTS = Counter(
    "api_requests_total", "HTTP API requests by client, route template, method and status",
    ["client", "route", "method", "status"], namespace=NAMESPACE,
)
API_SECONDS = Histogram(
    "api_request_seconds", "HTTP API request time by route template",
    ["route", "method"], namespace=NAMESPACE, buckets=_LATENCY_BUCKETS,
)
WEBHOOK_DELIVERIES = Counter(
    "webhook_deliveries_total", "Webhook delivery attempts by result (delivered, retry, "
    "failed: given up)", ["event", "result"], namespace=NAMESPACE,
)
WEBHOOK_BACKLOG = Gauge(
    "webhook_rows", "Webhook delivery rows by status (read at scrape time)", ["status"],
    namespace=NAMESPACE,
)


async def refresh_database_gauges(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        depth = await OutboxRepository(session).pending_by_platform()
        backlog = await WebhookRepository(session).counts_by_status()
    OUTBOX_DEPTH.clear()
    for platform, count in depth.items():
        OUTBOX_DEPTH.labels(platform).set(count)
    for status in ("pending", "delivered", "failed"):
        WEBHOOK_BACKLOG.labels(status).set(backlog.get(status, 0))


def exposition(registry: CollectorRegistry = REGISTRY) -> tuple[bytes, str]:
    """The text format and its content type."""
    return generate_latest(registry), CONTENT_TYPE_LATEST
