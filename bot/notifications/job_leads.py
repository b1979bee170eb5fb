"""The outbox wording of job-lead notices (services/match_notices → kind "job_leads"): one lead
or a digest, each with «🙋 I'm interested». Checked again at send time: a lead whose deadline
passed or that was withdrawn while the row waited (quiet hours, a retry) is left out, and a row
left with none says nothing."""

from __future__ import annotations

from bot.notifications.outgoing import Outgoing
from bot.notifications.sender import Wording
from bot.texts.job_leads import notice_keyboard, notice_text
from services.job_leads import JOB_LEADS_OUTBOX, JobLeadService
from services.match_notices import subjects_of
from services.outbox import OutboxItem


def job_lead_wordings(service: JobLeadService) -> dict[str, Wording]:
    async def job_leads(item: OutboxItem) -> Outgoing | None:
        leads = [lead for lead in await service.views(subjects_of(item.payload)) if lead.open]
        if not leads:
            return None
        # Newest first, as in the list.
        leads.sort(key=lambda lead: lead.id, reverse=True)
        return Outgoing(render=lambda: notice_text(leads), keyboard=lambda: notice_keyboard(leads))

    return {JOB_LEADS_OUTBOX: job_leads}
