"""/v1/transactions: members' own signed transactions (revoke, supersede, attest, labels, their keys), relayed.

The member's wallet asks for its parameters (GET /v1/transactions/params), signs locally and posts the raw bytes;
the server checks the chain, contract, function and that the signer is an active key of the caller's organization,
then sends it unchanged. It never signs for a member.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.native_reports import RawTransactionIn, RelayedTransactionPublic, TransactionParamsPublic
from api.http.native_schemas import ADDRESS
from api.http.native_views import errors
from api.http.routing import new_router
from api.http.schemas import Contracts
from ledger.service import relay
from ledger.transactions import RELAYABLE, raw_bytes

router = new_router(prefix="/v1/transactions", tags=["transactions"])


@router.get(
    "/params",
    name="transaction_params",
    responses=errors(422),
    summary="Nonce, chain id, fees and contracts for a member's wallet",
)
def transaction_params(
    address: Annotated[str, Query(pattern=ADDRESS, description="the signing key's address")], runtime: RuntimeDep
) -> TransactionParamsPublic:
    """Everything a wallet needs to sign a transaction this server will relay."""
    params = relay.transaction_params(runtime.chain, address)
    anchors = runtime.chain.trust_anchors
    return TransactionParamsPublic(
        address=address,
        chain_id=params.chain_id,
        nonce=params.nonce,
        gas_limit=params.gas_limit,
        gas_price=params.fees.get("gasPrice"),
        max_fee_per_gas=params.fees.get("maxFeePerGas"),
        max_priority_fee_per_gas=params.fees.get("maxPriorityFeePerGas"),
        contracts=Contracts(ledger=anchors.ledger, attestations=anchors.attestations, labels=anchors.labels),
        relayable={contract: list(signatures) for contract, signatures in RELAYABLE.items()},
    )


@router.post(
    "",
    name="relay_transaction",
    responses=errors(403, 409, 422),
    summary="Relay a transaction the member's own wallet signed",
)
def relay_transaction(
    body: RawTransactionIn, principal: CurrentPrincipal, runtime: RuntimeDep
) -> RelayedTransactionPublic:
    """Checked (chain, contract, allow-listed function, no value, next nonce, signer of the caller's organization),
    sent unchanged, and answered with its receipt; a contract refusal comes back by its error name."""
    done = relay.relay(
        runtime.chain, raw_bytes(body.raw_transaction), org_id=principal.org_id, org_handle=principal.org_handle
    )
    return RelayedTransactionPublic(
        tx_hash=done.tx_hash,
        block_number=done.block_number,
        contract=done.contract,  # type: ignore[arg-type]
        function=done.function,
        sender=done.sender,
        organization=principal.org_handle,
    )
