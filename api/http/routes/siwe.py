"""Sign-In with Ethereum (EIP-4361): a nonce, then a signed message for a session token."""

from __future__ import annotations

from fastapi import Response

from api.http.deps import RuntimeDep
from api.http.routing import new_router
from api.http.schemas import PactError, SessionToken, SiweNonce, SiweSignInRequest

router = new_router(prefix="/auth/siwe", tags=["auth"])


@router.get("/nonce", name="siwe_nonce", summary="A single-use nonce for a Sign-In with Ethereum message")
def siwe_nonce(runtime: RuntimeDep, response: Response) -> SiweNonce:
    """A nonce, with the domain, URI and chain id the signed message must name."""
    grant = runtime.siwe.new_nonce()
    response.headers["Cache-Control"] = "no-store"
    settings = runtime.settings
    return SiweNonce(
        nonce=grant.nonce,
        domain=settings.public_authority,
        uri=settings.public_url,
        chain_id=runtime.siwe.chain_id,
        expires_at=grant.expires_at,
    )


@router.post(
    "",
    name="siwe_sign_in",
    summary="Exchange a signed EIP-4361 message for a session token",
    responses={
        401: {"model": PactError, "description": "Malformed, expired, replayed or wrongly signed message"},
        403: {"model": PactError, "description": "The signer is not an active key of the organization"},
    },
)
def siwe_sign_in(request: SiweSignInRequest, runtime: RuntimeDep, response: Response) -> SessionToken:
    """A session token bound to `organization`, if its active key signed a valid message with a fresh nonce."""
    issued = runtime.siwe.sign_in(
        message=request.message, signature=request.signature, organization=request.organization
    )
    response.headers["Cache-Control"] = "no-store"
    return SessionToken(
        access_token=issued.token, expires_in=issued.expires_in, organization=issued.org_handle, address=issued.subject
    )
