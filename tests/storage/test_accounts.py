"""Accounts, persons and staff repositories against a real (migrated) database."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import IdentityConflict, MessengerAccount, Person
from storage.repositories.accounts import AccountRepository
from storage.repositories.persons import PersonRepository
from storage.repositories.staff import StaffRepository

Factory = async_sessionmaker[AsyncSession]


async def _first_contact(factory: Factory, user_id: int, name: str = "زهرا") -> MessengerAccount:
    async with factory() as session:
        account = await AccountRepository(session).get_or_create(
            "telegram", user_id, chat_id=user_id, first_name=name, username=None,
            language_code="fa",
        )
        await session.commit()
        return account


async def _count(factory: Factory, model: type) -> int:
    async with factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_get_or_create_creates_person_once(session_factory: Factory) -> None:
    first = await _first_contact(session_factory, 1001)
    again = await _first_contact(session_factory, 1001)
    assert first.id == again.id
    assert first.person.id == again.person.id
    assert again.person.is_registered is False
    assert await _count(session_factory, Person) == 1


async def test_concurrent_first_updates_do_not_crash(session_factory: Factory) -> None:
    accounts = await asyncio.gather(*(_first_contact(session_factory, 2002) for _ in range(5)))
    assert len({account.id for account in accounts}) == 1
    assert len({account.person_id for account in accounts}) == 1
    # The losers' spare persons were removed with their rolled-back insert.
    assert await _count(session_factory, MessengerAccount) == 1
    assert await _count(session_factory, Person) == 1


async def test_touch_writes_only_changes(session_factory: Factory) -> None:
    await _first_contact(session_factory, 3003, name="Ali")
    async with session_factory() as session:
        repo = AccountRepository(session)
        account = await repo.get("telegram", 3003)
        assert account is not None
        unchanged = repo.touch(
            account, chat_id=3003, first_name="Ali", username=None, language_code="fa"
        )
        assert unchanged is False
        assert not session.dirty
        # No chat id in this update (e.g. an inline query): the known one is kept.
        changed = repo.touch(
            account, chat_id=None, first_name="علی", username=None, language_code="fa"
        )
        assert changed is True
        await session.commit()
    async with session_factory() as session:
        account = await AccountRepository(session).get("telegram", 3003)
        assert account is not None
        assert (account.first_name, account.chat_id) == ("علی", 3003)


async def test_blocked_flag(session_factory: Factory) -> None:
    await _first_contact(session_factory, 4004)
    async with session_factory() as session:
        repo = AccountRepository(session)
        assert await repo.mark_blocked("telegram", 4004) is True
        assert await repo.mark_blocked("telegram", 4004) is False
        await session.commit()
        account = await repo.get("telegram", 4004)
        assert account is not None and account.blocked_at is not None
        assert await repo.mark_unblocked("telegram", 4004) is True
        assert await repo.mark_blocked("bale", 4004) is False  # no such account
        await session.commit()
        account = await repo.get("telegram", 4004)
        assert account is not None and account.blocked_at is None


async def test_merge_persons(session_factory: Factory) -> None:
    telegram = await _first_contact(session_factory, 5005)
    async with session_factory() as session:
        bale = await AccountRepository(session).get_or_create(
            "bale", 77, chat_id=77, first_name=None, username=None, language_code=None
        )
        await session.commit()
    async with session_factory() as session:
        persons = PersonRepository(session)
        keeper = await persons.get(telegram.person_id)
        assert keeper is not None
        keeper.national_code = "0012345679"
        keeper.phone = "09121234567"
        await session.flush()
        conflict = await persons.add_conflict(
            account_id=bale.id, existing_person_id=keeper.id,
            national_code="0012345679", reason="national_code_taken",
        )
        assert [c.id for c in await persons.open_conflicts()] == [conflict.id]
        assert await persons.move_accounts(bale.person_id, keeper.id) == 1
        duplicate = await persons.get(bale.person_id)
        assert duplicate is not None
        await persons.delete(duplicate)
        await session.commit()
    async with session_factory() as session:
        persons = PersonRepository(session)
        found = await persons.by_national_code("0012345679")
        assert found is not None and found.id == telegram.person_id
        assert (await persons.by_phone("09121234567")) == found
        assert await persons.get(bale.person_id) is None
        accounts = await AccountRepository(session).of_person(found.id)
        assert {(a.platform, a.user_id) for a in accounts} == {("telegram", 5005), ("bale", 77)}
        assert await session.scalar(select(func.count()).select_from(IdentityConflict)) == 1


async def test_deleting_a_person_cascades_to_accounts(session_factory: Factory) -> None:
    account = await _first_contact(session_factory, 6006)
    async with session_factory() as session:
        persons = PersonRepository(session)
        person = await persons.get(account.person_id)
        assert person is not None
        await persons.delete(person)
        await session.commit()
    assert await _count(session_factory, MessengerAccount) == 0


async def test_staff_roles(session_factory: Factory) -> None:
    async with session_factory() as session:
        staff = StaffRepository(session)
        await staff.grant("telegram", 9, "caseworker", ["تهران"])
        again = await staff.grant("telegram", 9, "caseworker", ["تهران", "قم"])
        await staff.grant("telegram", 9, "admin")
        await session.commit()
        assert again.provinces == ["تهران", "قم"]
    async with session_factory() as session:
        staff = StaffRepository(session)
        roles = await staff.roles_of("telegram", 9)
        assert [(r.role, r.provinces) for r in roles] == [
            ("admin", None), ("caseworker", ["تهران", "قم"]),
        ]
        assert await staff.roles_of("bale", 9) == []
        assert [r.user_id for r in await staff.all("admin")] == [9]
        assert await staff.revoke("telegram", 9, "admin") == 1
        assert await staff.revoke("telegram", 9, "admin") == 0
        await session.commit()
        assert [r.role for r in await staff.roles_of("telegram", 9)] == ["caseworker"]
