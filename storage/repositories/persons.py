"""Persons (identity across messengers) and the identity conflicts found while registering."""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import IdentityConflict, MessengerAccount, Person

# The columns of Person by which a person turns a kind of message off (one per switch).
OPT_OUT_COLUMNS = ("news_opt_out", "job_leads_opt_out")
# Other choices a person makes on the notifications screen.
CHOICE_COLUMNS = ("job_leads_digest", "can_move")


def takes_news() -> ColumnElement[bool]:
    """The condition a broadcast's audience adds: the person has not turned general news off.
    (News of a person's own applications is not a broadcast and ignores it.)"""
    return Person.news_opt_out.is_(False)


class PersonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, person_id: int) -> Person | None:
        return await self.session.get(Person, person_id)

    async def opt_outs(self, person_id: int) -> dict[str, bool] | None:
        """Each switch in OPT_OUT_COLUMNS: True where the person turned it off (None: no such
        person)."""
        person = await self.get(person_id)
        if person is None:
            return None
        return {column: bool(getattr(person, column)) for column in OPT_OUT_COLUMNS}

    async def set_opt_out(self, person_id: int, column: str, opt_out: bool) -> bool | None:
        """Sets one switch; returns whether it changed (None: no such person)."""
        if column not in OPT_OUT_COLUMNS:
            raise ValueError(f"not a switch: {column}")
        person = await self.get(person_id)
        if person is None:
            return None
        if bool(getattr(person, column)) == opt_out:
            return False
        setattr(person, column, opt_out)
        await self.session.flush()
        return True

    async def set_choice(self, person_id: int, column: str, value: bool) -> bool | None:
        """Sets one of CHOICE_COLUMNS; returns whether it changed (None: no such person)."""
        if column not in CHOICE_COLUMNS:
            raise ValueError(f"not a choice: {column}")
        person = await self.get(person_id)
        if person is None:
            return None
        if getattr(person, column) == value:
            return False
        setattr(person, column, value)
        await self.session.flush()
        return True

    async def by_national_code(self, national_code: str) -> Person | None:
        return await self.session.scalar(
            select(Person).where(Person.national_code == national_code)
        )

    async def by_phone(self, phone: str) -> Person | None:
        """The person holding this phone; phones are not unique (families share one), so a
        verified holder wins, then the oldest."""
        return await self.session.scalar(
            select(Person)
            .where(Person.phone == phone)
            .order_by(Person.phone_verified.desc(), Person.id)
            .limit(1)
        )

    async def add_conflict(
        self,
        *,
        account_id: int,
        reason: str,
        existing_person_id: int | None = None,
        national_code: str | None = None,
        phone: str | None = None,
    ) -> IdentityConflict:
        conflict = IdentityConflict(
            account_id=account_id,
            existing_person_id=existing_person_id,
            national_code=national_code,
            phone=phone,
            reason=reason,
        )
        self.session.add(conflict)
        await self.session.flush()
        return conflict

    async def open_conflicts(self) -> list[IdentityConflict]:
        result = await self.session.scalars(
            select(IdentityConflict)
            .where(IdentityConflict.resolved_at.is_(None))
            .order_by(IdentityConflict.id)
        )
        return list(result)

    async def move_accounts(self, from_person_id: int, to_person_id: int) -> int:
        """Re-point every account of one person at another (a merge); returns how many moved."""
        result = await self.session.execute(
            update(MessengerAccount)
            .where(MessengerAccount.person_id == from_person_id)
            .values(person_id=to_person_id)
            .execution_options(synchronize_session="fetch")
        )
        # Loaded Person.accounts collections are now stale on both sides.
        for person_id in (from_person_id, to_person_id):
            person = await self.session.get(Person, person_id)
            if person is not None:
                self.session.expire(person, ["accounts"])
        return int(getattr(result, "rowcount", 0) or 0)

    async def delete(self, person: Person) -> None:
        """Delete through SQL so the database's ON DELETE rules apply (accounts cascade,
        conflicts keep a NULL reference) instead of the ORM nulling loaded children's FKs."""
        await self.session.execute(
            delete(Person)
            .where(Person.id == person.id)
            .execution_options(synchronize_session="fetch")
        )
        if person in self.session:
            self.session.expunge(person)
