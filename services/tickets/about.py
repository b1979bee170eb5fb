"""What a ticket is about, in the few words a staff header has room for: the application's
tracking code, the course code, the identity conflict — read from the ticket's context (ids
only) at the moment the header is drawn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Application, JobLead


@dataclass(frozen=True, slots=True)
class TicketAbout:
    tracking_code: str | None = None
    course_code: str | None = None
    program_id: str | None = None
    conflict_id: int | None = None
    # «I'm interested» in a job lead (services/job_leads): its id and title.
    job_lead_id: int | None = None
    job_lead_title: str | None = None


async def about_of(session: AsyncSession, context: dict[str, Any] | None) -> TicketAbout:
    context = context or {}
    tracking = None
    app_id = context.get("application_id")
    if isinstance(app_id, int):
        application = await session.get(Application, app_id)
        tracking = application.tracking_code if application is not None else None
    course = context.get("course_code")
    program = context.get("program_id")
    conflict = context.get("conflict_id")
    lead_id = context.get("job_lead_id")
    lead = await session.get(JobLead, lead_id) if isinstance(lead_id, int) else None
    return TicketAbout(
        tracking_code=tracking,
        course_code=course if isinstance(course, str) else None,
        program_id=program if isinstance(program, str) else None,
        conflict_id=conflict if isinstance(conflict, int) else None,
        job_lead_id=lead.id if lead is not None else None,
        job_lead_title=lead.title if lead is not None else None,
    )
