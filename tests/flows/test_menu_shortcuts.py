"""Main-menu taps answered ahead of the router tree (bot.middlewares.menu_shortcuts) answer
exactly as the tree would: inside an open form, for staff, in Persian, and in the metrics."""

from __future__ import annotations

from tests.flows.harness import Sandbox
from tests.flows.staff_steps import add_caseworker, admin, staff_sandbox, staff_user
from tests.flows.steps import english, register
from tests.flows.test_metrics import metric_values

__all__ = ["staff_sandbox"]

HELP = "❓ Help"


async def test_help_inside_a_form_leaves_the_form_where_it_was(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await register(person, until="full_name")
    assert "name" in (person.last().text or ""), person.screen()

    await person.send(HELP)
    assert "Maharatyar helps you register" in (person.last().text or ""), person.screen()
    # The form still waits for the name: the next answer is taken as one.
    await person.send("Maryam Ahmadi")
    assert "national code" in (person.last().text or ""), person.screen()


async def test_help_tap_shows_staff_commands_to_staff_only(
    staff_sandbox: Sandbox, platform: str
) -> None:
    boss = admin(staff_sandbox, platform)
    worker = staff_user(staff_sandbox, platform)
    stranger = staff_user(staff_sandbox, platform)
    assert "is now a caseworker" in await add_caseworker(boss, worker)

    await stranger.send(HELP)
    assert "/start" in stranger.last_text() and "/queue" not in stranger.last_text()
    await worker.send(HELP)
    assert "/queue" in worker.last_text() and "/addcaseworker" not in worker.last_text()
    await boss.send(HELP)
    assert "/addcaseworker" in boss.last_text()


async def test_persian_help_label_and_an_old_register_button(
    sandbox: Sandbox, platform: str
) -> None:
    person = sandbox.person(platform, language_code="fa")  # type: ignore[arg-type]
    await person.send("/help")
    labels = person.reply_keyboard()
    help_label = next(label for label in labels if label.startswith("❓"))
    assert help_label != HELP, labels
    await person.send(help_label)
    assert "/profile" in (person.last().text or "")
    assert "Maharatyar helps you" not in (person.last().text or "")

    # A registered person pressing «Register» on a keyboard drawn before registering gets the
    # main menu, not the form again.
    reader = english(sandbox, platform)
    await register(reader)
    await reader.send("📝 Register")
    assert "Main menu" in (reader.last().text or ""), reader.screen()
    assert any("My file" in label for label in reader.reply_keyboard())


async def test_a_help_tap_is_counted_under_its_handler(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await person.send("/start")
    label = (("handler", "bot.handlers.common.on_help"), ("messenger", platform))
    before = (await metric_values(sandbox, "maharatyar_updates_total")).get(label, 0.0)
    await person.send(HELP)
    after = await metric_values(sandbox, "maharatyar_updates_total")
    assert after.get(label, 0.0) == before + 1, after
