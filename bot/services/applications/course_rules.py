"""A program's course rules as a SQL condition, so "courses this program pays for" is one
indexed query instead of filtering the whole catalog in Python. Must agree with
bot.services.programs.courses (tests compare the two on the sample catalog)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, true

from bot.services.programs.model import (
    CenterTypeRule,
    CourseAnyOfRule,
    CourseRule,
    DeliveryRule,
    HamnavaCoverageRule,
    KarafanTrackRule,
    Program,
)
from storage.models import Course


def program_course_condition(program: Program) -> ColumnElement[bool]:
    if not program.courses:
        return true()
    return and_(*(_condition(rule) for rule in program.courses))


def _condition(rule: CourseRule) -> ColumnElement[bool]:
    if isinstance(rule, HamnavaCoverageRule):
        return Course.hamnava_coverage_pct >= rule.min_pct
    if isinstance(rule, KarafanTrackRule):
        return Course.karafan.is_(True)
    if isinstance(rule, DeliveryRule):
        return Course.delivery.in_(rule.allowed)
    if isinstance(rule, CenterTypeRule):
        return Course.center_type.in_(rule.allowed)
    if isinstance(rule, CourseAnyOfRule):
        return or_(*(_condition(inner) for inner in rule.rules))
    raise TypeError(f"unhandled course rule {rule!r}")  # pragma: no cover
