"""Which staff chat serves a beneficiary: the chat bound to their province by `/bindchat`, else
the default staff chat of their messenger, else the other messenger's default (one staff chat
may serve beneficiaries of both messengers).

Only administrators bind and unbind. The binding row keeps who bound it and when; changes are
also logged by account id (there is no general audit table yet)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.provinces import PROVINCES, canonical_province
from services.staff import StaffMember
from services.staff_alerts import StaffChats
from storage.repositories.staff_chats import StaffChatRepository

logger = logging.getLogger(__name__)

_LIST_SEPARATORS = re.compile(r"[,،;؛\n]+")
# «و» as a word of its own ("تهران و البرز"); «سیستان و بلوچستان» is tried whole first.
_AND = re.compile(r"[\s\u200c]+و[\s\u200c]+")


class StaffChatError(Exception):
    """A refused binding change; the handler words it."""


class NotAdministrator(StaffChatError):
    pass


class NoProvinces(StaffChatError):
    pass


class UnknownProvinces(StaffChatError):
    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(", ".join(names))
        self.names = tuple(names)


@dataclass(frozen=True, slots=True)
class StaffChat:
    platform: str
    chat_id: int

    def __str__(self) -> str:
        return f"{self.platform}:{self.chat_id}"


@dataclass(frozen=True, slots=True)
class Binding:
    province: str
    chat: StaffChat
    bound_by: str


@dataclass(frozen=True, slots=True)
class BindOutcome:
    provinces: tuple[str, ...]  # now bound to the chat, in the usual order
    moved: tuple[tuple[str, StaffChat], ...]  # (province, the chat it was bound to before)


def parse_province_list(text: str) -> tuple[list[str], list[str]]:
    """(official names, names not recognised) of a list separated by commas (Persian or Latin),
    semicolons, new lines or the word «و»; each name folded as registration folds a typed one."""
    known: list[str] = []
    unknown: list[str] = []
    for part in _LIST_SEPARATORS.split(text):
        pieces = [piece.strip() for piece in _AND.split(part.strip()) if piece.strip()]
        start = 0
        while start < len(pieces):
            # The longest run of pieces that names a province: «سیستان و بلوچستان» stays whole.
            for end in range(len(pieces), start, -1):
                name = canonical_province(" و ".join(pieces[start:end]))
                if name is not None:
                    if name not in known:
                        known.append(name)
                    start = end
                    break
            else:
                unknown.append(pieces[start])
                start += 1
    return known, unknown


def _in_usual_order(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(name for name in PROVINCES if name in names)


BOUND_CHATS_SECONDS = 10.0


class StaffChatRouting:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], defaults: StaffChats
    ) -> None:
        self._sessions = session_factory
        self._defaults = defaults
        # Bound chats, read at most every BOUND_CHATS_SECONDS: the staff filters ask on every
        # group message, and a binding made by another worker shows within that time.
        self._bound: frozenset[tuple[str, int]] | None = None
        self._bound_read = float("-inf")

    async def is_staff_chat(self, platform: str, chat_id: int) -> bool:
        """A configured staff group, or a chat bound to some province."""
        if self._defaults.chats.get(platform) == chat_id:
            return True
        if self._bound is None or time.monotonic() - self._bound_read > BOUND_CHATS_SECONDS:
            async with self._sessions() as session:
                rows = await StaffChatRepository(session).all()
            self._bound = frozenset((row.platform, row.chat_id) for row in rows)
            self._bound_read = time.monotonic()
        return (platform, chat_id) in self._bound

    async def bind(
        self, member: StaffMember, platform: str, chat_id: int, provinces: str | Sequence[str]
    ) -> BindOutcome:
        """Make this chat serve `provinces` (typed text, or names); a province bound to another
        chat moves here. Raises NotAdministrator, NoProvinces or UnknownProvinces."""
        _require_admin(member)
        items = [provinces] if isinstance(provinces, str) else list(provinces)
        known: list[str] = []
        unknown: list[str] = []
        for item in items:
            names, bad = parse_province_list(item)
            known += [name for name in names if name not in known]
            unknown += bad
        if unknown:
            raise UnknownProvinces(unknown)
        if not known:
            raise NoProvinces()
        here = StaffChat(platform, chat_id)
        async with self._sessions() as session:
            repo = StaffChatRepository(session)
            before = {row.province: StaffChat(row.platform, row.chat_id)
                      for row in await repo.of_provinces(known)}  # fmt: skip
            for province in known:
                await repo.bind(province, platform, chat_id, _account(member))
            await session.commit()
        self._bound = None
        ordered = _in_usual_order(known)
        moved = tuple(
            (name, before[name]) for name in ordered if name in before and before[name] != here
        )
        logger.info(
            "staff chats: %s bound %s to %d provinces (%d moved from other chats)",
            _account(member), here, len(known), len(moved),
        )
        return BindOutcome(ordered, moved)

    async def unbind(self, member: StaffMember, platform: str, chat_id: int) -> tuple[str, ...]:
        """Release every province of this chat; the provinces released (none: nothing was)."""
        _require_admin(member)
        async with self._sessions() as session:
            released = await StaffChatRepository(session).unbind_chat(platform, chat_id)
            await session.commit()
        self._bound = None
        if released:
            logger.info(
                "staff chats: %s unbound %s:%s from %d provinces",
                _account(member), platform, chat_id, len(released),
            )
        return _in_usual_order(released)

    async def bindings(self) -> list[Binding]:
        """Every binding, provinces in the usual order."""
        async with self._sessions() as session:
            rows = await StaffChatRepository(session).all()
        order = {name: index for index, name in enumerate(PROVINCES)}
        found = [Binding(r.province, StaffChat(r.platform, r.chat_id), r.bound_by) for r in rows]
        return sorted(found, key=lambda b: order.get(b.province, len(order)))

    async def chat_for(
        self, province: str | None, person_platform: str
    ) -> tuple[str, int] | None:
        """Where a beneficiary of `province` on `person_platform` is served, or None when no
        staff chat is configured at all."""
        async with self._sessions() as session:
            return await route(session, self._defaults, province, person_platform)

    def default_chat(self, person_platform: str) -> tuple[str, int] | None:
        return default_chat(self._defaults, person_platform)


async def route(
    session: AsyncSession, defaults: StaffChats, province: str | None, person_platform: str
) -> tuple[str, int] | None:
    """The chat bound to the province, else the staff group of the person's messenger, else the
    other messenger's (one staff chat may serve beneficiaries of both); None when none is set.
    Inside the caller's session, so a ticket or an alert is routed in its own transaction."""
    if province is not None:
        row = await StaffChatRepository(session).get(province)
        if row is not None:
            return row.platform, row.chat_id
    return default_chat(defaults, person_platform)


def default_chat(defaults: StaffChats, person_platform: str) -> tuple[str, int] | None:
    chats = defaults.chats
    if person_platform in chats:
        return person_platform, chats[person_platform]
    for platform, chat_id in sorted(chats.items()):
        return platform, chat_id
    return None


def _require_admin(member: StaffMember) -> None:
    if not member.is_admin:
        raise NotAdministrator()


def _account(member: StaffMember) -> str:
    return f"{member.platform}:{member.user_id}"
