"""The HTTP API's clients, their audit rows and the stored answers of idempotent POSTs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import ApiAudit, ApiClient, ApiIdempotency, utcnow


class ApiClientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_name(self, name: str) -> ApiClient | None:
        return await self.session.scalar(select(ApiClient).where(ApiClient.name == name))

    async def by_prefix(self, prefix: str) -> ApiClient | None:
        return await self.session.scalar(select(ApiClient).where(ApiClient.key_prefix == prefix))

    async def all(self) -> Sequence[ApiClient]:
        return (await self.session.scalars(select(ApiClient).order_by(ApiClient.name))).all()

    def add(self, client: ApiClient) -> None:
        self.session.add(client)

    def audit(self, client_id: int, action: str, resource: str) -> None:
        self.session.add(ApiAudit(client_id=client_id, action=action, resource=resource[:120]))

    async def audit_rows(
        self, since: dt.datetime | None
    ) -> list[tuple[str, str, str, dt.datetime]]:
        """(client name, action, resource, at), oldest first."""
        stmt = (
            select(ApiClient.name, ApiAudit.action, ApiAudit.resource, ApiAudit.at)
            .join(ApiClient, ApiClient.id == ApiAudit.client_id)
            .order_by(ApiAudit.at, ApiAudit.id)
        )
        if since is not None:
            stmt = stmt.where(ApiAudit.at >= since)
        return [(r[0], r[1], r[2], r[3]) for r in await self.session.execute(stmt)]


class IdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(
        self, client_id: int, key: str, method_path: str, request_hash: str
    ) -> bool:
        """Record that this key is being answered; False if it was seen before."""
        stmt = (
            dialect_insert(self.session, ApiIdempotency)
            .values(
                client_id=client_id, key=key, method_path=method_path,
                request_hash=request_hash, created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["client_id", "key"])
        )
        result = await self.session.execute(stmt)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def get(self, client_id: int, key: str) -> ApiIdempotency | None:
        return await self.session.scalar(
            select(ApiIdempotency)
            .where(ApiIdempotency.client_id == client_id, ApiIdempotency.key == key)
            .execution_options(populate_existing=True)
        )

    async def store(
        self, client_id: int, key: str, status_code: int, body: bytes, content_type: str
    ) -> None:
        await self.session.execute(
            update(ApiIdempotency)
            .where(ApiIdempotency.client_id == client_id, ApiIdempotency.key == key)
            .values(status_code=status_code, body=body, content_type=content_type)
        )

    async def forget(self, client_id: int, key: str) -> None:
        await self.session.execute(
            delete(ApiIdempotency).where(
                ApiIdempotency.client_id == client_id, ApiIdempotency.key == key
            )
        )

    async def forget_older_than(self, before: dt.datetime) -> int:
        result = await self.session.execute(
            delete(ApiIdempotency).where(ApiIdempotency.created_at < before)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
