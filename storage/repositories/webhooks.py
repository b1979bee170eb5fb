"""Webhook endpoints and deliveries (services/webhooks owns the rules and the transactions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ApiClient, WebhookDelivery, WebhookEndpoint

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class WebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active_endpoints(self) -> list[tuple[WebhookEndpoint, ApiClient]]:
        """Endpoints not removed, of clients not revoked."""
        rows = await self.session.execute(
            select(WebhookEndpoint, ApiClient)
            .join(ApiClient, ApiClient.id == WebhookEndpoint.client_id)
            .where(WebhookEndpoint.disabled_at.is_(None), ApiClient.revoked_at.is_(None))
            .order_by(WebhookEndpoint.id)
        )
        return [(endpoint, client) for endpoint, client in rows]

    async def add_deliveries(self, rows: list[dict[str, Any]]) -> None:
        await self.session.execute(insert(WebhookDelivery), rows)

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self.session.add(endpoint)

    async def endpoint(self, endpoint_id: int) -> WebhookEndpoint | None:
        return await self.session.get(WebhookEndpoint, endpoint_id)

    async def endpoints_of(
        self, client_id: int | None, *, with_removed: bool = False
    ) -> list[tuple[WebhookEndpoint, str]]:
        """(endpoint, client name), in id order; every client's when client_id is None."""
        stmt = (
            select(WebhookEndpoint, ApiClient.name)
            .join(ApiClient, ApiClient.id == WebhookEndpoint.client_id)
            .order_by(WebhookEndpoint.id)
        )
        if client_id is not None:
            stmt = stmt.where(WebhookEndpoint.client_id == client_id)
        if not with_removed:
            stmt = stmt.where(WebhookEndpoint.disabled_at.is_(None))
        return [(e, name) for e, name in (await self.session.execute(stmt))]

    async def fail_pending_of(self, endpoint_id: int, error: str) -> int:
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == PENDING)
            .values(status=FAILED, last_error=error)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def deliveries_of(
        self, client_id: int, *, status: str | None, before_id: int | None, limit: int
    ) -> list[WebhookDelivery]:
        """A client's deliveries, newest first, older than `before_id` when given."""
        stmt = (
            select(WebhookDelivery)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookEndpoint.client_id == client_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
        if status is not None:
            stmt = stmt.where(WebhookDelivery.status == status)
        if before_id is not None:
            stmt = stmt.where(WebhookDelivery.id < before_id)
        return list((await self.session.scalars(stmt)).all())

    # -- the sender ---------------------------------------------------------------------------

    async def claim_due(
        self, holder: str, now: dt.datetime, lease_until: dt.datetime, limit: int
    ) -> list[int]:
        """Take up to `limit` due pending rows for `holder`: each row's next_attempt_at moves to
        the lease's end in one conditional UPDATE, so a row due now is taken by one worker (a
        competing UPDATE finds it no longer due). A holder that dies loses its rows when the
        lease ends: they are due again (at least once)."""
        due = (
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
        )
        candidates = list((await self.session.scalars(due)).all())
        if not candidates:
            return []
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id.in_(candidates), WebhookDelivery.status == PENDING,
                WebhookDelivery.next_attempt_at <= now,
            )
            .values(next_attempt_at=lease_until, lease_holder=holder)
            .returning(WebhookDelivery.id)
        )
        return sorted(result.scalars().all())

    async def claimed(
        self, ids: Sequence[int]
    ) -> list[tuple[WebhookDelivery, WebhookEndpoint, ApiClient]]:
        rows = await self.session.execute(
            select(WebhookDelivery, WebhookEndpoint, ApiClient)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .join(ApiClient, ApiClient.id == WebhookEndpoint.client_id)
            .where(WebhookDelivery.id.in_(ids))
            .order_by(WebhookDelivery.id)
        )
        return [(d, e, c) for d, e, c in rows]

    async def record(self, delivery_id: int, holder: str, **values: Any) -> bool:
        """An attempt's outcome, if the row is still this holder's pending attempt."""
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id, WebhookDelivery.lease_holder == holder,
                WebhookDelivery.status == PENDING,
            )
            .values(**values)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def purge_finished(self, before: dt.datetime, batch: int) -> int:
        """Delete up to `batch` delivered or failed rows created before `before`."""
        old = (
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status != PENDING, WebhookDelivery.created_at < before)
            .limit(batch)
        )
        result = await self.session.execute(
            delete(WebhookDelivery).where(WebhookDelivery.id.in_(old))
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def counts_by_status(self) -> dict[str, int]:
        rows = await self.session.execute(
            select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
        )
        return {status: int(n) for status, n in rows}
