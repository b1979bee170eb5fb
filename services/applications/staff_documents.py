"""ApplicationService, the staff's work on documents: open one (audited), accept or reject one,
accept every file waiting for a look in one action (one message to the beneficiary, not one per
file), and ask for documents (keeping or replacing what is there)."""

from __future__ import annotations

from collections.abc import Sequence

from services.applications.beneficiary_documents import OpenedDocument
from services.applications.errors import ApplicationLocked, ApplicationNotFound, NoRoomToAdd
from services.applications.notices import queue_notification
from services.applications.results import (
    ApplicationView,
    DocumentState,
    Notification,
    NotificationKind,
)
from services.applications.staff_actions import _QUEUE, StaffMethods, staff_ref
from services.applications.status import Status
from services.applications.views import HAVE_STATES, rows_of_kind
from services.staff import StaffMember
from services.webhooks import emitters as webhook_events
from storage.models import ApplicationDocument, utcnow
from storage.repositories.applications import ApplicationRepository


class StaffDocumentMethods(StaffMethods):
    async def open_document(self, document_id: int, staff: StaffMember) -> OpenedDocument:
        """The file's bytes for a reviewer; writes a DocumentAccess audit row first.
        ApplicationNotFound (also for a "requested" placeholder) / NotAuthorized."""
        async with self._sessions() as session:
            document, _app = await self._staff_document(session, document_id, staff)
            if document.store_key is None:
                raise ApplicationNotFound(f"document {document_id} has no file (a request)")
            ApplicationRepository(session).add_access(document.id, staff.platform, staff.user_id)
            await session.commit()
        data = await self._store.get(document.store_key)
        return OpenedDocument(data, document.mime or "application/octet-stream", document.kind)

    async def accept_received_documents(self, app_id: int, staff: StaffMember) -> Notification:
        """Every document of the application still «received» (not yet checked) -> accepted,
        while the application is in review; one DOCUMENTS_ACCEPTED notification names their
        kinds. ApplicationLocked when none is waiting or the application left review."""
        async with self._sessions() as session:
            app = await self._staff_app(session, app_id, staff)
            if app.status not in _QUEUE:
                raise ApplicationLocked(f"application {app.id} is {app.status}, not in review")
            repo = ApplicationRepository(session)
            waiting = await repo.documents([app.id], states=(DocumentState.RECEIVED.value,))
            if not waiting:
                raise ApplicationLocked(f"application {app.id} has no unchecked document")
            # Serialize with other writers on this application (and fail if it left review).
            if not await repo.move(app.id, _QUEUE, app.status):
                raise ApplicationLocked(f"application {app.id} left review meanwhile")
            changed = await repo.set_document_state(
                [d.id for d in waiting], DocumentState.ACCEPTED.value,
                only_from=(DocumentState.RECEIVED.value,),
                decided_by=staff_ref(staff), decided_at=utcnow(),
            )
            if changed != len(waiting):
                await session.rollback()
                raise ApplicationLocked(f"documents of application {app.id} changed meanwhile")
            kinds = list(dict.fromkeys(d.kind for d in waiting))
            notification = await queue_notification(
                session, app, NotificationKind.DOCUMENTS_ACCEPTED, kinds=kinds, count=len(waiting)
            )
            await session.commit()
            return notification

    # --- documents ----------------------------------------------------------------------------

    async def _judge_document(
        self,
        document_id: int,
        staff: StaffMember,
        state: DocumentState,
        allowed_from: tuple[DocumentState, ...],
        reason: str | None,
    ) -> Notification:
        async with self._sessions() as session:
            document, app = await self._staff_document(session, document_id, staff)
            if app.status not in _QUEUE:
                raise ApplicationLocked(f"application {app.id} is {app.status}, not in review")
            if document.state not in allowed_from:
                raise ApplicationLocked(f"document {document.id} is {document.state}")
            repo = ApplicationRepository(session)
            # Serialize with other writers on this application (and fail if it left review).
            if not await repo.move(app.id, _QUEUE, app.status):
                raise ApplicationLocked(f"application {app.id} left review meanwhile")
            changed = await repo.set_document_state(
                [document.id], state.value, only_from=allowed_from, reason=reason,
                decided_by=staff_ref(staff), decided_at=utcnow(),
            )
            if changed != 1:
                await session.rollback()
                raise ApplicationLocked(f"document {document.id} changed meanwhile")
            kind = (
                NotificationKind.DOCUMENT_ACCEPTED
                if state is DocumentState.ACCEPTED
                else NotificationKind.DOCUMENT_REJECTED
            )
            params: dict[str, object] = {"kind": document.kind}
            if reason:
                params["reason"] = reason
            notification = await queue_notification(session, app, kind, **params)
            await session.commit()
            return notification

    async def accept_document(self, document_id: int, staff: StaffMember) -> Notification:
        """A received (or rejected) document -> accepted, while the application is in review
        (submitted/under_review/needs_documents); ApplicationLocked otherwise."""
        return await self._judge_document(
            document_id, staff, DocumentState.ACCEPTED,
            (DocumentState.RECEIVED, DocumentState.REJECTED), None,
        )

    async def reject_document(
        self, document_id: int, staff: StaffMember, reason: str
    ) -> Notification:
        """A received/accepted document -> rejected with the reason (required)."""
        if not reason or not reason.strip():
            raise ValueError("rejecting a document needs a reason")
        return await self._judge_document(
            document_id, staff, DocumentState.REJECTED,
            (DocumentState.RECEIVED, DocumentState.ACCEPTED), reason.strip(),
        )

    def kinds_with_files(self, view: ApplicationView, kinds: Sequence[str]) -> list[str]:
        """Of `kinds`, those with files received or accepted: a request for them must say
        whether the new files come in addition or instead."""
        return [k for k in kinds if any(d.state in HAVE_STATES for d in view.documents_of(k))]

    def kinds_without_room(self, view: ApplicationView, kinds: Sequence[str]) -> list[str]:
        """Of `kinds`, those already holding as many files as the program allows: more can
        only come instead of them."""
        program = self.registry.get(view.program_id)
        limits = {d.kind: d.max_count for d in program.documents} if program else {}
        return [
            k for k in kinds
            if sum(d.state in HAVE_STATES for d in view.documents_of(k)) >= limits.get(k, 1)
        ]

    async def request_documents(
        self,
        app_id: int,
        staff: StaffMember,
        kinds: Sequence[str],
        note: str,
        *,
        replace: bool = False,
    ) -> Notification:
        """-> needs_documents (from submitted/under_review); each kind gets a "requested"
        placeholder with the note. The files already received stay (the person sends more:
        "the back of the card as well") unless `replace`, when they become "superseded".
        Keeping them where the program allows no more files raises NoRoomToAdd. Asking again
        while already in needs_documents adds the kinds (recorded as a needs_documents event,
        no status change). ValueError for no kinds or kinds the program does not have."""
        wanted = list(dict.fromkeys(kinds))
        async with self._sessions() as session:
            app = await self._staff_app(session, app_id, staff)
            program = self._program(app)
            unknown = [k for k in wanted if program.document(k) is None]
            if not wanted or unknown:
                raise ValueError(f"document kinds to request: {wanted}, unknown: {unknown}")
            repo = ApplicationRepository(session)
            rows = await repo.documents([app.id])
            held = {k: len(rows_of_kind(rows, k, HAVE_STATES)) for k in wanted}
            limits = {d.kind: d.max_count for d in program.documents}
            full = tuple(k for k in wanted if held[k] >= limits[k])
            if full and not replace:
                raise NoRoomToAdd(full)
            ref = staff_ref(staff)
            clean_note = note.strip() if note else None
            if app.status == Status.NEEDS_DOCUMENTS:
                if not await repo.move(app.id, [Status.NEEDS_DOCUMENTS], Status.NEEDS_DOCUMENTS):
                    raise ApplicationLocked(f"application {app.id} left needs_documents")
                repo.add_event(
                    app.id, Status.NEEDS_DOCUMENTS, Status.NEEDS_DOCUMENTS, "staff", ref,
                    clean_note,
                )
                # More papers asked for: the timeline has a new step, so connected systems hear.
                await webhook_events.application_status_changed(
                    session, app, Status.NEEDS_DOCUMENTS.value, Status.NEEDS_DOCUMENTS.value,
                    actor_kind="staff", reason=clean_note,
                )
            else:
                await self._move(
                    session, app, Status.NEEDS_DOCUMENTS, actor_kind="staff", actor_ref=ref,
                    reason=clean_note,
                )
            # An earlier request or a rejected file is always set aside; what was received
            # goes only when the caseworker chose to replace it.
            keep = HAVE_STATES if not replace else frozenset()
            current = [
                d.id
                for d in rows
                if d.kind in wanted and d.state != DocumentState.SUPERSEDED
                and d.state not in keep
            ]
            await repo.set_document_state(current, DocumentState.SUPERSEDED.value)
            now = utcnow()
            for kind in wanted:
                repo.add_document(
                    ApplicationDocument(
                        application_id=app.id, kind=kind, state=DocumentState.REQUESTED.value,
                        reason=clean_note, decided_by=ref, decided_at=now, created_at=now,
                    )
                )
            notification = await queue_notification(
                session, app, NotificationKind.DOCUMENTS_REQUESTED, kinds=wanted, note=clean_note,
                replace=replace, kept=[k for k in wanted if held[k] and not replace],
            )
            await session.commit()
            return notification
