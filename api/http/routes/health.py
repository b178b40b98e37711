"""GET /v1/health: the chain the ledger anchors on (public)."""

from __future__ import annotations

from api.http.deps import RuntimeDep
from api.http.routing import new_router
from api.http.schemas import Contracts, Health

router = new_router(prefix="/v1", tags=["system"])


@router.get("/health", name="health", summary="Chain id, head block and contract addresses")
def health(runtime: RuntimeDep) -> Health:
    """Where the ledger's chain is; 503 when the chain cannot be reached."""
    status = runtime.chain.status(runtime.operator.address)
    anchors = status.anchors
    return Health(
        chain_id=status.chain_id,
        head_block=status.block,
        contracts=Contracts(ledger=anchors.ledger, attestations=anchors.attestations, labels=anchors.labels),
    )
