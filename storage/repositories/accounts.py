"""Messenger accounts: one row per (platform, user id), each pointing at a person."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.db import dialect_insert
from storage.models import MessengerAccount, Person, utcnow


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, platform: str, user_id: int) -> MessengerAccount | None:
        return await self.session.scalar(
            select(MessengerAccount)
            .where(MessengerAccount.platform == platform, MessengerAccount.user_id == user_id)
            .options(selectinload(MessengerAccount.person))
            # Another transaction may have changed the row since this session last saw it.
            .execution_options(populate_existing=True)
        )

    async def private_chats_of(
        self, person_ids: list[int], platform: str
    ) -> list[tuple[int, int, str | None, str | None]]:
        """(person id, chat id, person's locale, account's language code) of every unblocked
        private chat of these people on one messenger."""
        if not person_ids:
            return []
        result = await self.session.execute(
            select(MessengerAccount.person_id, MessengerAccount.chat_id, Person.locale,
                   MessengerAccount.language_code)
            .join(Person, Person.id == MessengerAccount.person_id)
            .where(
                MessengerAccount.person_id.in_(person_ids),
                MessengerAccount.platform == platform,
                MessengerAccount.chat_id.is_not(None),
                MessengerAccount.blocked_at.is_(None),
            )
            .order_by(MessengerAccount.id)
        )
        return [(p, c, loc, lang) for p, c, loc, lang in result if c is not None]

    async def get_by_id(self, account_id: int) -> MessengerAccount | None:
        return await self.session.get(
            MessengerAccount, account_id, options=[selectinload(MessengerAccount.person)]
        )

    async def of_person(self, person_id: int) -> list[MessengerAccount]:
        result = await self.session.scalars(
            select(MessengerAccount)
            .where(MessengerAccount.person_id == person_id)
            .order_by(MessengerAccount.id)
        )
        return list(result)

    async def get_or_create(
        self,
        platform: str,
        user_id: int,
        *,
        chat_id: int | None,
        first_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> MessengerAccount:
        """The account (with its person), created with a fresh Person at first contact.

        Race-safe without savepoints: the account row is inserted with ON CONFLICT DO NOTHING,
        so when two first updates race, the loser inserts nothing, drops its spare person and
        reads the winner's row. Known accounts get their names refreshed (written only if changed).
        """
        account = await self.get(platform, user_id)
        if account is not None:
            self.touch(
                account,
                chat_id=chat_id,
                first_name=first_name,
                username=username,
                language_code=language_code,
            )
            return account

        person = Person()
        self.session.add(person)
        await self.session.flush()
        now = utcnow()
        stmt = (
            dialect_insert(self.session, MessengerAccount)
            .values(
                platform=platform,
                user_id=user_id,
                chat_id=chat_id,
                person_id=person.id,
                first_name=first_name,
                username=username,
                language_code=language_code,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["platform", "user_id"])
            .returning(MessengerAccount.id)
        )
        inserted_id = await self.session.scalar(stmt)
        if inserted_id is None:
            await self.session.execute(delete(Person).where(Person.id == person.id))
            self.session.expunge(person)
        account = await self.get(platform, user_id)
        if account is None:  # pragma: no cover - the row exists: we or the winner inserted it
            raise RuntimeError(f"account {platform}:{user_id} vanished during get_or_create")
        return account

    def touch(
        self,
        account: MessengerAccount,
        *,
        chat_id: int | None,
        first_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> bool:
        """Copy fresh profile fields onto the account; True if anything changed (an UPDATE follows
        at the next flush). Unchanged values are not assigned, so an ordinary update costs no write.
        """
        fresh = {
            "chat_id": chat_id,
            "first_name": first_name,
            "username": username,
            "language_code": language_code,
        }
        changed = False
        for field, value in fresh.items():
            # A missing chat id (e.g. an inline query) is not news: keep the one we know.
            if value is None and field == "chat_id":
                continue
            if getattr(account, field) != value:
                setattr(account, field, value)
                changed = True
        return changed

    async def mark_blocked(self, platform: str, user_id: int) -> bool:
        """Record a 403 from the messenger; True if the account was not already marked."""
        return await self._set_blocked(platform, user_id, blocked=True)

    async def mark_unblocked(self, platform: str, user_id: int) -> bool:
        return await self._set_blocked(platform, user_id, blocked=False)

    async def _set_blocked(self, platform: str, user_id: int, *, blocked: bool) -> bool:
        stmt = (
            update(MessengerAccount)
            .where(
                MessengerAccount.platform == platform,
                MessengerAccount.user_id == user_id,
                MessengerAccount.blocked_at.is_(None)
                if blocked
                else MessengerAccount.blocked_at.is_not(None),
            )
            .values(blocked_at=utcnow() if blocked else None, updated_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))
