"""Which staff chat serves which province (`/bindchat`): one row per bound province."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import StaffChatBinding, utcnow


class StaffChatRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[StaffChatBinding]:
        stmt = select(StaffChatBinding).order_by(StaffChatBinding.province)
        return list(await self.session.scalars(stmt))

    async def of_provinces(self, provinces: Sequence[str]) -> list[StaffChatBinding]:
        stmt = select(StaffChatBinding).where(StaffChatBinding.province.in_(list(provinces)))
        return list(await self.session.scalars(stmt))

    async def get(self, province: str) -> StaffChatBinding | None:
        return await self.session.get(StaffChatBinding, province)

    async def bind(self, province: str, platform: str, chat_id: int, bound_by: str) -> None:
        """An upsert, so two administrators binding one province at once do not collide."""
        values = {"platform": platform, "chat_id": chat_id, "bound_by": bound_by,
                  "bound_at": utcnow()}  # fmt: skip
        stmt = dialect_insert(self.session, StaffChatBinding).values(province=province, **values)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["province"], set_=values)
        )

    async def provinces_of(self, platform: str, chat_id: int) -> list[str]:
        """The provinces a chat is bound to, in name order."""
        return sorted(await self.session.scalars(
            select(StaffChatBinding.province).where(
                StaffChatBinding.platform == platform, StaffChatBinding.chat_id == chat_id
            )
        ))

    async def unbind_chat(self, platform: str, chat_id: int) -> list[str]:
        """Remove every binding of a chat; the provinces it served, in name order."""
        stmt = select(StaffChatBinding.province).where(
            StaffChatBinding.platform == platform, StaffChatBinding.chat_id == chat_id
        )
        provinces = sorted(await self.session.scalars(stmt))
        await self.session.execute(
            delete(StaffChatBinding)
            .where(StaffChatBinding.platform == platform, StaffChatBinding.chat_id == chat_id)
            .execution_options(synchronize_session=False)
        )
        return provinces
