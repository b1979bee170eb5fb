"""the beneficiary's application: the whole Hamnava form with uploads and a double tap on
«send», eligibility reasons, resuming after a restart, discarding, editing on the review, and
applying from a course card."""

from __future__ import annotations

from services.applications import Status
from services.text import FSI, PDI
from tests.flows.apply_steps import (
    APPLY_LABEL,
    answer_questions,
    applications_of,
    apply_sandbox,
    apply_until_review,
    documents_of,
    registered,
    start_hamnava,
    text_of,
)
from tests.flows.course_steps import fill_course, open_card, open_courses, widgets_of
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import button_data, current_widgets, english, press_widget

__all__ = ["apply_sandbox"]


def _callback_answers(person: Person) -> list[str]:
    callbacks = person.api.bot(person.token).callbacks.values()
    return [str((c.answer or {}).get("text") or "") for c in callbacks]


async def test_full_hamnava_form_with_uploads_and_a_double_tap(
    apply_sandbox: Sandbox, platform: str
) -> None:
    person = await registered(apply_sandbox, platform)
    await apply_until_review(person)
    review = text_of(person)
    for value in ("Hamnava", "Women's garment tailor", "Unemployed", "➜ 4", "➜ Yes",
                  "tailoring shop", "✅ National card image", "✅ Passport-style photo"):
        assert value in review, (value, review)
    assert "⬜" not in review, review

    # Two fast taps on «send»: both are queued before the bot sees either.
    message_id, data = button_data(person, "submit")
    before = len(person.messages())
    person.api.user_presses(person.token, person.user, message_id, data)
    person.api.user_presses(person.token, person.user, message_id, data)
    await apply_sandbox.pump(person.platform)

    sent = [m.text or "" for m in person.messages()[before:] if "Tracking code" in (m.text or "")]
    assert len(sent) == 1, [m.text for m in person.messages()[before:]]
    apps = await applications_of(apply_sandbox)
    assert len(apps) == 1
    app = apps[0]
    assert app.status == Status.SUBMITTED and app.course_code == "A01"
    assert app.tracking_code and app.tracking_code.startswith("HMN-")
    assert f"{FSI}{app.tracking_code}{PDI}" in sent[0], sent[0]  # isolated in RTL text
    assert app.answers["employment"] == "unemployed" and app.answers["household_size"] == 4
    assert app.answers["needs_dormitory"] is True
    assert app.answers["goal"] == "I want to open a small tailoring shop."
    documents = await documents_of(apply_sandbox, app.id)
    assert sorted(d.kind for d in documents) == sorted([
        "national_card", "birth_certificate", "education_certificate", "relief_letter", "photo",
    ])
    assert {d.mime for d in documents} == {"image/jpeg", "image/png", "application/pdf"}
    assert all(d.state == "received" for d in documents)
    # The second tap got a polite word, not an error; the main menu is back under the chat.
    assert any("old screen" in a or "no longer" in a for a in _callback_answers(person))
    assert "📂 My file" in person.reply_keyboard()


async def test_not_registered_and_not_eligible(apply_sandbox: Sandbox) -> None:
    stranger = english(apply_sandbox, "telegram")
    await stranger.send("/start")
    await stranger.send(APPLY_LABEL)
    assert "register first" in text_of(stranger), stranger.screen()

    # Decile 8 and not a Relief Committee client: Hamnava is for deciles 1-4 or clients.
    person = await registered(apply_sandbox, "telegram", relief_client="no", decile="8")
    await person.send(APPLY_LABEL)
    await press_widget(person, "program:hamnava")
    reasons = text_of(person)
    for value in ("cannot apply to Hamnava", "at least one of these", "deciles 1 to 4",
                  "decile 8", "Relief Committee", "caseworker"):
        assert value in reasons, (value, reasons)
    assert await applications_of(apply_sandbox) == []
    assert {"profile", "programs", "menu"} <= set(current_widgets(person)), person.screen()

    await press_widget(person, "profile")  # the profile's review, where answers can change
    assert "confirm" in current_widgets(person), person.screen()


