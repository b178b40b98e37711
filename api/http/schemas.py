"""Request and response models of the HTTP API (typed, so the OpenAPI document is complete)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

PactErrorCode = Literal["BadRequest", "AccessDenied", "TokenExpired", "NotFound", "InternalError", "NotImplemented"]


class CamelModel(BaseModel):
    """A model whose JSON field names are camelCase (PACT's style); Python names stay snake_case."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class PactError(BaseModel):
    """The PACT error object every failing request gets (the token endpoint excepted: OAuth2 errors there)."""

    code: PactErrorCode
    message: str


class OAuthError(BaseModel):
    """An RFC 6749 section 5.2 error of the token endpoint."""

    error: Literal["invalid_request", "invalid_client", "unsupported_grant_type"]
    error_description: str


class TokenResponse(BaseModel):
    """An RFC 6749 section 4.4.3 access token response."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class OpenIdConfiguration(BaseModel):
    """The subset of an OpenID provider configuration PACT clients read (token_endpoint)."""

    issuer: str
    token_endpoint: str
    grant_types_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    response_types_supported: list[str]
    subject_types_supported: list[str]


class SiweNonce(CamelModel):
    """A single-use nonce and the fields a wallet's EIP-4361 message must carry to be accepted here."""

    nonce: str
    domain: str
    uri: str
    chain_id: int
    expires_at: int = Field(description="Unix time after which the nonce is refused")


class SiweSignInRequest(CamelModel):
    """A signed EIP-4361 message and the organization whose active key signed it."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    message: str = Field(max_length=4096, description="the EIP-4361 message exactly as signed")
    signature: str = Field(pattern=r"^0x[0-9a-fA-F]{130}$", description="EIP-191 signature, 65 bytes hex")
    organization: str = Field(min_length=1, max_length=128, description="handle of the organization on chain")


class SessionToken(BaseModel):
    """A session token bound to the organization whose key signed in."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    organization: str
    address: str


class Contracts(CamelModel):
    """The deployment's contract addresses."""

    ledger: str
    attestations: str
    labels: str


class Health(CamelModel):
    """Where the ledger's chain is (public)."""

    status: Literal["ok"] = "ok"
    chain_id: int
    head_block: int
    contracts: Contracts


class Me(CamelModel):
    """The principal a bearer token stands for."""

    organization: str
    org_id: str = Field(description="bytes32 organization id, 0x-hex")
    roles: list[str]
    method: Literal["client_credentials", "siwe"]
    client_id: str | None = None
    address: str | None = None
    expires_at: int = Field(description="Unix time at which the token expires")
