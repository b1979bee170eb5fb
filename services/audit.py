"""The audit log as a table for the foundation's data-protection officer: who (platform, user
id) opened what (application tracking code, document kind) when (UTC and Tehran's Jalali time).

Column names are stable ASCII; the bot's CLI writes the table as CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.jalali import to_jalali_text
from storage.repositories.audit import AuditRepository

AUDIT_COLUMNS = (
    "staff_platform",
    "staff_user_id",
    "tracking_code",
    "document_kind",
    "opened_at_utc",
    "opened_at_jalali",
)

AuditCell = str | int | None


@dataclass(frozen=True, slots=True)
class AuditTable:
    columns: tuple[str, ...]
    rows: list[list[AuditCell]]


async def document_openings_table(
    session_factory: async_sessionmaker[AsyncSession],
    *,
    since: dt.datetime,
    timezone: dt.tzinfo,
) -> AuditTable:
    """Every staff opening of a document at or after `since` (an aware datetime)."""
    async with session_factory() as session:
        openings = await AuditRepository(session).document_openings(since.astimezone(dt.UTC))
    rows: list[list[AuditCell]] = []
    for opening in openings:
        # SQLite hands back naive datetimes; every stored time is UTC.
        at = opening.at if opening.at.tzinfo else opening.at.replace(tzinfo=dt.UTC)
        utc, local = at.astimezone(dt.UTC), at.astimezone(timezone)
        rows.append([
            opening.staff_platform,
            opening.staff_user_id,
            opening.tracking_code,
            opening.document_kind,
            utc.isoformat(timespec="seconds"),
            f"{to_jalali_text(local.date())} {local:%H:%M:%S}",
        ])
    return AuditTable(AUDIT_COLUMNS, rows)
