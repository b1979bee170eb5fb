"""/v1/certificates: issue one (exams:write; the application completed, the person told) and
a person's certificates by one of their applications' tracking codes (exams:read)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth import require_scope
from api.context import ApiContext, api_context
from api.http import ETAG_HEADER, NOT_MODIFIED, json_with_etag
from api.idempotency import IDEMPOTENCY_RESPONSES, IdempotencyKey, idempotent
from api.problems import problem_responses
from api.schemas.exams import CertificateIn, CertificateList, CertificateOut, certificate_of
from services.api_clients import ClientIdentity

Context = Annotated[ApiContext, Depends(api_context)]


def build_router() -> APIRouter:
    router = APIRouter(prefix="/certificates", tags=["exams"])

    @router.get(
        "", response_model=CertificateList, summary="A person's certificates",
        description="Every certificate of the person whose application has this tracking "
                    "code (of the client's provinces), newest first. 404 for an unknown code "
                    "or another province's application. Audited.",
        responses={**NOT_MODIFIED, **problem_responses(401, 403, 404, 422, 429),
                   200: {"headers": ETAG_HEADER}},
    )
    async def certificates_of(
        request: Request,
        tracking_code: Annotated[str, Query(min_length=1, max_length=40,
                                            examples=["HMN-1405-000123"])],
        client: Annotated[ClientIdentity, Depends(require_scope("exams:read"))],
        context: Context,
    ) -> Response:
        found = await context.services.integration.exams.certificates_of(client, tracking_code)
        body = CertificateList(items=[certificate_of(view, code) for view, code in found])
        return json_with_etag(request, body)

    @router.post(
        "", response_model=CertificateOut, summary="Issue a certificate",
        description="For an enrolled application with a passed practical exam result. The "
                    "application moves to completed and the person is told, as from the "
                    "staff's /certificate. A number already used, a second certificate for "
                    "the application, no passed practical or an application not enrolled: "
                    "409 with the reason's code. 404: no such application in the client's "
                    "provinces.",
        responses={**problem_responses(401, 403, 404, 409, 422, 429),
                   200: {"headers": IDEMPOTENCY_RESPONSES}},
    )
    async def issue(
        request: Request, data: CertificateIn,
        client: Annotated[ClientIdentity, Depends(require_scope("exams:write"))],
        context: Context, idempotency_key: IdempotencyKey,
    ) -> Response:
        async def work() -> Response:
            view, code = await context.services.integration.exams.issue_certificate(
                client, data.tracking_code, data.number, data.issued_on
            )
            return Response(certificate_of(view, code).model_dump_json(),
                            media_type="application/json")

        return await idempotent(context, request, client, idempotency_key, data, work)

    return router
