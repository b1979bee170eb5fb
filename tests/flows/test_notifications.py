"""🔔 Notifications: the screen from the menu and /notifications, the general-news switch kept in
the database, and «🔕 Stop news» under a broadcast: in the middle of a form (which goes on), twice,
from a message the messenger no longer shows, forged, with no person behind it, and its undo."""

from __future__ import annotations

from aiogram.utils.i18n import I18n

from bot.i18n import build_i18n
from bot.notifications.callbacks import StopNews, stop_news_keyboard
from bot.sandbox.user_side import inline_buttons
from services.text import LRI, PDI
from storage.repositories.persons import PersonRepository
from tests.flows.bidi import rtl_problems
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import ANSWERS, answer, draft_of, english, person_row, press_widget, register

SCREEN = "🔔 Notifications"


def _toast(person: Person) -> str:
    callbacks = list(person.api.bot(person.token).callbacks.values())
    assert callbacks, "no button was pressed"
    return str((callbacks[-1].answer or {}).get("text") or "")


async def _news_off(person: Person) -> bool:
    return (await person_row(person)).news_opt_out


async def _broadcast(sandbox: Sandbox, person: Person, locale: str = "en") -> int:
    """A message with the stop button, as a broadcast carries it; returns its message id."""
    i18n: I18n = build_i18n("fa")
    with i18n.context(), i18n.use_locale(locale):
        keyboard = stop_news_keyboard(broadcast_id=7)
    sent = await sandbox.app.bots[person.platform].send_message(
        chat_id=person.user.id, text="📣 New courses in Tehran", reply_markup=keyboard
    )
    return sent.message_id


async def _press_stop(person: Person, message_id: int) -> None:
    await person.press_data(message_id, StopNews(broadcast_id=7).pack())


