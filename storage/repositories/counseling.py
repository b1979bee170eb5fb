"""Career-counseling results. Repositories query/add/flush; the calling service commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CounselingResult


class CounselingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        *,
        person_id: int,
        questionnaire_version: str,
        answers: dict[str, Any],
        top_fields: list[Any],
    ) -> CounselingResult:
        result = CounselingResult(
            person_id=person_id,
            questionnaire_version=questionnaire_version,
            answers=answers,
            top_fields=top_fields,
        )
        self.session.add(result)
        await self.session.flush()
        return result

    async def latest(self, person_id: int) -> CounselingResult | None:
        # By id, not created_at: two results within one clock tick still have an order.
        return await self.session.scalar(
            select(CounselingResult)
            .where(CounselingResult.person_id == person_id)
            .order_by(CounselingResult.id.desc())
            .limit(1)
        )

    async def count(self, person_id: int) -> int:
        total = await self.session.scalar(
            select(func.count())
            .select_from(CounselingResult)
            .where(CounselingResult.person_id == person_id)
        )
        return int(total or 0)
