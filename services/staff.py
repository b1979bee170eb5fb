"""Who is staff, with which role and provinces. No aiogram: handlers and the API both ask here."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import StaffRole
from storage.repositories.staff import ADMIN, CASEWORKER, StaffRepository


@dataclass(frozen=True, slots=True)
class StaffMember:
    platform: str
    user_id: int
    is_admin: bool
    is_caseworker: bool
    provinces: frozenset[str] | None  # None = all provinces (admins always None)

    def can_see_province(self, province: str | None) -> bool:
        """Admins and all-province caseworkers see everything; a scoped caseworker sees only
        their provinces (a case with no province yet is not theirs to see)."""
        if self.provinces is None:
            return True
        return province is not None and province in self.provinces


def member_from_roles(
    platform: str, user_id: int, roles: Iterable[StaffRole]
) -> StaffMember | None:
    names = {role.role: role for role in roles}
    if not names:
        return None
    is_admin = ADMIN in names
    caseworker = names.get(CASEWORKER)
    provinces: frozenset[str] | None = None
    if not is_admin and caseworker is not None and caseworker.provinces is not None:
        provinces = frozenset(str(name) for name in caseworker.provinces)
    return StaffMember(
        platform=platform,
        user_id=user_id,
        is_admin=is_admin,
        is_caseworker=caseworker is not None,
        provinces=provinces,
    )


class StaffService:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def member(self, platform: str, user_id: int) -> StaffMember | None:
        """None means not staff."""
        async with self._sessions() as session:
            roles = await StaffRepository(session).roles_of(platform, user_id)
        return member_from_roles(platform, user_id, roles)

    async def grant_admins(self, accounts: Iterable[tuple[str, int]]) -> None:
        """The configured first administrators (ADMINS). Idempotent, so every start re-applies."""
        accounts = sorted(set(accounts))
        if not accounts:
            return
        async with self._sessions() as session:
            repo = StaffRepository(session)
            for platform, user_id in accounts:
                await repo.grant(platform, user_id, ADMIN)
            await session.commit()

    async def add_caseworker(
        self, platform: str, user_id: int, provinces: Sequence[str] | None
    ) -> StaffMember:
        """Make (or re-scope) a caseworker; `provinces` None means all provinces."""
        async with self._sessions() as session:
            repo = StaffRepository(session)
            scope = sorted(set(provinces)) if provinces is not None else None
            await repo.grant(platform, user_id, CASEWORKER, scope)
            roles = await repo.roles_of(platform, user_id)
            await session.commit()
        member = member_from_roles(platform, user_id, roles)
        assert member is not None  # just granted
        return member

    async def remove(self, platform: str, user_id: int) -> bool:
        """Take every role away; False when the account had none."""
        async with self._sessions() as session:
            removed = await StaffRepository(session).revoke(platform, user_id)
            await session.commit()
        return removed > 0

    async def all_members(self) -> list[StaffMember]:
        async with self._sessions() as session:
            roles = await StaffRepository(session).all()
        grouped: dict[tuple[str, int], list[StaffRole]] = {}
        for role in roles:
            grouped.setdefault((role.platform, role.user_id), []).append(role)
        members = [
            member_from_roles(platform, user_id, account_roles)
            for (platform, user_id), account_roles in sorted(grouped.items())
        ]
        return [member for member in members if member is not None]


class StaffRoster:
    """Which accounts hold a staff role, re-read at most every `ttl_seconds` (one small query).

    Only for deciding whether /help shows the staff lines, so a beneficiary's /help costs no
    query; never used to authorize anything (IsStaff and the services always ask fresh).
    Staff changes made in this process are seen at once (`forget`), other workers' within ttl."""

    def __init__(self, staff: StaffService, ttl_seconds: float = 30.0) -> None:
        self.staff = staff
        self.ttl = ttl_seconds
        self._accounts: frozenset[tuple[str, int]] | None = None
        self._loaded_at = 0.0

    async def may_be_staff(self, platform: str, user_id: int) -> bool:
        if self._accounts is None or time.monotonic() - self._loaded_at > self.ttl:
            members = await self.staff.all_members()
            self._accounts = frozenset((m.platform, m.user_id) for m in members)
            self._loaded_at = time.monotonic()
        return (platform, user_id) in self._accounts

    def forget(self) -> None:
        self._accounts = None
