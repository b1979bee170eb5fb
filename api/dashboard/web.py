"""The dashboard's pages under /dashboard (see services/dashboard for what each figure means)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.context import ApiContext, api_context
from api.dashboard import charts
from api.dashboard.demand import build_demand_router
from api.dashboard.render import LANGUAGE_COOKIE, LANGUAGES, Words, language_of, page, translations
from api.dashboard.session import (
    FormUser,
    SignedIn,
    install_refusal_handlers,
    page_scope,
    require_admin,
    set_session_cookie,
)
from api.dashboard.words import Names
from services.applications.export import export_table
from services.applications.status import Status
from services.dashboard.access import LinkRefused
from services.dashboard.exams import ExamFigures
from services.dashboard.scope import Scope
from services.provinces import PROVINCES

Context = Annotated[ApiContext, Depends(api_context)]
EXPORTED = [status.value for status in Status if status is not Status.DRAFT]
Province = Annotated[str | None, Query(max_length=64)]


def _common(request: Request, context: ApiContext, user: Any, scope: Scope) -> dict[str, Any]:
    language = language_of(request)
    member = user.member
    choices = sorted(member.provinces) if member.provinces is not None else list(PROVINCES)
    return {
        "user": user,
        "scope": scope,
        "province_choices": choices,
        "names": Names(translations(language).gettext, context.services.program_registry,
                       language),
        "query": f"?province={scope.chosen}" if scope.chosen else "",
        "timezone": context.services.dashboard_figures.timezone,
    }


def _exam_tables(
    exams: ExamFigures, _: Callable[[str], str]
) -> dict[str, list[tuple[str, float]]]:
    """The exam funnel, and the pass rate of each kind of exam that has results."""
    steps: list[tuple[str, float]] = [
        (_("People invited"), exams.invited),
        (_("Answered «I will attend»"), exams.will_attend),
        (_("Present (marked)"), exams.attended),
        (_("Examined (result recorded)"), exams.examined),
        (_("Passed"), exams.passed),
        (_("Certificates issued"), exams.certificates),
    ]
    rates = [
        (label, kind.pass_percent)
        for label, kind in ((_("Written"), exams.written), (_("Practical"), exams.practical))
        if kind.pass_percent is not None
    ]
    return {"exam_steps": steps, "exam_rates": rates}


def build_router() -> APIRouter:
    router = APIRouter(prefix="/dashboard", include_in_schema=False)

    @router.get("/welcome", response_class=HTMLResponse)
    async def welcome(request: Request) -> HTMLResponse:
        return page(request, "welcome.html")

    @router.get("/login")
    async def login(request: Request, context: Context, token: str = "") -> Response:
        try:
            session = await context.services.dashboard_access.redeem(token)
        except LinkRefused as refusal:
            return page(request, "refused.html", status_code=403, reason=refusal.reason.value)
        # A page, not a redirect: the SameSite=Strict cookie is not sent on a redirect that
        # continues a navigation started on another site (the messenger), so /dashboard is
        # opened from this page instead.
        response = page(request, "signed_in.html")
        lifetime = int(context.services.dashboard_access.session_lifetime.total_seconds())
        set_session_cookie(response, request, session.cookie, lifetime)
        return response

    @router.post("/logout")
    async def logout(request: Request, context: Context, user: FormUser) -> Response:
        await context.services.dashboard_access.end(user.session_id)
        response = RedirectResponse("/dashboard/welcome", status_code=303)
        response.delete_cookie("dashboard_session", path="/dashboard")
        return response

    @router.get("/language")
    async def language(request: Request, to: str = "fa", back: str = "/dashboard") -> Response:
        target = back if back.startswith("/dashboard") and "//" not in back else "/dashboard"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(LANGUAGE_COOKIE, to if to in LANGUAGES else "fa",
                            max_age=365 * 86400, path="/dashboard", samesite="lax")
        return response

    @router.get("", response_class=HTMLResponse)
    async def overview(
        request: Request, context: Context, user: SignedIn, province: Province = None
    ) -> HTMLResponse:
        scope = page_scope(user, province)
        figures = await context.services.dashboard_figures.overview(scope)
        common = _common(request, context, user, scope)
        words = Words(language_of(request), context.services.dashboard_figures.timezone)
        names: Names = common["names"]
        _ = translations(words.language).gettext
        day_labels = [words.date(day) for day, _count in figures.registrations_by_day]
        tables: dict[str, list[tuple[str, float]]] = {
            "days": list(zip(day_labels, [c for _d, c in figures.registrations_by_day],
                             strict=True)),
            "messengers": [(names.messenger(k), v)
                           for k, v in figures.registrations_by_messenger.items()],
            "statuses": [(names.status(k), v) for k, v in figures.applications_by_status.items()],
            "programs": [(names.program(k), v) for k, v in figures.applications_by_program.items()],
            "provinces": [(names.province(k or None), v)
                          for k, v in figures.applications_by_province.items()],
            **_exam_tables(figures.exams, _),
        }
        titles = {
            "days": _("Registrations per day (last 30 days)"),
            "messengers": _("Registered people per messenger"),
            "statuses": _("Applications per status"),
            "programs": _("Applications per program"),
            "provinces": _("Applications per province"),
            "exam_steps": _("Exams step by step (last 90 days)"),
            "exam_rates": _("Pass rate per exam (percent)"),
        }
        svg = {
            key: charts.bar_chart(titles[key], [label for label, _v in rows],
                                  [value for _l, value in rows], words.number,
                                  horizontal=key != "days", rtl=words.language == "fa")
            for key, rows in tables.items()
        }
        return page(
            request, "overview.html", figures=figures, tables=tables,
            titles=titles, svg=svg, page_name="overview",
            fresh_seconds=context.services.dashboard_figures.oldest_served,
            **common,
        )

    @router.get("/provinces", response_class=HTMLResponse)
    async def provinces(
        request: Request, context: Context, user: SignedIn, province: Province = None
    ) -> HTMLResponse:
        scope = page_scope(user, province)
        rows = await context.services.dashboard_tables.provinces(scope)
        return page(request, "provinces.html", rows=rows, page_name="provinces",
                    **_common(request, context, user, scope))

    @router.get("/centres", response_class=HTMLResponse)
    async def centres(
        request: Request, context: Context, user: SignedIn, province: Province = None
    ) -> HTMLResponse:
        scope = page_scope(user, province)
        rows = await context.services.dashboard_tables.centres(scope)
        return page(request, "centres.html", rows=rows, page_name="centres",
                    **_common(request, context, user, scope))

    @router.get("/centres/files", response_class=HTMLResponse)
    async def centre_files(
        request: Request, context: Context, user: SignedIn,
        centre: Annotated[str, Query(max_length=200)],
        centre_province: Annotated[str, Query(max_length=64)],
        province: Province = None, everyone: bool = False,
    ) -> HTMLResponse:
        scope = page_scope(user, province)
        rows = await context.services.dashboard_tables.centre_files(
            scope, centre, centre_province, incomplete_only=not everyone
        )
        return page(request, "files.html", rows=rows, centre=centre,
                    centre_province=centre_province, everyone=everyone, page_name="centres",
                    **_common(request, context, user, scope))

    @router.get("/queue", response_class=HTMLResponse)
    async def queue(
        request: Request, context: Context, user: SignedIn, province: Province = None
    ) -> HTMLResponse:
        scope = page_scope(user, province)
        total, rows = await context.services.dashboard_tables.queue(scope)
        return page(request, "queue.html", total=total, rows=rows, page_name="queue",
                    **_common(request, context, user, scope))

    @router.get("/applications/{tracking_code}", response_class=HTMLResponse)
    async def application(
        request: Request, context: Context, user: SignedIn, tracking_code: str
    ) -> HTMLResponse:
        found = await context.services.dashboard_tables.application(tracking_code[:24])
        if found is None or not user.member.can_see_province(found[0].province):
            # Another province's application is "not found", as in the API: its code says nothing.
            return page(request, "refused.html", status_code=404, reason="not_found")
        row, timeline = found
        return page(request, "application.html", row=row, timeline=timeline, page_name="queue",
                    **_common(request, context, user, page_scope(user, None)))

    @router.get("/broadcasts", response_class=HTMLResponse)
    async def broadcasts(request: Request, context: Context, user: SignedIn) -> HTMLResponse:
        require_admin(user)
        rows = await context.services.broadcast_service.recent(50)
        return page(request, "broadcasts.html", rows=rows, page_name="broadcasts",
                    **_common(request, context, user, page_scope(user, None)))

    @router.post("/export")
    async def export(
        request: Request, context: Context, user: FormUser,
        province: Annotated[str, Form(max_length=64)] = "",
    ) -> Response:
        scope = page_scope(user, province or None)
        services = context.services
        table = await export_table(
            # As `export-applications` by default: every status but drafts.
            context.session_factory, services.program_registry, statuses=EXPORTED, since=None,
            timezone=ZoneInfo(services.dashboard_figures.timezone), provinces=scope.provinces,
        )
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel reads UTF-8 Persian only after a byte-order mark
        writer = csv.writer(buffer)
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        # A Persian province name in a header needs RFC 5987; the ASCII name is enough here.
        name = "applications-province.csv" if scope.chosen else "applications.csv"
        return Response(
            buffer.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"',
                     "Cache-Control": "no-store"},
        )

    return router


def include_dashboard(app: FastAPI) -> None:
    install_refusal_handlers(app)
    app.include_router(build_router())
    app.include_router(build_demand_router(_common))
