"""ApplicationService, staff documents in bulk: accept every file waiting for a look in one
action, so the beneficiary gets one message for it, not one per file."""

from __future__ import annotations

from services.applications.errors import ApplicationLocked
from services.applications.results import DocumentState, Notification, NotificationKind
from services.applications.staff_actions import _QUEUE, StaffMethods, staff_ref
from services.staff import StaffMember
from storage.models import utcnow
from storage.repositories.applications import ApplicationRepository


class StaffDocumentMethods(StaffMethods):
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
            await session.commit()
            kinds = list(dict.fromkeys(d.kind for d in waiting))
            return self._notification(
                app, NotificationKind.DOCUMENTS_ACCEPTED, kinds=kinds, count=len(waiting)
            )
