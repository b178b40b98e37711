"""/v1/pact/peers: the operator registers, lists and removes PACT data recipients (their endpoint and the client
credentials Tanji signs in with there). Operator only (role ``admin``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response

from api.http.deps import RuntimeDep
from api.http.native_schemas import HANDLE
from api.http.native_views import errors
from api.http.pact_admin_schemas import PeerCreate, PeerList, PeerPublic
from api.http.routing import new_router
from ledger.service import pact_peers
from ledger.service.pact_peers import PeerInfo

router = new_router(prefix="/v1/pact/peers", tags=["PACT administration"])
Handle = Annotated[str, Path(min_length=1, max_length=128, pattern=HANDLE, description="organization handle")]


def peer_public(peer: PeerInfo) -> PeerPublic:
    """A peer, without its secret."""
    return PeerPublic(org=peer.org_handle, base_url=peer.base_url, client_id=peer.client_id, created_at=peer.created_at)


@router.get("", name="list_pact_peers", responses=errors(403), summary="PACT data recipients (operator)")
def list_peers(runtime: RuntimeDep) -> PeerList:
    """Every registered recipient: organization, endpoint and the client id Tanji signs in with (no secret)."""
    return PeerList(items=[peer_public(peer) for peer in pact_peers.list_peers(runtime.sessions)])


@router.post(
    "",
    name="register_pact_peer",
    responses=errors(403, 404, 422),
    status_code=201,
    summary="Register or replace a PACT data recipient (operator)",
)
def register_peer(body: PeerCreate, runtime: RuntimeDep) -> PeerPublic:
    """The member organization's endpoint (https; http only on loopback) and credentials; 404 for an organization
    the chain does not know, 422 for an endpoint Tanji will not call."""
    peer = pact_peers.add_peer(
        runtime.sessions,
        runtime.store.keyring,
        runtime.chain,
        body.org,
        base_url=body.base_url,
        client_id=body.client_id,
        client_secret=body.client_secret,
    )
    return peer_public(peer)


@router.delete(
    "/{org}",
    name="remove_pact_peer",
    responses=errors(403, 404),
    status_code=204,
    response_class=Response,
    summary="Remove a PACT data recipient (operator)",
)
def remove_peer(org: Handle, runtime: RuntimeDep) -> None:
    """Forget the endpoint and credentials; events still queued for it are retried and then abandoned."""
    pact_peers.remove_peer(runtime.sessions, org)
