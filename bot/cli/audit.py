"""`python -m bot audit export --since DAY [--output FILE]`: staff openings of documents as CSV
for the foundation's data-protection officer."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.export_applications import ExportArgumentError, parse_since, write_csv
from bot.config import Settings
from services.audit import document_openings_table
from storage.db import create_engine, create_session_factory


async def export_audit_command(settings: Settings, since: str, output: str | None) -> int:
    timezone = ZoneInfo(settings.timezone)
    try:
        since_at = parse_since(since, timezone)
    except ExportArgumentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    assert since_at is not None  # --since is required
    path = Path(output) if output else Path(f"audit-{dt.date.today():%Y%m%d}.csv")
    engine = create_engine(settings.database_url)
    try:
        table = await document_openings_table(
            create_session_factory(engine), since=since_at, timezone=timezone
        )
    finally:
        await engine.dispose()
    write_csv(table, path)
    print(f"wrote {len(table.rows)} document openings to {path}", file=sys.stderr)
    return 0
