"""Request and response models of the PACT administration routes: data recipients (/v1/pact/peers, operator) and the
footprint requests awaiting an owner's answer (/v1/pact/requests)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from api.http.native_schemas import HANDLE, StrictModel
from api.http.schemas import CamelModel


class PeerCreate(StrictModel):
    """A member organization's PACT endpoint and the client credentials its token endpoint issued to Tanji."""

    org: str = Field(min_length=1, max_length=128, pattern=HANDLE, description="the recipient's organization handle")
    base_url: str = Field(
        min_length=8,
        max_length=512,
        description="base URL of its PACT API: events go to {baseUrl}/3/events, tokens come from {baseUrl}/auth/token "
        "(https; plain http only on loopback)",
    )
    client_id: str = Field(min_length=1, max_length=256, description="the client id it issued to Tanji")
    client_secret: str = Field(
        min_length=1, max_length=1024, description="the secret it issued to Tanji (stored encrypted, never shown)"
    )


class PeerPublic(CamelModel):
    """A registered data recipient (no secret)."""

    org: str
    base_url: str
    client_id: str
    created_at: datetime


class PeerList(CamelModel):
    """Every registered data recipient."""

    items: list[PeerPublic]


class PendingRequestPublic(CamelModel):
    """A PACT footprint request (RequestCreated) awaiting the caller's answer."""

    seq: int = Field(description="the request's number: answer it at /v1/pact/requests/{seq}/accept or /decline")
    requester: str = Field(description="the organization that asked")
    criteria: dict[str, Any] = Field(description="the footprints asked for (PACT filter criteria)")
    comment: str | None
    created_at: datetime


class PendingRequestList(CamelModel):
    """Requests awaiting the caller's organization."""

    items: list[PendingRequestPublic]


class RequestDecline(StrictModel):
    """Why the owner declines (sent to the requester in the RequestRejected event)."""

    message: str | None = Field(default=None, min_length=1, max_length=1000)


class RequestAnswer(CamelModel):
    """What became of the request: ``fulfilled`` or ``rejected``."""

    seq: int
    status: str
