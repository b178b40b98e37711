"""Relaying member-signed transactions: the member's wallet signs revocations, supersessions, attestations, label
changes and its own key changes; the server checks what was signed and sends it unchanged. It never signs for a
member and holds no member key.

A transaction is relayed only when it is for this chain, goes to one of this deployment's contracts, calls a
function of the allow-list (ledger.transactions.RELAYABLE), carries no value, uses the sender's next nonce, and its
recovered sender is an active key of the organization the caller signed in for. The contract then applies its own
rules (who may revoke, attest, label ...), and a refusal comes back by its contract error name.
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.chain_port import ActingChainPort, TransactionParams
from ledger.errors import SenderNotOfOrganizationError, WrongNonceError
from ledger.service.organizations import require_address
from ledger.transactions import decode_raw_transaction, relayable_call


@dataclass(frozen=True)
class RelayedTransaction:
    """A member's transaction, mined."""

    tx_hash: str
    block_number: int
    contract: str
    function: str
    sender: str


def transaction_params(chain: ActingChainPort, address: str) -> TransactionParams:
    """What the wallet of `address` needs to sign a transaction the server will relay."""
    return chain.transaction_params(require_address(address, "address"))


def relay(chain: ActingChainPort, raw: bytes, *, org_id: bytes, org_handle: str) -> RelayedTransaction:
    """Check and send the signed transaction `raw` for organization `org_handle` (`org_id`)."""
    tx = decode_raw_transaction(raw)
    anchors = chain.trust_anchors
    contracts = {"ledger": anchors.ledger, "attestations": anchors.attestations, "labels": anchors.labels}
    contract, function = relayable_call(tx, chain_id=anchors.chain_id, contracts=contracts)
    window = chain.key_window(tx.sender)
    if window.org_id != org_id or window.retired_at_block != 0:
        raise SenderNotOfOrganizationError(
            f"the transaction is signed by {tx.sender}, which is not an active key of organization {org_handle!r}; "
            "sign with one of its active keys (GET /v1/organizations/{handle})"
        )
    expected = chain.transaction_params(tx.sender).nonce
    if tx.nonce != expected:
        raise WrongNonceError(
            f"the transaction has nonce {tx.nonce}, the next nonce of {tx.sender} is {expected}; "
            f"sign again with GET /v1/transactions/params?address={tx.sender}"
        )
    call = {"from": tx.sender, "to": tx.to, "data": "0x" + tx.data.hex(), "gas": tx.gas}
    mined = chain.relay_transaction(raw, call)
    return RelayedTransaction(mined.tx_hash, mined.block_number, contract, function, tx.sender)
