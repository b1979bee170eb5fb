"""`python -m bot migrate`: upgrade the database to the latest schema."""

from __future__ import annotations

from bot.config import Settings
from storage.migrate import upgrade_database


def migrate_command(settings: Settings) -> int:
    upgrade_database(settings.database_url)
    print("database is up to date")
    return 0
