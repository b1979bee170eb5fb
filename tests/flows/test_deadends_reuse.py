"""A document accepted for one program is reused for another with one tap, never silently: the
person sees which file it is (kind, date received, the application) and confirms; the new row
points at the same stored file."""

from __future__ import annotations

from sqlalchemy import select

from services.jalali import format_jalali, today_in
from services.staff import StaffMember
from storage.models import ApplicationDocument
from tests.flows.apply_steps import apply_sandbox, text_of
from tests.flows.course_steps import FixtureCourse, seed_courses
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import applications, submitted_application
from tests.flows.steps import current_widgets, press_widget

__all__ = ["apply_sandbox"]

ADMIN = StaffMember(platform="telegram", user_id=1, is_admin=True, is_caseworker=False,
                    provinces=None)
KARAFAN_COURSE = FixtureCourse("K01", "جوشکار", "متالورژی و جوشکاری", "تهران", "تهران", 20,
                               karafan=True)


async def _rows(sandbox: Sandbox, app_id: int) -> list[ApplicationDocument]:
    async with sandbox.app.session_factory() as session:
        return list(await session.scalars(
            select(ApplicationDocument).where(ApplicationDocument.application_id == app_id)
        ))


async def test_accepted_document_is_reused_after_confirming(
    apply_sandbox: Sandbox, platform: str
) -> None:
    sandbox = apply_sandbox
    await seed_courses(sandbox, [KARAFAN_COURSE])
    sub = await submitted_application(sandbox, platform)
    service = applications(sandbox)
    await service.take(sub.app_id, ADMIN)
    view = await service.get_for_person(sub.app_id, sub.person_id)
    assert view is not None
    card = view.documents_of("national_card")[0]
    await service.accept_document(card.id, ADMIN)
    # The photo was received but never accepted: it is not offered.
    draft = await service.start_or_resume(sub.person_id, "karafan", "K01")
    assert draft.view is not None
    karafan_id = draft.view.id

    # The questions answered already (they are not the point here): «continue» opens the
    # checklist.
    for question, raw in (("path", "job"), ("has_workplace", "no"),
                          ("needs_equipment", "no"), ("experience_years", "0")):
        assert await service.set_answer(karafan_id, sub.person_id, question, raw) is None
    person = sub.person
    await person.send("📝 Apply")
    await press_widget(person, f"cont:{karafan_id}")
    await press_widget(person, "skip")  # the optional business idea
    assert "doc:national_card" in current_widgets(person), person.screen()

    await press_widget(person, "doc:national_card")
    reuse = [w for w in current_widgets(person) if w.startswith("reuse:")]
    assert reuse == [f"reuse:{card.id}"], person.screen()
    await press_widget(person, reuse[0])
    screen = text_of(person)
    received = format_jalali(today_in(), "en")
    for part in ("National card image", received, sub.tracking_code, "accepted"):
        assert part in screen, (part, screen)
    assert not [r for r in await _rows(sandbox, karafan_id)], "nothing before «yes»"

    await press_widget(person, "reuse_no")
    assert not await _rows(sandbox, karafan_id)
    await press_widget(person, f"reuse:{card.id}")
    await press_widget(person, "reuse_yes")
    assert "Received: National card image" in text_of(person), person.screen()

    [copy] = await _rows(sandbox, karafan_id)
    [original] = [r for r in await _rows(sandbox, sub.app_id) if r.id == card.id]
    assert (copy.kind, copy.state) == ("national_card", "received")
    assert copy.store_key == original.store_key and copy.id != original.id
    # Offered once: the same file is in this application now.
    assert not [w for w in current_widgets(person) if w.startswith("reuse:")], person.screen()
    # Not offered for a kind with no accepted file.
    await press_widget(person, "upload_done")
    await press_widget(person, "doc:photo")
    assert not [w for w in current_widgets(person) if w.startswith("reuse:")], person.screen()


async def test_someone_elses_document_cannot_be_reused(apply_sandbox: Sandbox) -> None:
    sandbox = apply_sandbox
    theirs = await submitted_application(sandbox, "telegram")
    service = applications(sandbox)
    await service.take(theirs.app_id, ADMIN)
    view = await service.get_for_person(theirs.app_id, theirs.person_id)
    assert view is not None
    card = view.documents_of("national_card")[0]
    await service.accept_document(card.id, ADMIN)
    mine = await submitted_application(sandbox, "telegram")
    draft = await service.start_or_resume(mine.person_id, "karafan")
    assert draft.view is not None
    outcome = await service.reuse_document(draft.view.id, mine.person_id, "national_card", card.id)
    assert outcome.value == "not_allowed_now"
    assert not await _rows(sandbox, draft.view.id)
