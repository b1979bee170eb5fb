"""Bale may answer any edit with a stub, not the edited message; the update goes on."""

from __future__ import annotations

from bot.sandbox.user_side import inline_buttons
from tests.flows.harness import Sandbox
from tests.flows.steps import draft_of, english, press_widget, register


async def test_button_presses_go_on_when_edits_answer_stubs(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await register(person, until="education")
    edits_before = [m for m, _ in sandbox.api.calls(person.token) if m.startswith("edit")]
    await press_widget(person, "education:diploma")
    assert (await draft_of(person)).step == "relief_client"
    edits = [m for m, _ in sandbox.api.calls(person.token) if m.startswith("edit")]
    assert len(edits) > len(edits_before)  # the press did edit (a stub answer on Bale)
    # Only the newest screen keeps buttons: older ones were edited, whatever the answer was.
    with_buttons = [m for m in person.messages() if m.outgoing and inline_buttons(m)]
    assert with_buttons == [person.last()], [m.text for m in with_buttons]
