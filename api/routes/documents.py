"""/v1/documents/{id}/file: an application document's file, decrypted, every read audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from api.auth import require_scope
from api.context import ApiContext, api_context
from api.problems import problem_responses
from services.api_clients import ClientIdentity

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def build_router() -> APIRouter:
    router = APIRouter(prefix="/documents", tags=["documents"])

    @router.get(
        "/{document_id}/file", summary="A document's file",
        description="The decrypted bytes with their type. Each read is written to the audit "
                    "before the file is sent. 404 for a document of another province or a "
                    "request without a file.",
        response_class=Response,
        responses={
            200: {"description": "The file", "content": {
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            }},
            **problem_responses(401, 403, 404, 422, 429),
        },
    )
    async def document_file(
        document_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        client: Annotated[ClientIdentity, Depends(require_scope("documents:read"))],
        context: Annotated[ApiContext, Depends(api_context)],
    ) -> Response:
        opened = await context.services.integration.applications.open_document(
            client, document_id
        )
        extension = _EXTENSIONS.get(opened.mime, "bin")
        return Response(
            opened.data, media_type=opened.mime,
            headers={
                "Content-Disposition":
                    f'attachment; filename="document-{document_id}-{opened.kind}.{extension}"',
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return router
