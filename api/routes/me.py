"""GET /v1/me: which client the key belongs to, its scopes and provinces."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.auth import current_client
from api.problems import problem_responses
from services.api_clients import ClientIdentity


class Me(BaseModel):
    name: str = Field(examples=["hayat"])
    scopes: list[str] = Field(examples=[["applications:read", "documents:read"]])
    provinces: list[str] = Field(
        description="Empty: every province", examples=[["تهران", "البرز"]]
    )
    rate_limit_per_minute: int = Field(examples=[600])


def build_router() -> APIRouter:
    router = APIRouter(tags=["client"])

    @router.get(
        "/me", response_model=Me, summary="The calling client",
        responses=problem_responses(401, 429),
    )
    async def me(client: Annotated[ClientIdentity, Depends(current_client)]) -> Me:
        return Me(
            name=client.name, scopes=sorted(client.scopes),
            provinces=sorted(client.provinces or ()),
            rate_limit_per_minute=client.rate_limit_per_minute,
        )

    return router
