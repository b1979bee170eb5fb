"""Career-counseling results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class CounselingResult(Base):
    """One completed career-counseling questionnaire; the newest per person is the current one."""

    __tablename__ = "counseling_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    # The questionnaire file's version: answers are only comparable within one version.
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Ranked best fields: [{"field": ..., "score": ...}, ...]
    top_fields: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
