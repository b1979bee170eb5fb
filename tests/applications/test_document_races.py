"""Races around stored files, against the real databases: identical uploads at the same
instant, and removing a shared file while the same bytes are uploaded again. No document may
end up pointing at a deleted file."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications import ApplicationService, DocumentOutcome
from services.programs import ProgramRegistry
from storage.documents import LocalDocumentStore
from storage.models import ApplicationDocument
from tests.applications.conftest import ready_draft
from tests.applications.helpers import TODAY, add_course, add_person, pdf

Factory = async_sessionmaker[AsyncSession]


class StoreThatDawdles(LocalDocumentStore):
    """The real store, but an upload lingers after writing its file, announcing it: the
    moment a removal elsewhere could slip in between the write and the upload's commit."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.written = asyncio.Event()

    async def put(self, data: bytes) -> str:
        key = await super().put(data)
        self.written.set()
        await asyncio.sleep(0.3)
        return key


async def _rows(session_factory: Factory) -> list[ApplicationDocument]:
    async with session_factory() as session:
        return list(await session.scalars(select(ApplicationDocument)))


async def test_identical_uploads_at_once_keep_one_document(
    service: ApplicationService, session_factory: Factory, store: LocalDocumentStore
) -> None:
    person = await add_person(session_factory)
    await add_course(session_factory, "H100")
    started = await service.start_or_resume(person, "hamnava", "H100", today=TODAY)
    assert started.view is not None
    app = started.view.id
    outcomes = await asyncio.gather(
        service.add_document(app, person, "birth_certificate", pdf(7)),
        service.add_document(app, person, "birth_certificate", pdf(7)),
    )
    assert sorted(outcomes) == [DocumentOutcome.ACCEPTED, DocumentOutcome.DUPLICATE]
    [row] = [r for r in await _rows(session_factory) if r.kind == "birth_certificate"]
    assert row.store_key is not None and await store.exists(row.store_key)


async def test_removing_a_shared_file_while_it_is_uploaded_again_keeps_the_file(
    session_factory: Factory, registry: ProgramRegistry, tmp_path: Path
) -> None:
    store = StoreThatDawdles(tmp_path / "documents")
    service = ApplicationService(session_factory, registry, store)
    first = await ready_draft(service, session_factory)
    [old] = [r for r in await _rows(session_factory) if r.kind == "birth_certificate"]
    assert old.store_key is not None
    other = await add_person(session_factory)
    started = await service.start_or_resume(other, "hamnava", "H100", today=TODAY)
    assert started.view is not None
    store.written.clear()

    async def remove_once_the_upload_has_written() -> bool:
        await store.written.wait()
        return await service.remove_document(first.app_id, first.person_id, old.id)

    uploaded, removed = await asyncio.gather(
        service.add_document(started.view.id, other, "birth_certificate", pdf(1)),
        remove_once_the_upload_has_written(),
    )
    assert (uploaded, removed) == (DocumentOutcome.ACCEPTED, True)
    [new] = [r for r in await _rows(session_factory) if r.kind == "birth_certificate"]
    assert new.application_id == started.view.id and new.store_key == old.store_key
    assert await store.get(old.store_key) == pdf(1)  # the new document's file is there

    # And the file goes once nobody uses it.
    assert await service.remove_document(started.view.id, other, new.id)
    assert not await store.exists(old.store_key)
