"""The job-lead kind of match notice: what the ledger asks at send time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.job_leads.model import JOB_LEAD, JOB_LEAD_PRIORITY, JOB_LEADS_OUTBOX
from services.match_notices import DueNotice
from storage.repositories.job_leads import JobLeadRepository


class JobLeadPolicy:
    """A lead is told while it is open (deadline today or later in the service's time zone,
    not withdrawn) and to people who have not turned job leads off since. Instant people get
    each sweep's leads in one message; digest people's notices are due at the digest hour."""

    kind = JOB_LEAD
    outbox_kind = JOB_LEADS_OUTBOX
    priority = JOB_LEAD_PRIORITY
    once_a_day = False

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)

    async def still_valid(
        self, session: AsyncSession, notices: Sequence[DueNotice], now: dt.datetime
    ) -> set[int]:
        repo = JobLeadRepository(session)
        today = now.astimezone(self.zone).date()
        open_leads = await repo.open_ids({n.subject_id for n in notices}, today)
        turned_off = await repo.opted_out({n.person_id for n in notices})
        return {
            n.id for n in notices
            if n.subject_id in open_leads and n.person_id not in turned_off
        }