async def test_resume_after_restart_then_discard(apply_sandbox: Sandbox) -> None:
    person = await registered(apply_sandbox, "bale")
    await start_hamnava(person)
    await press_widget(person, "opt:homemaker")
    await person.send("3")
    assert "dormitory" in text_of(person), person.screen()

    await apply_sandbox.restart()  # a new process; days may pass
    await person.send("/start")
    await person.send(APPLY_LABEL)
    assert "not sent yet" in text_of(person), person.screen()
    app = (await applications_of(apply_sandbox))[0]
    await press_widget(person, f"cont:{app.id}")
    # Where it stopped: question 3, with the first answers kept.
    assert "Question 3 of 5" in text_of(person), person.screen()
    assert {"yes", "no"} <= set(current_widgets(person))
    assert (await applications_of(apply_sandbox))[0].answers == {
        "employment": "homemaker", "household_size": 3
    }

    await press_widget(person, "menu")
    await person.send(APPLY_LABEL)
    await press_widget(person, f"disc:{app.id}")
    assert "Discard" in text_of(person), person.screen()
    await press_widget(person, "discard_no")  # changed their mind: still there
    assert len(await applications_of(apply_sandbox)) == 1
    await press_widget(person, f"disc:{app.id}")
    await press_widget(person, "discard_yes")
    assert await applications_of(apply_sandbox) == []
    assert "discarded" in text_of(person) and "program:hamnava" in current_widgets(person)


async def test_edit_answer_and_course_on_review(apply_sandbox: Sandbox) -> None:
    person = await registered(apply_sandbox, "telegram")
    await apply_until_review(person)

    await press_widget(person, "edit:1")  # household size
    assert "Your answer now: 4" in text_of(person), person.screen()
    await person.send("a lot")
    assert "type a number" in text_of(person), person.screen()
    await person.send("25")
    assert "at most 20" in text_of(person), person.screen()
    assert "household" in text_of(person), "the question stays after a bad answer"
    await person.send("۶")  # Persian digits
    assert "submit" in current_widgets(person), "an edit goes back to the review"
    assert "➜ 6" in text_of(person)

    await press_widget(person, "edit_course")
    await press_widget(person, "course:A02")
    assert "submit" in current_widgets(person), person.screen()
    assert "Computer operator" in text_of(person)

    await press_widget(person, "edit:3")  # an optional date: a past one is refused
    await person.send("1390/1/1")
    assert "already passed" in text_of(person), person.screen()
    await press_widget(person, "skip")
    assert "submit" in current_widgets(person)

    await press_widget(person, "submit")
    app = (await applications_of(apply_sandbox))[0]
    assert app.status == Status.SUBMITTED and app.course_code == "A02"
    assert app.answers["household_size"] == 6 and "available_from" not in app.answers

    # One active application per program: applying again points to My file.
    await person.send(APPLY_LABEL)
    await press_widget(person, "program:hamnava")
    assert "already have an application" in text_of(person), person.screen()
    assert len(await applications_of(apply_sandbox)) == 1


async def test_apply_from_a_course_card(apply_sandbox: Sandbox) -> None:
    person = await registered(apply_sandbox, "telegram")
    await open_courses(person)
    await open_card(person, "A01")
    assert "apply_course" in widgets_of(person), person.screen()
    await press_widget(person, "apply_course")
    # Only the programs that pay for this course; the course is kept.
    assert "Women's garment tailor" in text_of(person), person.screen()
    assert [w for w in current_widgets(person) if w.startswith("program:")] == [
        "program:hamnava"
    ]
    await press_widget(person, "program:hamnava")
    assert "Question 1 of 5" in text_of(person), person.screen()
    await answer_questions(person)
    assert (await applications_of(apply_sandbox))[0].course_code == "A01"

    # Someone not registered may browse, but is asked to register before applying.
    stranger = english(apply_sandbox, "telegram")
    await open_courses(stranger)
    await open_card(stranger, "A01")
    await press_widget(stranger, "apply_course")
    assert "register first" in text_of(stranger), stranger.screen()

    # A course that filled up meanwhile offers no button, and an old button changes nothing.
    other = await registered(apply_sandbox, "telegram", national_code="0499370899")
    await open_courses(other)
    await open_card(other, "A02")
    await fill_course(apply_sandbox, "A02")
    await press_widget(other, "apply_course")
    assert "does not count" in text_of(other), other.screen()
    await press_widget(other, "program:hamnava")
    assert "course:A02" not in current_widgets(other), "a full course is never offered"
    assert (await applications_of(apply_sandbox))[-1].course_code is None
