"""My file dead ends: an unfinished application can be discarded from there too."""

from __future__ import annotations

from tests.flows.apply_steps import MY_FILE_LABEL, applications_of, apply_sandbox, text_of
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import applications, submitted_application
from tests.flows.steps import current_widgets, press_widget

__all__ = ["apply_sandbox"]


async def test_draft_is_discarded_from_my_file_after_confirming(
    apply_sandbox: Sandbox, platform: str
) -> None:
    sandbox = apply_sandbox
    mine = await submitted_application(sandbox, platform)
    draft = await applications(sandbox).start_or_resume(mine.person_id, "karafan")
    assert draft.view is not None
    person = mine.person

    await person.send(MY_FILE_LABEL)
    await press_widget(person, f"app:{draft.view.id}")
    assert "discard" in current_widgets(person), person.screen()
    await press_widget(person, "discard")
    assert "Discard your unfinished application to Karafan" in text_of(person), person.screen()

    # «No» keeps it.
    await press_widget(person, "discard_no")
    assert draft.view.id in [a.id for a in await applications_of(sandbox)]

    await press_widget(person, "discard")
    await press_widget(person, "discard_yes")
    assert "was discarded" in text_of(person), person.screen()
    left = [a.id for a in await applications_of(sandbox)]
    assert draft.view.id not in left and mine.app_id in left
    # A sent application offers no discarding.
    await press_widget(person, f"app:{mine.app_id}")
    assert "discard" not in current_widgets(person), person.screen()
