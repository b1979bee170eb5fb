"""Every router of the API, one module per resource; `include_routes` is the one list.

Add a resource by writing `api/routes/<name>.py` with a `build_router()` and listing it here
(health, metrics and webhooks go here too)."""

from __future__ import annotations

from fastapi import FastAPI

from api.routes import (
    applications,
    certificates,
    courses,
    documents,
    exams,
    job_leads,
    me,
    ops,
    people,
    tickets,
    webhooks,
)

V1_ROUTERS = (
    me, applications, documents, courses, people, tickets, webhooks, exams, certificates,
    job_leads,
)


def include_routes(app: FastAPI) -> None:
    for module in V1_ROUTERS:
        app.include_router(module.build_router(), prefix="/v1")
    # /healthz, /readyz and /metrics: unversioned, for the orchestrator and Prometheus.
    app.include_router(ops.build_router())
    webhooks.document_events(app)
