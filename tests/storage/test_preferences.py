"""A person's notification switches against a real (migrated) database, and the condition a
broadcast's audience adds to leave out those who turned general news off."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.preferences import NotificationPreferences, PersonNotFound, Topic
from storage.models import Person
from storage.repositories.accounts import AccountRepository
from storage.repositories.persons import PersonRepository, takes_news

Factory = async_sessionmaker[AsyncSession]


async def _person(factory: Factory, user_id: int) -> int:
    async with factory() as session:
        account = await AccountRepository(session).get_or_create(
            "bale", user_id, chat_id=user_id, first_name="زهرا", username=None,
            language_code="fa",
        )
        await session.commit()
        return account.person_id


async def test_news_is_on_until_turned_off_and_a_second_press_changes_nothing(
    session_factory: Factory,
) -> None:
    preferences = NotificationPreferences(session_factory)
    person_id = await _person(session_factory, 501)
    assert await preferences.switches(person_id) == {Topic.NEWS: True, Topic.JOB_LEADS: True}

    assert await preferences.switch(person_id, Topic.NEWS, on=False) is True
    assert await preferences.switch(person_id, Topic.NEWS, on=False) is False
    assert await preferences.is_on(person_id, Topic.NEWS) is False
    async with session_factory() as session:
        row = await session.get(Person, person_id)
        assert row is not None and row.news_opt_out is True

    assert await preferences.switch(person_id, Topic.NEWS, on=True) is True
    assert await preferences.is_on(person_id, Topic.NEWS) is True


async def test_a_missing_person_is_a_domain_error(session_factory: Factory) -> None:
    preferences = NotificationPreferences(session_factory)
    with pytest.raises(PersonNotFound):
        await preferences.switches(424242)
    with pytest.raises(PersonNotFound):
        await preferences.switch(424242, Topic.NEWS, on=False)


async def test_only_switch_columns_can_be_set(session_factory: Factory) -> None:
    person_id = await _person(session_factory, 502)
    async with session_factory() as session:
        with pytest.raises(ValueError):
            await PersonRepository(session).set_opt_out(person_id, "full_name", True)


async def test_the_audience_condition_leaves_out_who_turned_news_off(
    session_factory: Factory,
) -> None:
    preferences = NotificationPreferences(session_factory)
    keeps, stops, again = [await _person(session_factory, n) for n in (601, 602, 603)]
    await preferences.switch(stops, Topic.NEWS, on=False)
    await preferences.switch(again, Topic.NEWS, on=False)
    await preferences.switch(again, Topic.NEWS, on=True)
    async with session_factory() as session:
        audience = set(await session.scalars(select(Person.id).where(takes_news())))
    assert audience == {keeps, again}


async def test_job_leads_switch_and_choices_are_the_persons_own(session_factory: Factory) -> None:
    preferences = NotificationPreferences(session_factory)
    person_id = await _person(session_factory, 503)
    choices = await preferences.job_lead_choices(person_id)
    assert (choices.digest, choices.can_move) == (False, None)  # not asked yet
    assert await preferences.switch(person_id, Topic.JOB_LEADS, on=False) is True
    assert await preferences.is_on(person_id, Topic.NEWS) is True  # the other switch stays
    assert await preferences.set_can_move(person_id, True) is True
    assert await preferences.set_can_move(person_id, True) is False
    assert await preferences.set_job_lead_digest(person_id, True) is True
    choices = await preferences.job_lead_choices(person_id)
    assert (choices.digest, choices.can_move) == (True, True)
    with pytest.raises(PersonNotFound):
        await preferences.set_can_move(424242, False)
