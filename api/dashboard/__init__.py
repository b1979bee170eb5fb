"""The administrators' dashboard: server-rendered pages (Jinja2) under /dashboard, reached by a
one-time link from the bot (`/dashboard`), with charts drawn on the server (pygal SVG)."""

from api.dashboard.web import include_dashboard

__all__ = ["include_dashboard"]
