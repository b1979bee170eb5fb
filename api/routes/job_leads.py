"""/v1/job-leads: the list, one, posting one, and the people interested in one. (Withdrawing
a lead is not offered: the job-lead service has no such method yet.)"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from api.auth import require_scope
from api.context import ApiContext, api_context
from api.http import (
    ETAG_HEADER,
    NOT_MODIFIED,
    Cursor,
    Limit,
    decode_cursor,
    encode_cursor,
    json_with_etag,
)
from api.idempotency import IDEMPOTENCY_RESPONSES, IdempotencyKey, idempotent
from api.problems import problem_responses
from api.schemas.job_leads import (
    InterestedList,
    JobLeadIn,
    JobLeadList,
    JobLeadOut,
    PostedLeadOut,
    interested_of,
    lead_of,
)
from services.api_clients import ClientIdentity
from services.integration.job_leads import LeadInput

Reader = Annotated[ClientIdentity, Depends(require_scope("job_leads:read"))]
Writer = Annotated[ClientIdentity, Depends(require_scope("job_leads:write"))]
Context = Annotated[ApiContext, Depends(api_context)]
LeadId = Annotated[int, Path(ge=1, le=2**31 - 1, examples=[7])]
READ_ANSWERS = {**NOT_MODIFIED, **problem_responses(401, 403, 404, 422, 429),
                200: {"headers": ETAG_HEADER}}


def build_router() -> APIRouter:
    router = APIRouter(prefix="/job-leads", tags=["job leads"])

    @router.get(
        "", response_model=JobLeadList, summary="Job leads, oldest first, by pages",
        description="Leads of the client's provinces. `state=open`: not withdrawn and the "
                    "deadline not passed; `closed`: the others.",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 422, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def list_leads(
        request: Request, client: Reader, context: Context,
        state: Literal["open", "closed"] | None = None,
        province: Annotated[str | None, Query(max_length=64, examples=["تهران"])] = None,
        field: Annotated[str | None, Query(max_length=120, examples=["پوشاک"])] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response:
        page = await context.services.integration.job_leads.page(
            client, state=state, province=province, field=field,
            after_id=decode_cursor(cursor), limit=limit,
        )
        body = JobLeadList(items=[lead_of(view) for view in page.items],
                           next_cursor=encode_cursor(page.next_after))
        return json_with_etag(request, body)

    @router.get("/{lead_id}", response_model=JobLeadOut, summary="One job lead",
                operation_id="get_job_lead", responses=READ_ANSWERS)
    async def get_lead(
        request: Request, lead_id: LeadId, client: Reader, context: Context
    ) -> Response:
        view = await context.services.integration.job_leads.record(client, lead_id)
        return json_with_etag(request, lead_of(view))

    @router.post(
        "", response_model=PostedLeadOut, summary="Post a job lead",
        description="The chat form's value rules: a known province (of the client's), 1-5 "
                    "fields of the course catalog, a deadline today or later. The people "
                    "whose province and field match are told in their next job-lead notice. "
                    "Every refused field is in the 422 problem's `errors`.",
        responses={**problem_responses(401, 403, 422, 429),
                   200: {"headers": IDEMPOTENCY_RESPONSES, "links": {
                       name: {"operationId": operation,
                              "parameters": {"lead_id": "$response.body#/lead/id"}}
                       for name, operation in (("GetLead", "get_job_lead"),
                                               ("LeadInterested", "job_lead_interested"))
                   }}},
    )
    async def post_lead(
        request: Request, data: JobLeadIn, client: Writer, context: Context,
        idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            posted = await context.services.integration.job_leads.post(client, LeadInput(
                title=data.title, employer=data.employer, province=data.province,
                fields=tuple(data.fields), deadline=data.deadline,
                how_to_apply=data.how_to_apply, city=data.city, wage=data.wage,
            ))
            body = PostedLeadOut(lead=lead_of(posted.lead), matched=posted.matched)
            return Response(body.model_dump_json(), media_type="application/json")

        return await idempotent(context, request, client, idempotency_key, data, work)

    @router.get(
        "/{lead_id}/interested", response_model=InterestedList,
        summary="The people interested in a lead", operation_id="job_lead_interested",
        description="Oldest first, by name; phones only with people:read. Audited.",
        responses=READ_ANSWERS,
    )
    async def interested(
        request: Request, lead_id: LeadId, client: Reader, context: Context
    ) -> Response:
        view, people, phones = await context.services.integration.job_leads.interested(
            client, lead_id
        )
        body = InterestedList(lead=lead_of(view),
                              people=[interested_of(p, phones) for p in people])
        return json_with_etag(request, body)

    return router
