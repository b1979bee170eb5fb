"""Job leads: administrators post them (chat form, import), the people they match are recorded
in the match-notice ledger at once (told instantly or in the daily digest by the sweep), people
browse the open leads that match them and say «I'm interested», which reaches the staff of the
lead's province through the person's hand-off ticket."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.job_leads.model import (
    JOB_LEAD,
    PAGE_SIZE,
    SKILLED_STATUSES,
    Closed,
    InterestedPerson,
    InterestOutcome,
    InterestResult,
    LeadDraft,
    LeadPage,
    LeadView,
    Posted,
)
from services.match_notices import DigestClock, record
from services.outbox import enqueue
from services.staff import StaffMember
from services.staff_alerts import StaffChats
from services.staff_chats import route
from services.tickets.identity import SYSTEM_AUTHOR
from services.tickets.model import TICKET_PRIORITY, TICKET_TO_STAFF
from storage.models import JobLead, Ticket, TicketMessage, utcnow
from storage.repositories.courses import CourseRepository
from storage.repositories.job_leads import JobLeadRepository, matching_people
from storage.repositories.match_notices import MatchNoticeRepository
from storage.repositories.persons import PersonRepository
from storage.repositories.tickets import TicketRepository

logger = logging.getLogger(__name__)


class NotAllowed(Exception):
    """Only administrators post leads; staff see the interested people of their provinces."""


class LeadNotFound(Exception):
    pass


def view_of(lead: JobLead, fields: Sequence[str], today: dt.date) -> LeadView:
    return LeadView(
        id=lead.id, title=lead.title, employer=lead.employer, province=lead.province,
        city=lead.city, fields=tuple(fields), wage_text=lead.wage_text, deadline=lead.deadline,
        how_to_apply=lead.how_to_apply, created_at=lead.created_at,
        open=lead.closed_at is None and lead.deadline >= today,
        withdrawn=lead.closed_at is not None,
    )


class JobLeadService:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], *, clock: DigestClock,
        staff_chats: StaffChats, neighbours: Mapping[str, Sequence[str]], timezone: str,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._staff_chats = staff_chats
        self._neighbours = neighbours
        self._zone = ZoneInfo(timezone)

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self._sessions

    def today(self, now: dt.datetime | None = None) -> dt.date:
        return (now or utcnow()).astimezone(self._zone).date()

    def neighbours_of(self, province: str) -> tuple[str, ...]:
        return tuple(self._neighbours.get(province, ()))

    async def catalog_fields(self) -> list[str]:
        async with self._sessions() as session:
            return sorted(await CourseRepository(session).clusters(None))

    # -- posting ------------------------------------------------------------------------------

    async def post(self, member: StaffMember, draft: LeadDraft, posted_by: str) -> Posted:
        if not member.is_admin:
            raise NotAllowed
        async with self._sessions() as session:
            posted = await self.post_in(session, draft, posted_by, utcnow())
            await session.commit()
        logger.info("job lead %s posted by %s; %s people to tell", posted.lead_id, posted_by,
                    posted.matched)
        return posted

    async def post_in(
        self, session: AsyncSession, draft: LeadDraft, posted_by: str, now: dt.datetime
    ) -> Posted:
        """In the caller's transaction: the lead, and its matches recorded in the ledger."""
        lead = await JobLeadRepository(session).add(JobLead(
            title=draft.title, employer=draft.employer, province=draft.province,
            city=draft.city, wage_text=draft.wage_text, deadline=draft.deadline,
            how_to_apply=draft.how_to_apply, posted_by=posted_by, created_at=now,
        ), draft.fields)
        matched = await record(
            session, kind=JOB_LEAD, subject_id=lead.id, now=now,
            digest_at=self._clock.next_after(now),
            persons=matching_people(
                draft.province, draft.fields, self.neighbours_of(draft.province),
                SKILLED_STATUSES,
            ),
        )
        return Posted(lead.id, matched)

    # -- what a person sees -------------------------------------------------------------------

    async def _reach(self, session: AsyncSession, person_id: int) -> tuple[list[str], list[str]]:
        """The provinces whose leads a person sees, and their fields of work."""
        person = await PersonRepository(session).get(person_id)
        if person is None or person.province is None:
            return [], []
        provinces = [person.province]
        if person.can_move:
            provinces += self.neighbours_of(person.province)
        fields = await JobLeadRepository(session).person_fields(person_id, SKILLED_STATUSES)
        return provinces, fields

    async def leads_for(self, person_id: int, page: int = 0) -> LeadPage:
        """Open leads that match the person, newest first, PAGE_SIZE a page."""
        today = self.today()
        async with self._sessions() as session:
            provinces, fields = await self._reach(session, person_id)
            repo = JobLeadRepository(session)
            _, total = await repo.open_for_page(provinces, fields, today, 0, 0)
            pages = max(1, math.ceil(total / PAGE_SIZE))
            page = min(max(page, 0), pages - 1)
            leads, total = await repo.open_for_page(
                provinces, fields, today, page * PAGE_SIZE, PAGE_SIZE
            )
            by_lead = await repo.fields_of([lead.id for lead in leads])
        return LeadPage(
            [view_of(lead, by_lead.get(lead.id, []), today) for lead in leads], page, pages, total
        )

    async def views(self, lead_ids: Sequence[int]) -> list[LeadView]:
        today = self.today()
        async with self._sessions() as session:
            repo = JobLeadRepository(session)
            leads = await repo.get_many(lead_ids)
            by_lead = await repo.fields_of([lead.id for lead in leads])
        return [view_of(lead, by_lead.get(lead.id, []), today) for lead in leads]

    async def view(self, lead_id: int) -> LeadView | None:
        found = await self.views([lead_id])
        return found[0] if found else None

    # -- «I'm interested» ---------------------------------------------------------------------

    async def interest(self, person_id: int, lead_id: int, platform: str) -> InterestResult:
        """Records the interest once and tells the staff of the lead's province through the
        person's ticket (opened if none, topic "job"): a system line the bot words as
        "interested in lead #N". A lead this person was never sent nor shown is refused."""
        today = self.today()
        now = utcnow()
        async with self._sessions() as session:
            repo = JobLeadRepository(session)
            lead = await repo.get(lead_id)
            if lead is None:
                return InterestResult(InterestOutcome.NOT_YOURS)
            fields = (await repo.fields_of([lead_id])).get(lead_id, [])
            view = view_of(lead, fields, today)
            told = await MatchNoticeRepository(session).was_told(person_id, JOB_LEAD, lead_id)
            if not told:
                provinces, person_fields = await self._reach(session, person_id)
                if not await repo.is_open_for(lead_id, provinces, person_fields, today,
                                              open_only=False):
                    # Never sent, and not a lead their list would show: a forged button.
                    return InterestResult(InterestOutcome.NOT_YOURS)
                # A lead of their list, since closed: the button came from an old list page.
            interest_id = await repo.add_interest(lead_id, person_id, now)
            if interest_id is None:
                return InterestResult(InterestOutcome.ALREADY, view)
            if not view.open:
                await session.rollback()
                return InterestResult(InterestOutcome.CLOSED, view)
            ticket_id, staff_told = await self._tell_staff(session, person_id, lead, platform)
            await repo.set_interest_ticket(interest_id, ticket_id)
            await session.commit()
        logger.info("person %s interested in job lead %s (ticket %s)", person_id, lead_id,
                    ticket_id)
        return InterestResult(InterestOutcome.RECORDED, view, ticket_id, staff_told)

    async def _tell_staff(
        self, session: AsyncSession, person_id: int, lead: JobLead, platform: str
    ) -> tuple[int, bool]:
        tickets = TicketRepository(session)
        context = {"job_lead_id": lead.id}
        ticket = await tickets.open_of(person_id)
        if ticket is None:
            ticket = await tickets.add(Ticket(
                person_id=person_id, topic="job", context=context, status="open",
                province=lead.province,
            ))
        else:
            ticket.topic, ticket.context = "job", context
        row = await tickets.add_message(TicketMessage(
            ticket_id=ticket.id, direction="in", author=SYSTEM_AUTHOR, kind="text", text=None,
        ))
        where = await route(session, self._staff_chats, lead.province, platform)
        if where is None:
            logger.warning("job lead %s: no staff chat for %s; interest kept", lead.id,
                           lead.province)
            return ticket.id, False
        ticket.staff_platform, ticket.staff_chat_id = where
        await enqueue(
            session, kind=TICKET_TO_STAFF, payload={"message_id": row.id},
            platform=where[0], chat_id=where[1], priority=TICKET_PRIORITY,
        )
        return ticket.id, True

    # -- staff --------------------------------------------------------------------------------

    async def lead_to_close(self, member: StaffMember, lead_id: int) -> LeadView:
        """The lead an administrator is asked to confirm closing (posting is theirs alone, so
        is withdrawing). NotAllowed, LeadNotFound."""
        if not member.is_admin:
            raise NotAllowed
        found = await self.view(lead_id)
        if found is None:
            raise LeadNotFound(lead_id)
        return found

    async def close(self, member: StaffMember, lead_id: int, closed_by: str) -> Closed:
        """Withdraws a lead: no longer listed, and the ledger's pending notices of it are
        dropped at send time (JobLeadPolicy.still_valid, and the outbox wording's own check),
        as for a passed deadline. «I'm interested» on an old notice is answered "closed".
        Closing twice changes nothing. NotAllowed, LeadNotFound."""
        if not member.is_admin:
            raise NotAllowed
        today = self.today()
        async with self._sessions() as session:
            repo = JobLeadRepository(session)
            lead = await repo.get(lead_id)
            if lead is None:
                raise LeadNotFound(lead_id)
            already = lead.closed_at is not None
            if not already:
                lead.closed_at = utcnow()
            fields = (await repo.fields_of([lead_id])).get(lead_id, [])
            view = view_of(lead, fields, today)
            await session.commit()
        if not already:
            logger.info("job lead %s closed by %s", lead_id, closed_by)
        return Closed(view, already)

    async def recent(self, member: StaffMember, limit: int = 20) -> list[tuple[LeadView, int]]:
        """The latest leads the member may see, with how many people are interested."""
        today = self.today()
        async with self._sessions() as session:
            repo = JobLeadRepository(session)
            leads = await repo.recent(member.provinces, limit)
            ids = [lead.id for lead in leads]
            by_lead = await repo.fields_of(ids)
            counts = await repo.interest_counts(ids)
        return [
            (view_of(lead, by_lead.get(lead.id, []), today), counts.get(lead.id, 0))
            for lead in leads
        ]

    async def interested(
        self, member: StaffMember, lead_id: int
    ) -> tuple[LeadView, list[InterestedPerson]]:
        today = self.today()
        async with self._sessions() as session:
            repo = JobLeadRepository(session)
            lead = await repo.get(lead_id)
            if lead is None:
                raise LeadNotFound(lead_id)
            if not member.can_see_province(lead.province):
                raise NotAllowed
            fields = (await repo.fields_of([lead_id])).get(lead_id, [])
            rows = await repo.interested(lead_id)
        people = [
            InterestedPerson(
                person_id=person.id, full_name=person.full_name, phone=person.phone,
                province=person.province, city=person.city, at=interest.created_at,
                ticket_id=interest.ticket_id,
            )
            for interest, person in rows
        ]
        return view_of(lead, fields, today), people

    async def export_interested_csv(self, member: StaffMember, lead_id: int) -> bytes:
        """UTF-8 CSV with a BOM (Excel opens Persian text right), one row per person."""
        lead, people = await self.interested(member, lead_id)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["lead_id", "lead_title", "person_id", "full_name", "phone", "province",
                         "city", "interested_at_utc", "ticket_id"])
        for person in people:
            writer.writerow([
                lead.id, lead.title, person.person_id, person.full_name or "",
                person.phone or "", person.province or "", person.city or "",
                person.at.replace(tzinfo=person.at.tzinfo or dt.UTC).isoformat(timespec="seconds"),
                person.ticket_id or "",
            ])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
