"""Job leads from a CSV/XLSX file, on the catalog import's machinery (the same reader, row
errors and report lines): every row checked, a line-numbered report, and all or nothing — one
bad row means no lead is posted, so nobody is told about half a file."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from services.catalog_import.files import Layout, read_rows
from services.catalog_import.report import DESCRIPTIONS, N_, PLAIN, ReportStyle, row_error_line
from services.catalog_import.rows import RowError
from services.job_leads.drafts import build_draft
from services.job_leads.model import DraftProblem, LeadDraft
from services.job_leads.service import JobLeadService, NotAllowed
from services.staff import StaffMember
from storage.models import utcnow

# The header of a job-lead file; order is free. `fields`: catalog fields separated by «،» or
# ","; `deadline`: Jalali, e.g. 1405/10/15; `city` and `wage` may be empty.
LEAD_COLUMNS: tuple[str, ...] = (
    "title", "employer", "province", "city", "fields", "wage", "deadline", "how_to_apply",
)
LEADS = Layout("job_leads", LEAD_COLUMNS)
# The catalog's wordings of the shared row codes, and the job leads' own.
_DESCRIPTIONS: dict[str, str] = {
    **DESCRIPTIONS,
    DraftProblem.UNKNOWN_FIELD: N_("not one of the catalog's fields of work"),
    DraftProblem.TOO_MANY_FIELDS: N_("at most five fields of work"),
    DraftProblem.DATE_GREGORIAN: N_(
        "a Gregorian date; write the Jalali date, like 1405/10/15"
    ),
    DraftProblem.DEADLINE_PASSED: N_("the deadline has already passed"),
}


@dataclass
class LeadImportReport:
    total_rows: int
    created: int = 0
    matched: int = 0  # people recorded to be told, over all new leads
    written: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def invalid_rows(self) -> int:
        return len({error.line for error in self.errors})

    def lines(self, style: ReportStyle = PLAIN, max_errors: int = 50) -> list[str]:
        shown = [row_error_line(e, style, _DESCRIPTIONS) for e in self.errors[:max_errors]]
        if len(self.errors) > max_errors:
            shown.append(style.translate(N_("... and {count} more problems")).format(
                count=style.number(len(self.errors) - max_errors)))
        shown.append(style.translate(N_(
            "rows: {rows}, bad rows: {bad}, job leads posted: {created}, people to tell: {matched}"
        )).format(
            rows=style.number(self.total_rows), bad=style.number(self.invalid_rows),
            created=style.number(self.created), matched=style.number(self.matched),
        ))
        if self.errors:
            shown.append(style.translate(N_("Nothing was written.")))
        return shown


async def import_leads(
    service: JobLeadService, member: StaffMember, path: str | Path, posted_by: str
) -> LeadImportReport:
    """Raises ImportFileError for an unusable file, NotAllowed for a non-administrator."""
    if not member.is_admin:
        raise NotAllowed
    rows = await asyncio.to_thread(read_rows, path, LEADS)
    catalog_fields = await service.catalog_fields()
    today = service.today()
    report = LeadImportReport(total_rows=len(rows))
    drafts: list[LeadDraft] = []
    for row in rows:
        if row.overflow:
            report.errors.append(RowError(row.line, "", "too_many_cells", ""))
            continue
        draft, problems = build_draft(row.values, catalog_fields, today)
        report.errors += [
            RowError(row.line, column, error.problem.value, error.value)
            for column, error in problems
        ]
        if draft is not None:
            drafts.append(draft)
    if report.errors:
        return report
    now = utcnow()
    async with service.sessions() as session:
        for draft in drafts:
            posted = await service.post_in(session, draft, posted_by, now)
            report.created += 1
            report.matched += posted.matched
        await session.commit()
    report.written = True
    return report
