"""Why a connected system's request could not be done. Messages hold ids and codes only."""

from __future__ import annotations

from typing import Any


class IntegrationNotFound(LookupError):
    """No such thing, or not in the client's provinces (the two are not told apart)."""


class IntegrationConflict(Exception):
    """The thing's state forbids the request: `code` is stable, `reason` plain English."""

    def __init__(self, code: str, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.code, self.reason, self.details = code, reason, details


class IntegrationInvalid(ValueError):
    """The request itself is wrong (a missing reason, an unknown document kind ...)."""

    def __init__(self, code: str, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.code, self.reason, self.details = code, reason, details
