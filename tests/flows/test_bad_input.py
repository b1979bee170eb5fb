"""Wrong answers get a clear reply, and the form keeps everything entered so far."""

from __future__ import annotations

import datetime as dt

from tests.flows.harness import Person, Sandbox
from tests.flows.steps import PHONE, current_widgets, draft_of, english, person_row, register


async def _at(sandbox: Sandbox, platform: str, step: str) -> Person:
    person = english(sandbox, platform)
    await register(person, until=step)
    assert (await draft_of(person)).step == step
    return person


async def _refused(person: Person, text: str, expected: str, step: str) -> None:
    before = await draft_of(person)
    await person.send(text)
    screen = person.last().text or ""
    assert expected in screen, screen
    after = await draft_of(person)
    assert after == before, "a refused answer changed the draft"
    assert after.step == step


async def test_bad_national_codes_then_a_left_padded_one(sandbox: Sandbox, platform: str) -> None:
    person = await _at(sandbox, platform, "national_code")
    for code, expected in [
        ("0012345670", "not valid"),  # wrong check digit
        ("abcdefghij", "only digits"),
        ("1111111111", "not valid"),
        ("12345", "10 digits"),
    ]:
        await _refused(person, code, expected, "national_code")
    assert (await draft_of(person)).full_name == "Maryam Ahmadi"

    await person.send("۰۱۲۳۴۵۶۷۹")  # nine digits: left-padded to 0012345679
    draft = await draft_of(person)
    assert (draft.national_code, draft.step) == ("0012345679", "birth_date")


async def test_foreign_mobile_is_refused(sandbox: Sandbox, platform: str) -> None:
    person = await _at(sandbox, platform, "phone")
    await _refused(person, "+14155550123", "not an Iranian mobile", "phone")
    assert (await draft_of(person)).phone is None


async def test_someone_elses_contact_is_refused(sandbox: Sandbox, platform: str) -> None:
    person = await _at(sandbox, platform, "phone")
    await person.share_contact("+989121234567", contact_user_id=person.user.id + 1)
    assert "not yours" in (person.last().text or "")
    draft = await draft_of(person)
    assert (draft.phone, draft.phone_verified, draft.step) == (None, False, "phone")


async def test_typed_number_is_kept_unverified(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await register(person, verified_phone=False, phone="۰۹۱۲ ۱۲۳ ۴۵۶۷", save=False)
    assert "(not verified)" in (person.last().text or ""), person.screen()
    await person.press("save")
    row = await person_row(person)
    assert (row.phone, row.phone_verified) == (PHONE, False)


async def test_impossible_date_refused_and_leap_day_accepted(
    sandbox: Sandbox, platform: str
) -> None:
    person = await _at(sandbox, platform, "birth_date")
    # 1404 is not a leap year in the Jalali calendar; 1403 is.
    await _refused(person, "۱۴۰۴/۱۲/۳۰", "does not exist", "birth_date")
    await person.send("۱۳۷۹/۱۲/۳۰")
    draft = await draft_of(person)
    assert (draft.birth_date, draft.step) == (dt.date(2001, 3, 20).isoformat(), "gender")


async def test_leap_day_1403_is_a_real_date(sandbox: Sandbox, platform: str) -> None:
    person = await _at(sandbox, platform, "birth_date")
    # A real day, refused only for the programme's age range (not "does not exist").
    await _refused(person, "۱۴۰۳/۱۲/۳۰", "age range", "birth_date")


async def test_media_where_text_is_expected(sandbox: Sandbox, platform: str) -> None:
    person = await _at(sandbox, platform, "full_name")
    before = await draft_of(person)
    for content in ({"sticker": True}, {"voice": True}, {"photo": b"\xff\xd8"}):
        await person.send(**content)  # type: ignore[arg-type]
        assert "type your answer as text" in (person.last().text or ""), person.screen()
    assert await draft_of(person) == before


async def test_media_where_a_button_is_expected(sandbox: Sandbox, platform: str) -> None:
    person = await _at(sandbox, platform, "gender")
    await person.send(sticker=True)
    assert "choose one of the buttons" in (person.last().text or "")
    assert "gender:female" in current_widgets(person)


async def test_bad_names(sandbox: Sandbox, platform: str) -> None:
    person = await _at(sandbox, platform, "full_name")
    await _refused(person, "   ", "first and last name", "full_name")
    await _refused(person, "م" * 5000, "too long", "full_name")
    assert (await draft_of(person)).phone == PHONE
