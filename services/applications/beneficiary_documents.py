"""ApplicationService, the beneficiary's documents: upload (checked by content, size and
count), remove while a draft, show one back, and which documents are still missing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import NamedTuple

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.base import ServiceBase, logger
from services.applications.results import ApplicationView, DocumentOutcome, DocumentState
from services.applications.status import Status
from services.applications.views import (
    HAVE_STATES,
    kinds_open_for_upload,
    missing_answers,
    missing_documents,
    required_documents,
    rows_of_kind,
)
from services.documents import UploadProblem, inspect_upload
from services.programs import DocumentRequirement, Question
from services.webhooks import emitters as webhook_events
from storage.documents import document_key_of
from storage.models import ApplicationDocument, utcnow
from storage.repositories.applications import ApplicationRepository

_UPLOAD_PROBLEMS = {
    UploadProblem.EMPTY: DocumentOutcome.EMPTY,
    UploadProblem.TOO_BIG: DocumentOutcome.TOO_BIG,
    UploadProblem.WRONG_TYPE: DocumentOutcome.WRONG_TYPE,
    UploadProblem.DAMAGED: DocumentOutcome.DAMAGED,
    UploadProblem.IMAGE_TOO_LARGE: DocumentOutcome.IMAGE_TOO_LARGE,
    UploadProblem.PROTECTED: DocumentOutcome.PROTECTED,
    UploadProblem.UNSAFE: DocumentOutcome.UNSAFE,
}


class OpenedDocument(NamedTuple):
    data: bytes
    mime: str
    kind: str


class BeneficiaryDocumentMethods(ServiceBase):
    # --- documents ----------------------------------------------------------------------------

    async def add_document(
        self, app_id: int, person_id: int, kind: str, data: bytes
    ) -> DocumentOutcome:
        """Check (type sniffed from the bytes, size, count) and store one uploaded file.

        Uploads are taken while a draft (any kind of the program that applies to the person)
        and while "needs_documents" (only kinds staff requested or rejected). Uploading a
        requested/rejected kind replaces the old rows (kept as "superseded" history). The same
        content again for the same kind -> DUPLICATE, nothing new. Someone else's
        application -> NOT_FOUND (logged)."""
        async with self._sessions() as session:
            target = await self._upload_target(session, app_id, person_id, kind)
            if isinstance(target, DocumentOutcome):
                return target
            view, requirement = target
            # Parsing and re-encoding take CPU time: off the event loop.
            checked = await asyncio.to_thread(
                inspect_upload, data, accepted=requirement.accepted,
                max_bytes=requirement.max_bytes,
            )
            if isinstance(checked, UploadProblem):
                logger.info("upload refused: %s", checked.value)
                return _UPLOAD_PROBLEMS[checked]
            stored = checked.data
            outcome = await _add_row(
                session, view, requirement, document_key_of(stored), checked.mime, len(stored),
                before_write=lambda: self._store.put(stored),  # idempotent; unused is harmless
            )
            if outcome is DocumentOutcome.ACCEPTED:
                return await commit_new_document(session)
            return outcome

    async def _upload_target(
        self, session: AsyncSession, app_id: int, person_id: int, kind: str
    ) -> tuple[ApplicationView, DocumentRequirement] | DocumentOutcome:
        """The application and requirement a file of `kind` may be added to now, or why not."""
        app = await self._own(session, app_id, person_id)
        if app is None:
            return DocumentOutcome.NOT_FOUND
        requirement = self._program(app).document(kind)
        if requirement is None:
            return DocumentOutcome.UNKNOWN_KIND
        view = await self._view(session, app)
        if not requirement.applies_to(view.relief_client):
            return DocumentOutcome.NOT_ALLOWED_NOW
        if view.status is Status.NEEDS_DOCUMENTS:
            if kind not in kinds_open_for_upload(view):
                return DocumentOutcome.NOT_ALLOWED_NOW
        elif view.status is not Status.DRAFT:
            return DocumentOutcome.NOT_ALLOWED_NOW
        return view, requirement

    async def remove_document(self, app_id: int, person_id: int, document_id: int) -> bool:
        """Remove one received document of a draft (False if not possible / not theirs)."""
        async with self._sessions() as session:
            app = await self._own(session, app_id, person_id)
            if app is None or app.status != Status.DRAFT:
                return False
            repo = ApplicationRepository(session)
            document = await repo.document(document_id)
            if document is None or document.application_id != app.id:
                if document is not None:
                    logger.warning(
                        "person %s named document %s of another application", person_id,
                        document_id,
                    )
                return False
            if not await repo.move(app.id, [Status.DRAFT], Status.DRAFT):
                return False
            await repo.delete_document(document.id)
            await session.commit()
            await self._forget_file(document.store_key)
            return True

    def required_documents(self, view: ApplicationView) -> list[DocumentRequirement]:
        """The program's documents that apply to this person (a Relief letter only for
        clients), in file order, mandatory or not."""
        program = self.registry.get(view.program_id)
        return [] if program is None else required_documents(program, view.relief_client)

    def missing_documents(self, view: ApplicationView) -> list[DocumentRequirement]:
        """Mandatory documents with nothing received or accepted yet, plus kinds staff asked
        for (requested) that have no new upload yet."""
        program = self.registry.get(view.program_id)
        return [] if program is None else missing_documents(program, view)

    def missing_answers(self, view: ApplicationView) -> list[Question]:
        """Required questions without an answer, in file order."""
        program = self.registry.get(view.program_id)
        return [] if program is None else missing_answers(program, view.answers)

    async def open_own_document(self, document_id: int, person_id: int) -> OpenedDocument | None:
        """A person's own uploaded file (to show it back); None if not theirs."""
        async with self._sessions() as session:
            document = await ApplicationRepository(session).document(document_id)
            if document is None or document.store_key is None:
                return None
            app = await self._own(session, document.application_id, person_id)
            if app is None:
                return None
        data = await self._store.get(document.store_key)
        return OpenedDocument(data, document.mime or "application/octet-stream", document.kind)


