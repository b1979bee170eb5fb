"""ExamService: sessions (staff), answers and attendance, results and certificates."""

from __future__ import annotations

from services.exams.attendance import AttendanceMethods
from services.exams.results import ResultMethods
from services.exams.sessions import SessionMethods


class ExamService(SessionMethods, AttendanceMethods, ResultMethods):
    """Built once in services.container; see each part's module."""
