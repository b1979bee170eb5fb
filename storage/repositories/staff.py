"""Staff roles by messenger account ("admin", "caseworker"); provinces NULL means all of them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, null, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import StaffRole, utcnow

ADMIN = "admin"
CASEWORKER = "caseworker"


class StaffRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def roles_of(self, platform: str, user_id: int) -> list[StaffRole]:
        result = await self.session.scalars(
            select(StaffRole)
            .where(StaffRole.platform == platform, StaffRole.user_id == user_id)
            .order_by(StaffRole.role)
            .execution_options(populate_existing=True)
        )
        return list(result)

    async def all(self, role: str | None = None) -> list[StaffRole]:
        stmt = select(StaffRole).order_by(StaffRole.role, StaffRole.platform, StaffRole.user_id)
        if role is not None:
            stmt = stmt.where(StaffRole.role == role)
        return list(await self.session.scalars(stmt))

    async def grant(
        self,
        platform: str,
        user_id: int,
        role: str,
        provinces: Sequence[str] | None = None,
    ) -> StaffRole:
        """Give a role; granting it again only replaces the provinces (an upsert, so two admins
        granting at once do not collide on the unique constraint)."""
        scope = list(provinces) if provinces is not None else null()
        stmt = dialect_insert(self.session, StaffRole).values(
            platform=platform, user_id=user_id, role=role, provinces=scope, created_at=utcnow()
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["platform", "user_id", "role"], set_={"provinces": scope}
            )
        )
        granted = await self.session.scalar(
            select(StaffRole)
            .where(
                StaffRole.platform == platform,
                StaffRole.user_id == user_id,
                StaffRole.role == role,
            )
            .execution_options(populate_existing=True)
        )
        assert granted is not None  # just upserted in this transaction
        return granted

    async def revoke(self, platform: str, user_id: int, role: str | None = None) -> int:
        """Remove one role, or every role when `role` is None; returns how many were removed."""
        stmt = delete(StaffRole).where(StaffRole.platform == platform, StaffRole.user_id == user_id)
        if role is not None:
            stmt = stmt.where(StaffRole.role == role)
        result = await self.session.execute(stmt.execution_options(synchronize_session="fetch"))
        return int(getattr(result, "rowcount", 0) or 0)
