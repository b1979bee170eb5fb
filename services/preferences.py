"""What a person chose to be told outside their own conversation.

News of a person's own applications (a decision, a document asked for) always goes: it is theirs
and cannot be turned off, so it is no topic here. Each Topic is a kind of general message a person
may turn off; a broadcast's audience leaves out those who did (storage.repositories.persons
.takes_news)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories.persons import PersonRepository


class Topic(enum.StrEnum):
    NEWS = "news"  # general news: new courses, programs, announcements (broadcasts)
    JOB_LEADS = "job_leads"  # job leads matching the person's field (services/job_leads)


# The person's column that turns each topic off.
_OPT_OUT_COLUMN: dict[Topic, str] = {
    Topic.NEWS: "news_opt_out", Topic.JOB_LEADS: "job_leads_opt_out",
}


@dataclass(frozen=True, slots=True)
class JobLeadChoices:
    digest: bool  # one daily digest instead of each lead at once
    can_move: bool | None  # to a neighbouring province; None: not asked yet


class PersonNotFound(Exception):
    """No person behind this id (e.g. deleted since the account was cached)."""


class NotificationPreferences:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    async def switches(self, person_id: int) -> dict[Topic, bool]:
        """Every topic, True where it is on."""
        async with self.session_factory() as session:
            opt_outs = await PersonRepository(session).opt_outs(person_id)
        if opt_outs is None:
            raise PersonNotFound(person_id)
        return {topic: not opt_outs[column] for topic, column in _OPT_OUT_COLUMN.items()}

    async def is_on(self, person_id: int, topic: Topic) -> bool:
        return (await self.switches(person_id))[topic]

    async def switch(self, person_id: int, topic: Topic, on: bool) -> bool:
        """Turns `topic` on or off at once; returns False when it already was so (a second
        press, an old button)."""
        async with self.session_factory() as session:
            changed = await PersonRepository(session).set_opt_out(
                person_id, _OPT_OUT_COLUMN[topic], not on
            )
            if changed is None:
                raise PersonNotFound(person_id)
            await session.commit()
        return changed

    async def job_lead_choices(self, person_id: int) -> JobLeadChoices:
        async with self.session_factory() as session:
            person = await PersonRepository(session).get(person_id)
        if person is None:
            raise PersonNotFound(person_id)
        return JobLeadChoices(person.job_leads_digest, person.can_move)

    async def set_job_lead_digest(self, person_id: int, digest: bool) -> bool:
        return await self._choose(person_id, "job_leads_digest", digest)

    async def set_can_move(self, person_id: int, can_move: bool) -> bool:
        return await self._choose(person_id, "can_move", can_move)

    async def _choose(self, person_id: int, column: str, value: bool) -> bool:
        async with self.session_factory() as session:
            changed = await PersonRepository(session).set_choice(person_id, column, value)
            if changed is None:
                raise PersonNotFound(person_id)
            await session.commit()
        return changed
