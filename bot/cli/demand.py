"""`python -m bot demand export --format csv|xlsx [--output FILE]`: the unmet demand the
waitlists hold, per province × field (× standard, × search words several people typed), as
counts only (services/waitlists/demand.py; the dashboard's demand page will call the same
function with a staff member's provinces)."""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli.export_applications import write_csv
from bot.config import Settings
from services.waitlists import demand_lines
from services.waitlists.demand import DEMAND_COLUMNS, demand_table_rows
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_database_async


class DemandTable:
    def __init__(self, rows: list[list[object]]) -> None:
        self._rows = rows

    @property
    def columns(self) -> Sequence[str]:
        return DEMAND_COLUMNS

    @property
    def rows(self) -> Sequence[Sequence[object]]:
        return self._rows


def write_demand_xlsx(table: DemandTable, output: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("demand")
    sheet.sheet_view.rightToLeft = True
    sheet.append(list(table.columns))
    for row in table.rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    output.write_bytes(buffer.getvalue())


async def export_demand_command(settings: Settings, fmt: str, output: str | None) -> int:
    await upgrade_database_async(settings.database_url)
    path = Path(output) if output else Path(f"demand-{dt.date.today():%Y%m%d}.{fmt}")
    engine = create_engine(settings.database_url)
    try:
        lines = await demand_lines(create_session_factory(engine))
    finally:
        await engine.dispose()
    table = DemandTable(demand_table_rows(lines))
    if fmt == "xlsx":
        write_demand_xlsx(table, path)
    else:
        write_csv(table, path)  # type: ignore[arg-type]
    print(f"wrote {len(lines)} demand lines to {path}", file=sys.stderr)
    return 0
