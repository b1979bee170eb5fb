"""/language (kept across restarts), /help, and text nobody is waiting for."""

from __future__ import annotations

from bot.serving.startup import COMMANDS
from tests.flows.harness import Sandbox
from tests.flows.steps import english, person_row, register


async def test_language_switch_persists_after_restart(sandbox: Sandbox, platform: str) -> None:
    # The messenger says Persian; the stored choice must win over it, also in a new process.
    person = sandbox.person(platform, language_code="fa")  # type: ignore[arg-type]
    await person.send("/language")
    await person.press("English")
    assert "Language changed to English" in (person.last().text or "")
    assert (await person_row(person)).locale == "en"

    await sandbox.restart()
    await person.send("/help")
    assert "Maharatyar helps you register" in (person.last().text or ""), person.screen()

    await person.send("/language")
    await person.press("فارسی")
    assert (await person_row(person)).locale == "fa"
    await sandbox.restart()
    await person.send("/help")
    assert "/profile" in (person.last().text or "")
    assert "Maharatyar helps you register" not in (person.last().text or ""), (
        "Persian was chosen but the help came in English"
    )


async def test_help_and_unknown_text(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await person.send("/help")
    assert "/start" in (person.last().text or "")
    await person.send("what is this?")
    assert "did not understand" in (person.last().text or ""), person.screen()
    assert any("Register" in b for b in person.reply_keyboard())

    await register(person)
    await person.send("hello")
    assert "did not understand" in (person.last().text or "")
    assert any("profile" in b for b in person.reply_keyboard()), person.reply_keyboard()


async def test_every_command_in_the_messenger_menu_answers(sandbox: Sandbox) -> None:
    # The command menu (setMyCommands on Telegram) lists only what works: each one gets a real
    # answer, never the "did not understand" fallback.
    person = english(sandbox, "telegram")
    await register(person)
    for command in COMMANDS:
        replies = await person.send(f"/{command}")
        assert replies, f"/{command} got no answer"
        assert all("did not understand" not in (m.text or "") for m in replies), (
            f"/{command}: {person.screen()}"
        )
        await person.send("/cancel")
