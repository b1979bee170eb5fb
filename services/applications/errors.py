"""Why an action on an application could not be done.

The rule: a choice a person is expected to make, with more than one fair answer (a course that
is full, a document of the wrong kind, an application already started), comes back as an outcome
value (StartOutcome, SubmitOutcome, DocumentOutcome, ...) for the screen to word. A stale, forged
or forbidden action (someone else's application, a button from an old card, a transition the
status machine refuses: ForbiddenTransition, beside the machine) raises an ApplicationError,
which a handler catches once.
"""

from __future__ import annotations


class ApplicationError(Exception):
    """The base of every stale, forged or forbidden action on an application."""


class ApplicationLocked(ApplicationError):
    """Answers/course can only change while the application is a draft."""


class NotAuthorized(ApplicationError):
    """A staff member acting outside their provinces, or a beneficiary naming another person's
    application/document. The message holds ids only (no personal data): safe to log."""


class ApplicationNotFound(ApplicationError, LookupError):
    """No such application/document (staff methods; beneficiary methods answer None instead)."""


class CannotApprove(ApplicationError):
    """Mandatory documents are not in (all rejected or still requested): `kinds`."""

    def __init__(self, kinds: tuple[str, ...]) -> None:
        super().__init__(f"mandatory documents outstanding: {kinds}")
        self.kinds = kinds


class NoRoomToAdd(ApplicationError):
    """Staff asked for more files of `kinds` while keeping the ones received, but those kinds
    already hold as many files as the program allows: only replacing them is possible."""

    def __init__(self, kinds: tuple[str, ...]) -> None:
        super().__init__(f"no room for more files of: {kinds}")
        self.kinds = kinds
