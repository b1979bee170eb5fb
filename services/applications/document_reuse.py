"""ApplicationService, reusing a document: a file a caseworker already accepted for one of the
person's applications can be added to another with one tap. Never silently: the screen names
the file (kind, when it was received, for which application) and the person confirms. The new
row points at the same stored file; nothing is uploaded again, and the new application's
caseworker still checks it (it starts as «received»)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.beneficiary_documents import (
    BeneficiaryDocumentMethods,
    _add_row,
    commit_new_document,
)
from services.applications.results import DocumentOutcome, DocumentState
from services.applications.views import HAVE_STATES
from storage.models import ApplicationDocument
from storage.repositories.applications import ApplicationRepository


@dataclass(frozen=True, slots=True)
class ReusableDocument:
    id: int
    kind: str
    received_at: dt.datetime
    program_id: str
    tracking_code: str | None


class DocumentReuseMethods(BeneficiaryDocumentMethods):
    async def reusable_documents(
        self, app_id: int, person_id: int, kind: str
    ) -> list[ReusableDocument]:
        """Accepted files of `kind` in the person's other applications that this one may take
        now and does not hold yet; newest first, one per stored file."""
        async with self._sessions() as session:
            target = await self._upload_target(session, app_id, person_id, kind)
            if isinstance(target, DocumentOutcome):
                return []
            view, requirement = target
            candidates = await self._accepted_elsewhere(session, view.id, person_id, kind)
            mine = await ApplicationRepository(session).documents([view.id])
        held = {r.store_key for r in mine if r.state in HAVE_STATES and r.store_key}
        found: list[ReusableDocument] = []
        seen: set[str] = set()
        for document, program_id, tracking_code in candidates:
            key = document.store_key
            if not key or key in held or key in seen or document.mime not in requirement.accepted:
                continue
            if (document.size or 0) > requirement.max_bytes:
                continue
            seen.add(key)
            found.append(ReusableDocument(
                document.id, document.kind, document.created_at, program_id, tracking_code
            ))
        return found

    async def reuse_document(
        self, app_id: int, person_id: int, kind: str, source_id: int
    ) -> DocumentOutcome:
        """Add the accepted file `source_id` (the person's own, of `kind`, see
        reusable_documents) to the application; the outcomes of an upload."""
        reusable = {d.id for d in await self.reusable_documents(app_id, person_id, kind)}
        if source_id not in reusable:
            return DocumentOutcome.NOT_ALLOWED_NOW
        async with self._sessions() as session:
            target = await self._upload_target(session, app_id, person_id, kind)
            if isinstance(target, DocumentOutcome):
                return target
            view, requirement = target
            source = await ApplicationRepository(session).document(source_id)
            if source is None or source.state != DocumentState.ACCEPTED or not source.store_key:
                return DocumentOutcome.NOT_ALLOWED_NOW
            outcome = await _add_row(
                session, view, requirement, source.store_key, source.mime, source.size or 0
            )
            if outcome is DocumentOutcome.ACCEPTED:
                return await commit_new_document(session)
            return outcome

    async def _accepted_elsewhere(
        self, session: AsyncSession, app_id: int, person_id: int, kind: str
    ) -> list[tuple[ApplicationDocument, str, str | None]]:
        repo = ApplicationRepository(session)
        others = [a for a in await repo.of_person(person_id) if a.id != app_id]
        programs = {a.id: (a.program, a.tracking_code) for a in others}
        rows = await repo.documents(list(programs), states=(DocumentState.ACCEPTED.value,))
        rows = [r for r in rows if r.kind == kind]
        rows.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return [(r, *programs[r.application_id]) for r in rows]
