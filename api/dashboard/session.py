"""Signing in and staying signed in: the session cookie, the CSRF check of every form, and the
refusal pages (each a plain Persian page with what to do next)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.context import ApiContext, api_context
from api.dashboard.render import page
from services.dashboard import DashboardUser
from services.dashboard.scope import ProvinceForbidden, Scope, scope_for

SESSION_COOKIE = "dashboard_session"
WELCOME_PATH = "/dashboard/welcome"


class DashboardRefusal(Exception):
    """Shown as the refusal page with this HTTP status; `reason` picks its words."""

    def __init__(self, status_code: int, reason: str) -> None:
        super().__init__(reason)
        self.status_code = status_code
        self.reason = reason


class NeedsSignIn(Exception):
    """No live session: off to the page that says to ask the bot for a link."""


async def signed_in(
    request: Request, context: Annotated[ApiContext, Depends(api_context)]
) -> DashboardUser:
    user = await context.services.dashboard_access.user(request.cookies.get(SESSION_COOKIE))
    if user is None:
        raise NeedsSignIn
    return user


SignedIn = Annotated[DashboardUser, Depends(signed_in)]


async def checked_form(user: SignedIn, csrf: Annotated[str, Form()] = "") -> DashboardUser:
    """A form's post: its CSRF token must be this session's (a cross-site form has none)."""
    if not csrf or not hmac.compare_digest(csrf.encode(), user.csrf_token.encode()):
        raise DashboardRefusal(403, "csrf")
    return user


FormUser = Annotated[DashboardUser, Depends(checked_form)]


def page_scope(user: DashboardUser, province: str | None) -> Scope:
    try:
        return scope_for(user.member, province)
    except ProvinceForbidden:
        raise DashboardRefusal(403, "province") from None


def require_admin(user: DashboardUser) -> None:
    if not user.member.is_admin:
        raise DashboardRefusal(403, "admins_only")


def set_session_cookie(response: Response, request: Request, cookie: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE, cookie, max_age=max_age, path="/dashboard", httponly=True,
        secure=request.url.scheme == "https", samesite="strict",
    )


def install_refusal_handlers(app: FastAPI) -> None:
    async def refused(request: Request, error: Exception) -> HTMLResponse:
        assert isinstance(error, DashboardRefusal)
        return page(request, "refused.html", status_code=error.status_code, reason=error.reason)

    async def to_welcome(request: Request, error: Exception) -> Response:
        return RedirectResponse(WELCOME_PATH, status_code=303)

    app.add_exception_handler(DashboardRefusal, refused)
    app.add_exception_handler(NeedsSignIn, to_welcome)
