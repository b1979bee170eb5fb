"""Alerts for the caseworkers' staff groups, written to the outbox in the transaction of the
change they tell of (so a change is never saved without its alert, nor an alert without it).

An alert about an application goes to the staff chat bound to its province (`/bindchat`,
services.staff_chats), else to the staff group of every messenger (plain configuration:
StaffChats, messenger -> chat id, built from the settings by services.container); an identity
conflict is told by the first line of the ticket it opens (services.tickets.identity); rows of
that event written before are still worded. The rows carry
ids only; the bot words them at send time in the staff's default language, with the tracking
code, program and province (never a name, national code or phone). They are chat rows with
STAFF_ALERT_PRIORITY: urgent, ahead of broadcasts.

Kinds and payloads:
- STAFF_ALERT {"event": DOCUMENTS_RESENT | WITHDRAWN, "application_id"} or
  {"event": IDENTITY_CONFLICT, "conflict_id"}.
- NEW_SUBMISSION {"application_id"}: an application was submitted.
- SUBMISSION_DIGEST {"since", "until"} (ISO UTC): the submissions of that span, counted from
  the applications table when it is sent.

The digest rule (per group, clock hours in the service's time zone): a submission gets its own
NEW_SUBMISSION row while fewer than `digest_after` of them were queued for that group in the
current hour. After that it queues nothing of its own; instead one pending SUBMISSION_DIGEST row
is made sure of for the group, due at the start of the next hour, whose `since` is the first
submission left out; it counts every submission from `since` to the end of the hour. A new hour
starts the count again. `digest_after` 0 means never digest. Two submissions committed at the
very same moment may both pass the threshold check (one alert too many, or two digests); no
alert is ever lost by it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.outbox import enqueue
from storage.repositories.applications import ApplicationRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.staff_chats import StaffChatRepository

STAFF_ALERT = "staff_alert"
NEW_SUBMISSION = "staff_new_submission"
SUBMISSION_DIGEST = "staff_submission_digest"
STAFF_KINDS = (STAFF_ALERT, NEW_SUBMISSION, SUBMISSION_DIGEST)

DOCUMENTS_RESENT = "documents_resent"
WITHDRAWN = "withdrawn"
IDENTITY_CONFLICT = "identity_conflict"

# Above a person's application news (0) and broadcasts (negative).
STAFF_ALERT_PRIORITY = 10
DEFAULT_DIGEST_AFTER = 10


@dataclass(frozen=True, slots=True)
class StaffChats:
    """Where staff alerts go: messenger -> staff group chat id (only messengers with a bot)."""

    chats: Mapping[str, int] = field(default_factory=dict)
    # New-submission alerts per group and hour before the rest of the hour is one digest.
    digest_after: int = DEFAULT_DIGEST_AFTER


NO_STAFF_CHATS = StaffChats()


async def chats_for(
    session: AsyncSession, staff: StaffChats, province: str | None
) -> tuple[dict[str, int], list[str] | None]:
    """Where an alert about `province` goes, and the provinces that chat serves: the staff chat
    bound to the province (`/bindchat`) if there is one, else every messenger's staff group
    (serving all provinces: None)."""
    if province is not None:
        bound = await StaffChatRepository(session).get(province)
        if bound is not None:
            provinces = await StaffChatRepository(session).provinces_of(
                bound.platform, bound.chat_id
            )
            return {bound.platform: bound.chat_id}, provinces
    return dict(staff.chats), None


async def queue_staff_alert(
    session: AsyncSession, staff: StaffChats, payload: dict[str, Any],
    *, province: str | None = None,
) -> int:
    """One STAFF_ALERT row per staff chat that serves `province`, in the caller's transaction;
    how many."""
    chats, _ = await chats_for(session, staff, province) if staff.chats else ({}, None)
    for platform, chat_id in chats.items():
        await enqueue(
            session, kind=STAFF_ALERT, payload=payload, platform=platform, chat_id=chat_id,
            priority=STAFF_ALERT_PRIORITY,
        )
    return len(chats)


async def queue_submission_alert(
    session: AsyncSession,
    staff: StaffChats,
    app_id: int,
    *,
    province: str | None,
    submitted_at: dt.datetime,
    timezone: str,
) -> int:
    """The new-submission alert (or the digest that stands for it) for each staff chat serving
    the application's province, in the caller's transaction; returns how many NEW_SUBMISSION
    rows were added. A province's own chat's digest counts only the provinces it serves."""
    if not staff.chats:
        return 0
    start, end = hour_bounds(submitted_at, timezone)
    outbox = OutboxRepository(session)
    chats, provinces = await chats_for(session, staff, province)
    added = 0
    for platform, chat_id in chats.items():
        if staff.digest_after > 0 and await outbox.count_created_since(
            platform, chat_id, NEW_SUBMISSION, start
        ) >= staff.digest_after:
            if not await outbox.pending_scheduled_after(
                platform, chat_id, SUBMISSION_DIGEST, start
            ):
                await enqueue(
                    session, kind=SUBMISSION_DIGEST, platform=platform, chat_id=chat_id,
                    payload={"since": submitted_at.isoformat(), "until": end.isoformat(),
                             "provinces": provinces},
                    priority=STAFF_ALERT_PRIORITY, not_before=end,
                )
            continue
        await enqueue(
            session, kind=NEW_SUBMISSION, payload={"application_id": app_id},
            platform=platform, chat_id=chat_id, priority=STAFF_ALERT_PRIORITY,
        )
        added += 1
    return added


def hour_bounds(moment: dt.datetime, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """The clock hour (in `timezone`) holding `moment`, as UTC [start, end)."""
    local = moment.astimezone(ZoneInfo(timezone))
    start = local.replace(minute=0, second=0, microsecond=0)
    return start.astimezone(dt.UTC), (start + dt.timedelta(hours=1)).astimezone(dt.UTC)


@dataclass(frozen=True, slots=True)
class AlertedApplication:
    """What a staff alert may show of an application."""

    tracking_code: str | None
    program_id: str
    province: str | None


@dataclass(frozen=True, slots=True)
class SubmissionCount:
    program_id: str
    province: str | None
    count: int


class StaffAlertService:
    """The sender's reads for staff alerts' words."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def application(self, app_id: int) -> AlertedApplication | None:
        """None when the application is gone (its person was deleted)."""
        async with self._sessions() as session:
            app = await ApplicationRepository(session).get(app_id)
            if app is None:
                return None
            return AlertedApplication(app.tracking_code, app.program, app.province)

    async def submissions(
        self, since: dt.datetime, until: dt.datetime, provinces: list[str] | None = None
    ) -> list[SubmissionCount]:
        """Submissions in [since, until) (of `provinces` only, when given), counted per program
        and province, most first."""
        async with self._sessions() as session:
            rows = await ApplicationRepository(session).submissions_per_program_province(
                since, until, provinces
            )
        counts = [SubmissionCount(program, province, count) for program, province, count in rows]
        return sorted(counts, key=lambda c: (-c.count, c.program_id, c.province or ""))


def parse_moment(value: object) -> dt.datetime:
    """An ISO timestamp from a payload, in UTC."""
    moment = dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)