async def test_screen_from_the_menu_and_the_command_and_the_switch_is_kept(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await register(person)
    assert SCREEN in person.reply_keyboard(), person.reply_keyboard()

    await person.send(SCREEN)
    screen = person.last().text or ""
    assert "always comes; it cannot be turned off" in screen, screen
    assert "General news (new courses, programs, announcements): ✅ on" in screen, screen
    assert not await _news_off(person)

    screen_id = person.last().message_id
    await person.press("Turn off general news")
    assert await _news_off(person), "the switch was not saved"
    assert "Done: general news is now off" in _toast(person)
    redrawn = person.last()
    assert "announcements): 🔕 off" in (redrawn.text or ""), person.screen()
    assert "Done: general news is now off." in (redrawn.text or "")
    # The general-news button, then the job-lead switch and its two choices (asked once), then
    # the way to the person's waitlists.
    assert [text for text, _ in inline_buttons(redrawn)] == [
        "🔔 Turn on general news", "🔕 Turn off job leads", "🗓 Job leads once a day",
        "🚌 Yes, I can move", "🏠 No, only my province", "🔔 My waitlists",
    ]
    # Telegram edits the screen in place; Bale sends it anew and the old one loses its button.
    if platform == "telegram":
        assert redrawn.message_id == screen_id
    else:
        assert redrawn.message_id != screen_id
        old = next(m for m in person.messages() if m.message_id == screen_id)
        assert inline_buttons(old) == []

    # A new process reads the switch from the database.
    await sandbox.restart()
    await person.send("/notifications")
    assert "announcements): 🔕 off" in (person.last().text or ""), person.screen()
    await person.press("Turn on general news")
    assert not await _news_off(person)
    assert "announcements): ✅ on" in (person.last().text or ""), person.screen()


async def test_an_old_screen_button_sets_rather_than_flips(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await person.send("/notifications")  # not registered: the person row is there all the same
    old_id, off_data = next(
        (m.message_id, data) for m in reversed(person.messages())
        for text, data in inline_buttons(m) if "Turn off" in text
    )
    await person.press("Turn off general news")
    assert await _news_off(person)
    await person.press_data(old_id, off_data, forge=True)  # the same "off" press, again
    assert await _news_off(person), "a second «off» turned news back on"
    assert "Nothing changed: general news was already off" in _toast(person)


async def test_stop_news_in_the_middle_of_registration_keeps_the_form(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await register(person, until="city")
    before = await draft_of(person)
    assert before.step == "city"

    await _press_stop(person, await _broadcast(sandbox, person))
    assert await _news_off(person)
    assert "News stopped" in _toast(person)
    said = person.last().text or ""
    assert "You will get no more general news." in said, said
    assert "News about your own applications still comes." in said
    assert "«🔔 Notifications» in the menu" in said and "/notifications" in said, said
    assert await draft_of(person) == before, "the stop button changed the open form"

    # Pressed again (twice in a row): it only says so.
    await _press_stop(person, await _broadcast(sandbox, person))
    assert "already off" in _toast(person)
    assert "General news is already off." in (person.last().text or ""), person.screen()
    assert await _news_off(person)

    # The form goes on from the question it was at, to the end.
    steps = list(ANSWERS)
    for step in steps[steps.index("city"):]:
        await answer(person, step, ANSWERS[step])
    await press_widget(person, "confirm")
    row = await person_row(person)
    assert row.registered_at is not None and row.city == "Karaj", person.screen()
    assert row.news_opt_out, "registering turned news back on"


async def test_undo_and_a_message_the_messenger_no_longer_shows(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await person.send("/start")
    # No message under the press (deleted, or too old for the messenger to show it).
    await person.press_data(987654, StopNews().pack(), forge=True)
    assert await _news_off(person)
    assert "You will get no more general news." in (person.last().text or ""), person.screen()

    await person.press("Turn it back on")
    assert not await _news_off(person)
    assert "Done: general news is now on" in _toast(person)
    assert "Done: general news is now on." in (person.last().text or ""), person.screen()
    assert "announcements): ✅ on" in (person.last().text or "")
    await person.press("Turn off general news")  # the screen it became works too
    assert await _news_off(person)


async def test_forged_buttons_change_nothing(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await register(person, until="city")
    before = await draft_of(person)
    message_id = person.last().message_id
    for data in ("stopnews:abc", "stopnews:1:2", "ntf:news:maybe", "ntf:jobs:0", "ntf:news",
                 "ntf:", "stopnews"):
        await person.press_data(message_id, data, forge=True)
        assert "no longer works" in _toast(person), (data, _toast(person))
        assert not await _news_off(person), data
    assert await draft_of(person) == before
    await person.send("Karaj")  # the form still takes the answer it waited for
    assert (await draft_of(person)).step != "city", person.screen()


async def test_no_person_row_gets_a_polite_answer(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await person.send("/notifications")
    message_id = await _broadcast(sandbox, person)
    row = await person_row(person)
    async with sandbox.app.session_factory() as session:
        await PersonRepository(session).delete(row)
        await session.commit()

    await _press_stop(person, message_id)  # the account is still in the service's cache
    assert "could not find your details" in _toast(person), _toast(person)
    await person.press("Turn off general news")
    assert "could not find your details" in _toast(person), _toast(person)
    await person.send("/notifications")
    assert "could not find your details" in (person.last().text or ""), person.screen()


async def test_a_persian_reader_sees_right_to_left_lines(sandbox: Sandbox, platform: str) -> None:
    person = sandbox.person(platform, language_code="fa")  # type: ignore[arg-type]
    await register(person)
    assert "🔔 اعلان‌ها" in person.reply_keyboard(), person.reply_keyboard()
    await person.send("🔔 اعلان‌ها")
    assert "خبرهای عمومی" in (person.last().text or ""), person.screen()
    await person.press("خاموش کردن")
    message_id = await _broadcast(sandbox, person, "fa")
    assert inline_buttons(person.last())[0][0] == "🔕 دیگر خبر نفرست"
    await _press_stop(person, message_id)
    stop = person.last().text or ""
    assert f"{LRI}/notifications{PDI}" in stop, stop
    await person.press("روشن کردن دوباره")
    assert not await _news_off(person)
    texts = sandbox.sent_texts(platform, person.user.id)  # type: ignore[arg-type]
    assert rtl_problems(texts) == []
