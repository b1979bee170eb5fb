"""Applications, tickets and courses for the API tests, made through the services (tickets as
rows: their own tests drive the hand-off)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.container import Services
from services.provinces import PROVINCES
from storage.models import Ticket, TicketMessage, utcnow
from tests.applications.conftest import ready_draft
from tests.applications.helpers import TODAY, add_course
from tests.applications.helpers import add_person as add_person  # re-exported for the tests


@dataclass(frozen=True)
class Made:
    person_id: int
    app_id: int
    tracking_code: str
    course_code: str


async def submitted_in(
    services: Services,
    sessions: async_sessionmaker[AsyncSession],
    province: str = "تهران",
    **person: object,
) -> Made:
    """A registered person of `province` with a submitted Hamnava application there."""
    code = f"API{PROVINCES.index(province) + 100}"
    async with sessions() as session:
        from storage.repositories.courses import CourseRepository

        exists = await CourseRepository(session).get_by_code(code) is not None
    if not exists:
        await add_course(sessions, code, province=province, city=province)
    service = services.application_service
    ready = await ready_draft(service, sessions, course=code, province=province, **person)
    result = await service.submit(ready.app_id, ready.person_id, today=TODAY)
    assert result.tracking_code is not None, result
    return Made(ready.person_id, ready.app_id, result.tracking_code, code)


async def ticket_for(
    sessions: async_sessionmaker[AsyncSession], person_id: int, province: str, text: str,
    *, resolved: bool = False,
) -> int:
    """A ticket with the person's first message (a person has one ticket open at most)."""
    async with sessions() as session:
        ticket = Ticket(
            person_id=person_id, topic="application", context={},
            status="resolved" if resolved else "open", province=province, opened_at=utcnow(),
            last_person_at=utcnow(), closed_at=utcnow() if resolved else None,
        )
        session.add(ticket)
        await session.flush()
        session.add(TicketMessage(
            ticket_id=ticket.id, direction="in", kind="text", text=text, created_at=utcnow(),
        ))
        await session.commit()
        return ticket.id


async def give_account(
    sessions: async_sessionmaker[AsyncSession], person_id: int, user_id: int = 777_001
) -> None:
    """A Telegram account with a chat, so messages to the person can be queued."""
    from storage.models import MessengerAccount

    async with sessions() as session:
        session.add(MessengerAccount(
            platform="telegram", user_id=user_id, chat_id=user_id, person_id=person_id,
            first_name="زهرا",
        ))
        await session.commit()


def valid_national_code(n: int) -> str:
    """A national code with a right check digit, from any number of up to 9 digits."""
    base = f"{n % 10**9:09d}"
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(base)) % 11
    return base + str(remainder if remainder < 2 else 11 - remainder)
