"""StaffService on the real databases (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from services.staff import StaffMember, StaffService

Sessions = async_sessionmaker[AsyncSession]


async def test_not_staff_is_none(session_factory: Sessions) -> None:
    assert await StaffService(session_factory).member("telegram", 42) is None


async def test_configured_admin_sees_every_province(session_factory: Sessions) -> None:
    admins = Settings(admins="telegram:7,bale:7").admin_accounts
    await StaffService(session_factory).grant_admins(admins)
    staff = StaffService(session_factory)
    admin = await staff.member("telegram", 7)
    assert admin == StaffMember("telegram", 7, True, False, None)
    assert admin.can_see_province("تهران") and admin.can_see_province(None)
    assert (await staff.member("bale", 7)) is not None
    assert await staff.member("bale", 8) is None  # platform and id both count


async def test_caseworker_scoped_then_rescoped_then_removed(session_factory: Sessions) -> None:
    staff = StaffService(session_factory)
    member = await staff.add_caseworker("bale", 1001, ["فارس", "تهران", "فارس"])
    assert member.is_caseworker and not member.is_admin
    assert member.provinces == frozenset({"فارس", "تهران"})
    assert member.can_see_province("فارس")
    assert not member.can_see_province("گیلان")
    assert not member.can_see_province(None)
    assert await staff.member("bale", 1001) == member

    everywhere = await staff.add_caseworker("bale", 1001, None)
    assert everywhere.provinces is None
    assert everywhere.can_see_province("گیلان")
    assert (await staff.member("bale", 1001)) == everywhere

    assert await staff.remove("bale", 1001) is True
    assert await staff.member("bale", 1001) is None
    assert await staff.remove("bale", 1001) is False


async def test_admin_who_is_also_caseworker_is_not_narrowed(session_factory: Sessions) -> None:
    await StaffService(session_factory).grant_admins(Settings(admins="telegram:5").admin_accounts)
    staff = StaffService(session_factory)
    member = await staff.add_caseworker("telegram", 5, ["قم"])
    assert member.is_admin and member.is_caseworker
    assert member.provinces is None


async def test_all_members(session_factory: Sessions) -> None:
    await StaffService(session_factory).grant_admins(Settings(admins="telegram:5").admin_accounts)
    staff = StaffService(session_factory)
    await staff.add_caseworker("bale", 9, ["قم"])
    await staff.add_caseworker("telegram", 5, None)
    members = await staff.all_members()
    assert members == [
        StaffMember("bale", 9, False, True, frozenset({"قم"})),
        StaffMember("telegram", 5, True, True, None),
    ]
