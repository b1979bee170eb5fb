"""ApplicationService: the whole application lifecycle, for beneficiaries and for staff.

No aiogram here. Handlers call these methods and word the results. Beneficiary methods
(services.applications.beneficiary and .beneficiary_documents) take the person's id and
never act on someone else's application: a forged id gets None/NOT_FOUND or NotAuthorized and
a logger.warning with ids only. Staff methods (services.applications.staff_actions) take a
StaffMember and refuse applications outside the member's provinces with NotAuthorized (the
caller logs the refusal).
Every status change goes through the status machine (ForbiddenTransition otherwise) as a
conditional UPDATE, and is recorded with who, when and why (ApplicationEvent).

    ApplicationService(session_factory, registry, document_store, timezone="Asia/Tehran",
                       staff_chats=StaffChats(...))

Submitting, sending documents back and withdrawing queue the staff groups' alerts
(services.staff_alerts) in the same transaction.
"""

from __future__ import annotations

from services.applications.beneficiary import BeneficiaryMethods
from services.applications.beneficiary_documents import OpenedDocument
from services.applications.confirmations import ConfirmationMethods, UnconfirmedSubmission
from services.applications.document_reuse import DocumentReuseMethods, ReusableDocument
from services.applications.staff_actions import normalize_tracking_code
from services.applications.staff_documents import StaffDocumentMethods


class ApplicationService(
    BeneficiaryMethods, DocumentReuseMethods, ConfirmationMethods, StaffDocumentMethods
):
    """See the parts for the methods; they share ServiceBase's constructor."""


__all__ = [
    "ApplicationService",
    "OpenedDocument",
    "ReusableDocument",
    "UnconfirmedSubmission",
    "normalize_tracking_code",
]
