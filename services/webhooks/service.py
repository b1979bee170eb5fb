"""Managing webhook endpoints (the CLI adds and removes them; the API lists a client's own) and
reading their deliveries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api_clients import identity_of
from services.webhooks.events import ALL_EVENTS, EVENTS
from services.webhooks.signing import new_secret
from storage.models import ApiClient, WebhookDelivery, WebhookEndpoint, utcnow
from storage.repositories.api_clients import ApiClientRepository
from storage.repositories.webhooks import DELIVERED, FAILED, PENDING, WebhookRepository

STATUSES = (PENDING, DELIVERED, FAILED)
REMOVED_ERROR = "endpoint removed"


class WebhookError(ValueError):
    """A bad URL or event name, or no such client/endpoint. Safe to print."""


@dataclass(frozen=True, slots=True)
class EndpointSummary:
    id: int
    client: str
    url: str
    events: tuple[str, ...]  # ("*",) for every event
    created_at: dt.datetime
    disabled_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DeliverySummary:
    id: int
    event_id: str
    event_type: str
    endpoint_id: int
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    next_attempt_at: dt.datetime | None  # pending ones only
    body: dict[str, Any]


def parse_events(text: str) -> tuple[str, ...]:
    """"a,b" or "all" -> known event types (("*",) for all); WebhookError names an unknown one."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    if names in (["all"], [ALL_EVENTS]):
        return (ALL_EVENTS,)
    unknown = [name for name in names if name not in EVENTS]
    if unknown or not names:
        raise WebhookError(
            f"unknown event(s) {', '.join(unknown) or '(none given)'}; known: "
            f"{', '.join(EVENTS)} or all"
        )
    return tuple(dict.fromkeys(names))


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError("the URL must be an absolute http:// or https:// address")
    if parts.username or parts.password:
        raise WebhookError("the URL must not carry a user name or password")
    if len(url) > 2000:
        raise WebhookError("the URL is longer than 2000 characters")
    return url.strip()


def _endpoint_summary(endpoint: WebhookEndpoint, client: str) -> EndpointSummary:
    return EndpointSummary(
        endpoint.id, client, endpoint.url, tuple(str(e) for e in endpoint.events),
        endpoint.created_at, endpoint.disabled_at,
    )


def delivery_summary(row: WebhookDelivery) -> DeliverySummary:
    return DeliverySummary(
        row.id, row.event_id, row.event_type, row.endpoint_id, row.status, row.attempts,
        row.last_status_code, row.last_error, row.created_at, row.last_attempt_at,
        row.delivered_at, row.next_attempt_at if row.status == PENDING else None,
        dict(row.body),
    )


class WebhookService:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def add(
        self, client_name: str, url: str, events: Sequence[str]
    ) -> tuple[EndpointSummary, str]:
        """A new endpoint and its signing secret (shown once)."""
        clean_url = check_url(url)
        if not events:
            raise WebhookError("name at least one event, or all")
        async with self._sessions() as session:
            client = await self._client(session, client_name)
            identity = identity_of(client)
            missing = sorted({
                EVENTS[e][0] for e in events if e != ALL_EVENTS and EVENTS[e][0] not in
                identity.scopes
            })
            if missing:
                raise WebhookError(
                    f"client {client_name!r} lacks the scope(s) {', '.join(missing)} these "
                    "events need"
                )
            secret = new_secret()
            endpoint = WebhookEndpoint(
                client_id=client.id, url=clean_url, secret=secret, events=list(events),
                created_at=utcnow(),
            )
            WebhookRepository(session).add_endpoint(endpoint)
            await session.commit()
            return _endpoint_summary(endpoint, client.name), secret

    async def endpoints(
        self, client_name: str | None = None, *, with_removed: bool = False
    ) -> list[EndpointSummary]:
        async with self._sessions() as session:
            client_id = (await self._client(session, client_name)).id if client_name else None
            rows = await WebhookRepository(session).endpoints_of(
                client_id, with_removed=with_removed
            )
            return [_endpoint_summary(e, name) for e, name in rows]

    async def endpoints_of_client(self, client_id: int) -> list[EndpointSummary]:
        async with self._sessions() as session:
            rows = await WebhookRepository(session).endpoints_of(client_id)
            return [_endpoint_summary(e, name) for e, name in rows]

    async def remove(self, endpoint_id: int) -> tuple[EndpointSummary, int]:
        """Stop an endpoint; its pending deliveries are given up. Returns it and how many."""
        async with self._sessions() as session:
            repo = WebhookRepository(session)
            endpoint = await repo.endpoint(endpoint_id)
            if endpoint is None or endpoint.disabled_at is not None:
                raise WebhookError(f"no webhook endpoint {endpoint_id}")
            endpoint.disabled_at = utcnow()
            dropped = await repo.fail_pending_of(endpoint_id, REMOVED_ERROR)
            client = await session.get(ApiClient, endpoint.client_id)
            await session.commit()
            return _endpoint_summary(endpoint, client.name if client else "?"), dropped

    async def deliveries(
        self,
        client_name: str,
        *,
        status: str | None = None,
        before_id: int | None = None,
        limit: int = 50,
    ) -> list[DeliverySummary]:
        async with self._sessions() as session:
            client = await self._client(session, client_name)
        return await self.deliveries_of_client(
            client.id, status=status, before_id=before_id, limit=limit
        )

    async def deliveries_of_client(
        self, client_id: int, *, status: str | None, before_id: int | None, limit: int
    ) -> list[DeliverySummary]:
        if status is not None and status not in STATUSES:
            raise WebhookError(f"a delivery status is one of {', '.join(STATUSES)}")
        async with self._sessions() as session:
            rows = await WebhookRepository(session).deliveries_of(
                client_id, status=status, before_id=before_id, limit=limit
            )
            return [delivery_summary(row) for row in rows]

    async def _client(self, session: AsyncSession, name: str) -> ApiClient:
        client = await ApiClientRepository(session).by_name(name)
        if client is None:
            raise WebhookError(f"no API client named {name!r}")
        return client



async def purge_deliveries(
    session_factory: async_sessionmaker[AsyncSession], *, keep_days: int,
    now: dt.datetime | None = None, batch: int = 10_000,
) -> int:
    """Delete up to `batch` deliveries finished (delivered or failed) that were created more
    than `keep_days` ago; pending ones stay whatever their age."""
    cutoff = (now or utcnow()) - dt.timedelta(days=keep_days)
    async with session_factory() as session:
        removed = await WebhookRepository(session).purge_finished(cutoff, batch)
        await session.commit()
    return removed
