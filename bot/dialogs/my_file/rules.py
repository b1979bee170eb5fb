"""Which buttons My file offers for an application. The service decides again on every press
(these only keep buttons off screens where they could not work)."""

from __future__ import annotations

from services.applications import IN_QUEUE, ApplicationView, Status
from services.applications.views import kinds_open_for_upload


def uploads_open(view: ApplicationView) -> bool:
    return view.status is Status.NEEDS_DOCUMENTS


def open_upload_kinds(view: ApplicationView) -> set[str]:
    """The kinds a caseworker asked for or rejected, while the application waits for them."""
    return kinds_open_for_upload(view) if uploads_open(view) else set()


def can_withdraw(view: ApplicationView) -> bool:
    """Before a decision: sent, being reviewed, or waiting for documents."""
    return view.status in IN_QUEUE
