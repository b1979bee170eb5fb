"""The demand page: the unmet demand the waitlists hold, per province × field (× standard,
× search words several people typed), with the same province scoping as the other pages
(services/waitlists/demand.py; counts only). What the working groups take to TVTO as course
requests, also as a CSV download (a form with the CSRF token, like the applications export)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.context import ApiContext, api_context
from api.dashboard import charts
from api.dashboard.render import Words, language_of, page, translations
from api.dashboard.session import FormUser, SignedIn, page_scope
from services.dashboard.scope import Scope
from services.waitlists import DemandLine, demand_lines
from services.waitlists.demand import DEMAND_COLUMNS, demand_table_rows

Context = Annotated[ApiContext, Depends(api_context)]
Province = Annotated[str | None, Query(max_length=64)]
# The page's context every dashboard page shares (web._common): user, scope, names, query.
CommonContext = Callable[[Request, ApiContext, Any, Scope], dict[str, Any]]
# Lines drawn in the chart (all of them are in the table under it).
CHART_LINES = 12
# A cell a spreadsheet would run as a formula is kept as text (search words are typed by people).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def line_label(line: DemandLine, every_province: str, any_field: str) -> str:
    """A line in a few words: province · field (or the search words, or the standard)."""
    what = line.field or line.search_words or line.standard_code or any_field
    if line.field and line.search_words:
        what = f"{line.field} «{line.search_words}»"
    return f"{line.province or every_province} · {what}"


def build_demand_router(common: CommonContext) -> APIRouter:
    router = APIRouter(prefix="/dashboard", include_in_schema=False)

    @router.get("/demand", response_class=HTMLResponse)
    async def demand(
        request: Request, context: Context, user: SignedIn, province: Province = None
    ) -> HTMLResponse:
        scope = page_scope(user, province)
        lines = await demand_lines(context.session_factory, provinces=scope.provinces)
        shared = common(request, context, user, scope)
        words = Words(language_of(request), context.services.dashboard_figures.timezone)
        _ = translations(words.language).gettext
        every_province, any_field = _("All provinces"), _("(any field)")
        drawn = lines[:CHART_LINES]
        title = _("People waiting, the largest lines")
        svg = charts.bar_chart(
            title, [line_label(line, every_province, any_field) for line in drawn],
            [line.people_waiting for line in drawn], words.number, rtl=words.language == "fa",
        ) if drawn else None
        return page(
            request, "demand.html", lines=lines, svg=svg, chart_title=title,
            every_province=every_province, any_field=any_field, page_name="demand",
            total_waiting=sum(line.people_waiting for line in lines),
            **shared,
        )

    @router.post("/demand/export")
    async def demand_export(
        request: Request, context: Context, user: FormUser,
        province: Annotated[str, Form(max_length=64)] = "",
    ) -> Response:
        scope = page_scope(user, province or None)
        lines = await demand_lines(context.session_factory, provinces=scope.provinces)
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel reads UTF-8 Persian only after a byte-order mark
        writer = csv.writer(buffer)
        writer.writerow(DEMAND_COLUMNS)  # the columns of `python -m bot demand export`
        writer.writerows([_csv_cell(v) for v in row] for row in demand_table_rows(lines))
        name = "demand-province.csv" if scope.chosen else "demand.csv"
        return Response(
            buffer.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"',
                     "Cache-Control": "no-store"},
        )

    return router
