"""Reads of the audit log: staff openings of documents, with what was opened."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Application, ApplicationDocument, DocumentAccess


class DocumentOpening(NamedTuple):
    staff_platform: str
    staff_user_id: int
    tracking_code: str | None
    document_kind: str
    at: dt.datetime


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def document_openings(self, since: dt.datetime) -> list[DocumentOpening]:
        """Openings at or after `since` (UTC), oldest first."""
        stmt = (
            select(
                DocumentAccess.staff_platform,
                DocumentAccess.staff_user_id,
                Application.tracking_code,
                ApplicationDocument.kind,
                DocumentAccess.at,
            )
            .join(ApplicationDocument, ApplicationDocument.id == DocumentAccess.document_id)
            .join(Application, Application.id == ApplicationDocument.application_id)
            .where(DocumentAccess.at >= since)
            .order_by(DocumentAccess.at, DocumentAccess.id)
        )
        return [DocumentOpening(*row) for row in await self.session.execute(stmt)]
