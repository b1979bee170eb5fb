"""Files that start with the right magic bytes but are not what they claim get a clear answer
through the bot and are not kept; a photo sent as a file reaches staff without its GPS data."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.documents.test_upload_parsing import (
    encrypted_pdf,
    jpeg_with_gps,
    pdf_with_javascript,
    png_declaring,
    zip_archive,
)
from tests.flows.apply_steps import (
    answer_questions,
    applications_of,
    apply_sandbox,
    documents_of,
    pdf,
    registered,
    send_file,
    start_hamnava,
    text_of,
)
from tests.flows.harness import Sandbox
from tests.flows.steps import press_widget

__all__ = ["apply_sandbox"]


@pytest.mark.parametrize("platform", ["telegram", "bale"])
async def test_hostile_files_are_refused_with_a_reason(
    apply_sandbox: Sandbox, platform: str
) -> None:
    person = await registered(apply_sandbox, platform)
    await start_hamnava(person)
    await answer_questions(person)
    await press_widget(person, "doc:birth_certificate")
    for name, data, answer in (
        ("cut.pdf", b"%PDF-1.", "seems damaged or incomplete"),
        ("both.pdf", pdf("polyglot") + zip_archive(), "carries more than a document"),
        ("script.pdf", pdf_with_javascript(), "carries more than a document"),
        ("locked.pdf", encrypted_pdf(), "locked with a password"),
        ("huge.png", png_declaring(200_000, 200_000), "too large to open safely"),
    ):
        await send_file(person, data, name)
        assert answer in text_of(person), (name, person.screen())
    app = (await applications_of(apply_sandbox))[0]
    assert await documents_of(apply_sandbox, app.id) == []


async def test_photo_sent_as_a_file_is_stored_without_exif(apply_sandbox: Sandbox) -> None:
    person = await registered(apply_sandbox, "telegram")
    await start_hamnava(person)
    await answer_questions(person)
    await press_widget(person, "doc:photo")
    await send_file(person, jpeg_with_gps(), "me.jpg", "image/jpeg")
    assert "Received" in text_of(person), person.screen()
    app = (await applications_of(apply_sandbox))[0]
    [document] = await documents_of(apply_sandbox, app.id)
    assert document.store_key is not None
    stored = await apply_sandbox.app.services.document_store.get(document.store_key)
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert image.size == (60, 80)
