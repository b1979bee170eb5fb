"""Everything that is not a usable document gets a clear answer and changes nothing —
stickers, voice, video, text, albums, a renamed .exe, an empty file, 30 MB, the same file twice."""

from __future__ import annotations

from tests.flows.apply_steps import (
    EXE,
    answer_questions,
    applications_of,
    apply_sandbox,
    documents_of,
    jpeg,
    pdf,
    registered,
    send_album,
    send_file,
    send_photo,
    send_video,
    start_hamnava,
    text_of,
)
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import current_widgets, press_widget

__all__ = ["apply_sandbox"]

MB = 1024 * 1024


async def _stored(sandbox: Sandbox) -> list[tuple[str, str | None]]:
    app = (await applications_of(sandbox))[0]
    return [(d.kind, d.mime) for d in await documents_of(sandbox, app.id)]


def _answers_since(person: Person, count: int) -> list[str]:
    return [m.text or "" for m in person.messages()[count:] if m.outgoing]


async def test_unusable_uploads_get_clear_answers(apply_sandbox: Sandbox) -> None:
    person = await registered(apply_sandbox, "bale")
    await start_hamnava(person)
    await answer_questions(person)
    assert "doc:birth_certificate" in current_widgets(person), person.screen()

    # A file before choosing which paper it is: asked to choose first, nothing kept.
    await send_file(person, pdf("early"), "early.pdf")
    assert "First press the button of the document" in text_of(person), person.screen()

    await press_widget(person, "doc:birth_certificate")
    for send in (
        lambda: person.send(sticker=True),
        lambda: person.send(voice=True),
        lambda: send_video(person),
        lambda: person.send("here it is"),
    ):
        await send()
        assert "as a photo or as a file" in text_of(person), person.screen()
        assert "Stickers, voice messages, videos" in text_of(person)

    await send_file(person, EXE, "certificate.pdf", "application/pdf")
    assert "is not a real PDF/JPEG/PNG file" in text_of(person), person.screen()
    await send_file(person, b"", "empty.pdf")
    assert "This file is empty" in text_of(person), person.screen()
    await send_file(person, pdf("big") + b"0" * (30 * MB), "big.pdf")
    assert "too big" in text_of(person) and "5 MB" in text_of(person), person.screen()

    # Three photos sent together: one answer for the whole album, none of them kept.
    before = len(person.messages())
    await send_album(person, [jpeg("p1"), jpeg("p2"), jpeg("p3")])
    answers = _answers_since(person, before)
    assert len(answers) == 1 and "one at a time" in answers[0], answers
    assert await _stored(apply_sandbox) == []
    assert "upload_done" in current_widgets(person), "still on the upload screen"

    await send_file(person, pdf("birth"), "birth.pdf")
    assert "Received: Birth certificate" in text_of(person), person.screen()
    assert "doc:national_card" in current_widgets(person), "one page taken: back to the list"

    # Two pages allowed for the national card; the same photo twice is one page.
    await press_widget(person, "doc:national_card")
    await send_photo(person, jpeg("front"))
    assert "Received: National card image" in text_of(person), person.screen()
    await send_photo(person, jpeg("front"))
    assert "already sent this same file" in text_of(person), person.screen()
    await send_photo(person, jpeg("back"))
    assert "doc:national_card" in current_widgets(person), "second page: back to the list"
    assert sorted(await _stored(apply_sandbox)) == [
        ("birth_certificate", "application/pdf"),
        ("national_card", "image/jpeg"),
        ("national_card", "image/jpeg"),
    ]

    # A third page is one too many; removing one makes room again.
    await press_widget(person, "doc:national_card")
    await send_photo(person, jpeg("third"))
    assert "which is the most it takes" in text_of(person), person.screen()
    removable = [w for w in current_widgets(person) if w.startswith("rm:")]
    assert len(removable) == 2, person.screen()
    await press_widget(person, removable[0])
    assert "removed" in text_of(person), person.screen()
    await send_photo(person, jpeg("third"))
    assert "Received: National card image" in text_of(person), person.screen()
    assert len(await _stored(apply_sandbox)) == 3

    # Sending with papers missing: the review names them and nothing is submitted.
    await press_widget(person, "docs_done")
    await press_widget(person, "submit")
    screen = text_of(person)
    assert "not complete yet" in screen and "Passport-style photo" in screen, screen
    assert (await applications_of(apply_sandbox))[0].status == "draft"
