"""The administrators' dashboard's rules: who may open it (one-time links, sessions) and the
figures it shows. No aiogram, no api: the web pages (api/dashboard/) and the bot's /stats both
read from here."""

from services.dashboard.access import (
    DashboardAccess,
    DashboardUser,
    LinkRefused,
    NewSession,
    NotStaff,
)

__all__ = ["DashboardAccess", "DashboardUser", "LinkRefused", "NewSession", "NotStaff"]
