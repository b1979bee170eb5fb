"""Who is writing: resolves (platform, user id) to an account and its person, with a short cache.

Every update needs the account (locale, registered or not). Reading it from the database on every
tap would dominate the hot path, so a small per-process cache keeps it for a few seconds; every
write through this service refreshes the cached entry, and other workers see changes once the
entry expires."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import MessengerAccount
from storage.repositories.accounts import AccountRepository
from storage.repositories.persons import PersonRepository


@dataclass(frozen=True, slots=True)
class AccountContext:
    account_id: int
    person_id: int
    platform: str
    user_id: int
    chat_id: int | None
    locale: str | None
    language_code: str | None
    registered: bool
    blocked: bool


@dataclass(frozen=True, slots=True)
class DeliveryTarget:
    """A private chat where a person can be told something, with what decides its language."""

    platform: str
    chat_id: int
    locale: str | None
    language_code: str | None


@dataclass(frozen=True, slots=True)
class IncomingUser:
    platform: str
    user_id: int
    chat_id: int | None
    first_name: str | None
    username: str | None
    language_code: str | None


def _context_of(account: MessengerAccount) -> AccountContext:
    person = account.person
    return AccountContext(
        account_id=account.id,
        person_id=account.person_id,
        platform=account.platform,
        user_id=account.user_id,
        chat_id=account.chat_id,
        locale=person.locale,
        language_code=account.language_code,
        registered=person.is_registered,
        blocked=account.blocked_at is not None,
    )


class AccountCache:
    def __init__(self, ttl_seconds: float = 30.0, max_entries: int = 50_000) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, int], tuple[float, AccountContext]] = OrderedDict()

    def get(self, platform: str, user_id: int) -> AccountContext | None:
        key = (platform, user_id)
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, context = entry
        if time.monotonic() - stored_at > self.ttl:
            del self._entries[key]
            return None
        return context

    def put(self, context: AccountContext) -> None:
        key = (context.platform, context.user_id)
        self._entries[key] = (time.monotonic(), context)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def forget_person(self, person_id: int) -> None:
        for key in [k for k, (_, c) in self._entries.items() if c.person_id == person_id]:
            del self._entries[key]


class AccountService:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], cache: AccountCache | None = None
    ) -> None:
        self.session_factory = session_factory
        self.cache = cache or AccountCache()

    async def resolve(self, incoming: IncomingUser) -> AccountContext:
        cached = self.cache.get(incoming.platform, incoming.user_id)
        if cached is not None and not _differs(cached, incoming):
            return cached
        async with self.session_factory() as session:
            repo = AccountRepository(session)
            account = await repo.get_or_create(
                incoming.platform,
                incoming.user_id,
                chat_id=incoming.chat_id,
                first_name=incoming.first_name,
                username=incoming.username,
                language_code=incoming.language_code,
            )
            # A person who writes to us again has evidently unblocked the bot.
            if account.blocked_at is not None:
                await repo.mark_unblocked(incoming.platform, incoming.user_id)
            await session.commit()
            context = replace(_context_of(account), blocked=False)
        self.cache.put(context)
        return context

    async def refresh(self, platform: str, user_id: int) -> AccountContext | None:
        async with self.session_factory() as session:
            account = await AccountRepository(session).get(platform, user_id)
            if account is None:
                return None
            context = _context_of(account)
        self.cache.forget_person(context.person_id)
        self.cache.put(context)
        return context

    async def mark_blocked(self, platform: str, chat_id: int) -> None:
        """The messenger said 403 for a private chat: stop sending there until the person writes."""
        async with self.session_factory() as session:
            await AccountRepository(session).mark_blocked(platform, chat_id)
            await session.commit()
        cached = self.cache.get(platform, chat_id)
        if cached is not None:
            self.cache.put(replace(cached, blocked=True))

    async def delivery_targets(self, person_id: int) -> list[DeliveryTarget]:
        """Every account of the person with a private chat that has not blocked the bot."""
        async with self.session_factory() as session:
            person = await PersonRepository(session).get(person_id)
            if person is None:
                return []
            accounts = await AccountRepository(session).of_person(person_id)
            return [
                DeliveryTarget(a.platform, a.chat_id, person.locale, a.language_code)
                for a in accounts
                if a.chat_id is not None and a.blocked_at is None
            ]

    async def delivery_targets_of(
        self, person_ids: list[int], platform: str
    ) -> dict[int, list[DeliveryTarget]]:
        """`delivery_targets` on one messenger for many people at once (one query)."""
        targets: dict[int, list[DeliveryTarget]] = {person_id: [] for person_id in person_ids}
        async with self.session_factory() as session:
            chats = await AccountRepository(session).private_chats_of(person_ids, platform)
        for person_id, chat_id, locale, language_code in chats:
            targets[person_id].append(DeliveryTarget(platform, chat_id, locale, language_code))
        return targets

    async def set_locale(self, context: AccountContext, locale: str) -> AccountContext:
        async with self.session_factory() as session:
            person = await PersonRepository(session).get(context.person_id)
            if person is not None:
                person.locale = locale
            await session.commit()
        self.cache.forget_person(context.person_id)
        updated = replace(context, locale=locale)
        self.cache.put(updated)
        return updated


def _differs(cached: AccountContext, incoming: IncomingUser) -> bool:
    """Only a changed chat or language (or a block to clear) is worth a database round trip."""
    return (
        cached.blocked
        or (incoming.chat_id is not None and cached.chat_id != incoming.chat_id)
        or cached.language_code != incoming.language_code
    )
