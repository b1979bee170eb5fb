from __future__ import annotations

import csv
from pathlib import Path

from bot.services.catalog_import import COLUMNS
from tests.catalog.conftest import SAMPLE_CSV


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    *,
    columns: tuple[str, ...] | list[str] = COLUMNS,
    bom: bool = False,
) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path