async def _add_row(
    session: AsyncSession,
    view: ApplicationView,
    requirement: DocumentRequirement,
    key: str,
    mime: str | None,
    size: int,
    *,
    before_write: Callable[[], Awaitable[object]] | None = None,
) -> DocumentOutcome:
    """Record a file (already checked) as a received document of `view`'s application, for an
    upload and for a reused file alike; the caller commits on ACCEPTED. The same content again
    for the kind -> DUPLICATE; the kind full -> TOO_MANY; a requested or rejected row of the
    kind is superseded by it."""
    kind = requirement.kind
    repo = ApplicationRepository(session)
    rows = await repo.documents([view.id])
    current = rows_of_kind(rows, kind, [*HAVE_STATES, DocumentState.REJECTED])
    if any(row.store_key == key for row in current):
        return DocumentOutcome.DUPLICATE
    if len(rows_of_kind(rows, kind, HAVE_STATES)) >= requirement.max_count:
        return DocumentOutcome.TOO_MANY
    replaced = rows_of_kind(rows, kind, [DocumentState.REQUESTED, DocumentState.REJECTED])
    # The status check again, as a write: nothing is added to an application that was
    # submitted/withdrawn meanwhile (and on SQLite this takes the write lock).
    if not await repo.move(view.id, [view.status], view.status):
        return DocumentOutcome.NOT_ALLOWED_NOW
    # Claimed before the file is written (or reused), so a removal of the same bytes cannot
    # delete the file under this new document (see ServiceBase._forget_file).
    await repo.claim_file(key)
    if before_write is not None:
        await before_write()
    await repo.set_document_state([r.id for r in replaced], DocumentState.SUPERSEDED.value)
    document = ApplicationDocument(
        application_id=view.id,
        kind=kind,
        store_key=key,
        mime=mime,
        size=size,
        state=DocumentState.RECEIVED.value,
        created_at=utcnow(),
    )
    repo.add_document(document)
    await webhook_events.document_uploaded(
        session, document, tracking_code=view.tracking_code,
        application_status=view.status.value, province=view.province, person_id=view.person_id,
    )
    return DocumentOutcome.ACCEPTED


async def commit_new_document(session: AsyncSession) -> DocumentOutcome:
    """Commit a row `_add_row` accepted. The same file for the same kind arriving twice at once
    trips the unique index on current documents: the other one was kept."""
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return DocumentOutcome.DUPLICATE
    return DocumentOutcome.ACCEPTED
