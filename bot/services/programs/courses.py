"""Which courses a program pays for: the program's course rules, and the course must be open."""

from __future__ import annotations

from typing import Protocol

from bot.services.catalog import CourseStatus
from bot.services.programs.model import (
    CenterTypeRule,
    CourseAnyOfRule,
    CourseRule,
    DeliveryRule,
    HamnavaCoverageRule,
    KarafanTrackRule,
    Program,
)


class CourseLike(Protocol):
    """bot.services.catalog.CourseCard / CourseSummary have these."""

    @property
    def hamnava_coverage_pct(self) -> int: ...
    @property
    def karafan(self) -> bool: ...
    @property
    def delivery(self) -> str: ...
    @property
    def center_type(self) -> str: ...
    @property
    def status(self) -> CourseStatus: ...


def course_qualifies(program: Program, course: CourseLike) -> bool:
    """Open (not full, not started) and meeting every course rule of the program."""
    return course.status is CourseStatus.OPEN and course_matches_program(program, course)


def course_matches_program(program: Program, course: CourseLike) -> bool:
    """The program's course rules only, whatever the course's status."""
    return all(_matches(rule, course) for rule in program.courses)


def _matches(rule: CourseRule, course: CourseLike) -> bool:
    if isinstance(rule, HamnavaCoverageRule):
        return course.hamnava_coverage_pct >= rule.min_pct
    if isinstance(rule, KarafanTrackRule):
        return bool(course.karafan)
    if isinstance(rule, DeliveryRule):
        return course.delivery in rule.allowed
    if isinstance(rule, CenterTypeRule):
        return course.center_type in rule.allowed
    if isinstance(rule, CourseAnyOfRule):
        return any(_matches(inner, course) for inner in rule.rules)
    raise TypeError(f"unhandled course rule {rule!r}")  # pragma: no cover
