"""Job leads for a connected system: pages (open/closed, province, field), one, posting (the
chat form's and the import's value rules from services/job_leads/drafts.py; a passed deadline
refused; the matching people recorded to be told, as for a lead posted in the chat) and the
people interested in a lead (phones only with people:read; audited). Only the job-lead
service's public methods are used."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from persiantools.jdatetime import JalaliDate
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api_clients import ClientIdentity, write_audit
from services.integration.actor import acting_staff
from services.integration.errors import IntegrationInvalid, IntegrationNotFound
from services.jalali import PLAN_YEARS
from services.job_leads import (
    DraftError,
    JobLeadService,
    LeadDraft,
    LeadNotFound,
    LeadView,
    NotAllowed,
)
from services.job_leads.drafts import fields_value, province_value, text_value
from services.job_leads.model import (
    CITY_MAX,
    EMPLOYER_MAX,
    HOW_TO_APPLY_MAX,
    TITLE_MAX,
    WAGE_MAX,
    DraftProblem,
    InterestedPerson,
)
from storage.models import utcnow
from storage.repositories.api_reads import ApiReadRepository, JobLeadFilter

PEOPLE_SCOPE = "people:read"


@dataclass(frozen=True, slots=True)
class LeadInput:
    """A lead as the API takes it: the deadline a date (ISO), the rest as the form's text."""

    title: str
    employer: str
    province: str
    fields: tuple[str, ...]
    deadline: dt.date
    how_to_apply: str
    city: str | None = None
    wage: str | None = None


@dataclass(frozen=True, slots=True)
class LeadPageOut:
    items: list[LeadView]
    next_after: int | None


@dataclass(frozen=True, slots=True)
class PostedLead:
    lead: LeadView
    matched: int  # people recorded to be told (in their next job-lead notice)


_MESSAGES: dict[str, str] = {
    DraftProblem.REQUIRED: "required",
    DraftProblem.TOO_LONG: "too long",
    DraftProblem.UNKNOWN_PROVINCE: "not one of Iran's 31 provinces",
    DraftProblem.UNKNOWN_FIELD: "not a field of the course catalog",
    DraftProblem.TOO_MANY_FIELDS: "at most 5 fields",
    DraftProblem.DEADLINE_PASSED: "the deadline has passed",
    DraftProblem.DATE_OUT_OF_RANGE: "outside the years the plan covers (1390-1480 SH)",
    "province.not_allowed": "this client may not post leads of this province",
}


class IntegrationJobLeads:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], job_leads: JobLeadService
    ) -> None:
        self._sessions = session_factory
        self._leads = job_leads

    async def page(
        self, client: ClientIdentity, *, state: str | None, province: str | None,
        field: str | None, after_id: int, limit: int,
    ) -> LeadPageOut:
        today = self._leads.today()
        where = JobLeadFilter(
            open_on=today if state == "open" else None,
            closed_on=today if state == "closed" else None,
            province=province, field=field,
        )
        async with self._sessions() as session:
            ids = await ApiReadRepository(session).job_lead_ids_page(
                where, client.provinces, after_id, limit + 1
            )
        more = len(ids) > limit
        ids = ids[:limit]
        views = await self._leads.views(ids)
        return LeadPageOut(views, ids[-1] if more else None)

    async def record(self, client: ClientIdentity, lead_id: int) -> LeadView:
        view = await self._leads.view(lead_id)
        if view is None or not client.can_see_province(view.province):
            raise IntegrationNotFound(f"job lead {lead_id}")
        return view

    async def post(self, client: ClientIdentity, data: LeadInput) -> PostedLead:
        draft = await self._draft(client, data)
        async with self._sessions() as session:
            posted = await self._leads.post_in(
                session, draft, f"api:{client.id}", utcnow()
            )
            await write_audit(session, client, "job_lead.post", f"job_lead:{posted.lead_id}")
            await session.commit()
        view = await self._leads.view(posted.lead_id)
        assert view is not None
        return PostedLead(view, posted.matched)

    async def _draft(self, client: ClientIdentity, data: LeadInput) -> LeadDraft:
        """Every value checked, all problems answered at once (422, one error per field)."""
        errors: list[dict[str, object]] = []
        checked: dict[str, object] = {}
        catalog = await self._leads.catalog_fields()
        today = self._leads.today()
        checks = {
            "title": lambda: text_value(data.title, TITLE_MAX),
            "employer": lambda: text_value(data.employer, EMPLOYER_MAX),
            "province": lambda: province_value(data.province),
            "city": lambda: text_value(data.city or "", CITY_MAX, required=False),
            "fields": lambda: fields_value("\n".join(data.fields), catalog),
            "wage": lambda: text_value(data.wage or "", WAGE_MAX, required=False),
            "how_to_apply": lambda: text_value(data.how_to_apply, HOW_TO_APPLY_MAX),
        }
        for name, check in checks.items():
            try:
                checked[name] = check()
            except DraftError as error:
                errors.append(_error(name, error.problem))
        if data.deadline < today:
            errors.append(_error("deadline", DraftProblem.DEADLINE_PASSED))
        elif not _in_plan_years(data.deadline):  # the chat form's years too
            errors.append(_error("deadline", DraftProblem.DATE_OUT_OF_RANGE))
        province = checked.get("province")
        if isinstance(province, str) and not client.can_see_province(province):
            errors.append(_error("province", "province.not_allowed"))
        if errors:
            raise IntegrationInvalid("invalid-job-lead", "the lead failed validation",
                                     errors=errors)
        city, wage, fields = checked["city"], checked["wage"], checked["fields"]
        assert isinstance(fields, tuple)
        return LeadDraft(
            title=str(checked["title"]), employer=str(checked["employer"]),
            province=str(province), city=city if isinstance(city, str) else None,
            fields=fields,
            wage_text=wage if isinstance(wage, str) else None, deadline=data.deadline,
            how_to_apply=str(checked["how_to_apply"]),
        )

    async def interested(
        self, client: ClientIdentity, lead_id: int
    ) -> tuple[LeadView, list[InterestedPerson], bool]:
        """The lead, the people interested (oldest first) and whether phones may be shown."""
        try:
            view, people = await self._leads.interested(acting_staff(client), lead_id)
        except (LeadNotFound, NotAllowed):
            raise IntegrationNotFound(f"job lead {lead_id}") from None
        async with self._sessions() as session:
            await write_audit(session, client, "job_lead.interested",
                              f"job_lead:{lead_id} ({len(people)})")
            await session.commit()
        return view, people, PEOPLE_SCOPE in client.scopes


def _in_plan_years(day: dt.date) -> bool:
    try:
        return JalaliDate(day).year in PLAN_YEARS
    except (OverflowError, ValueError):
        return False


def _error(field: str, problem: str) -> dict[str, object]:
    return {"loc": ["body", field], "msg": _MESSAGES.get(problem, str(problem)),
            "type": str(problem)}
