"""Transactions a member's own wallet signs from a page: the server prepares the unsigned transaction (the same
call the CLI builds, from the committed ABI, with the nonce and fees of GET /v1/transactions/params), the wallet
signs it (``window.ethereum``'s eth_signTransaction, or ``tanji wallet sign-transaction`` on the member's machine
and the raw bytes pasted back), and the page relays it through the same use case as POST /v1/transactions: the
server checks chain, contract, function, nonce and that the signer is an active key of the signed-in
organization, and never signs for a member."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.cli.remote.transactions import encode_call
from api.http.runtime import Runtime
from ledger.service import relay
from ledger.service.identity import Principal
from ledger.transactions import raw_bytes

CONTRACT_ROLES = {"TanjiAttestations": "attestations", "TanjiLabels": "labels", "TanjiLedger": "ledger"}


@dataclass(frozen=True)
class PreparedTransaction:
    """An unsigned transaction in the JSON-RPC shape wallets sign (quantities as 0x-hex)."""

    fields: dict[str, str]
    function: str


def prepare(runtime: Runtime, address: str, contract: str, function: str, args: list[Any]) -> PreparedTransaction:
    """`function(*args)` on `contract` for the key `address`, with its next nonce and the chain's fees."""
    params = relay.transaction_params(runtime.chain, address)
    anchors = runtime.chain.trust_anchors
    target = {"attestations": anchors.attestations, "labels": anchors.labels, "ledger": anchors.ledger}
    fields = {
        "from": address,
        "to": target[CONTRACT_ROLES[contract]],
        "data": "0x" + encode_call(contract, function, args).hex(),
        "value": "0x0",
        "gas": hex(params.gas_limit),
        "nonce": hex(params.nonce),
        "chainId": hex(params.chain_id),
        **{name: hex(value) for name, value in params.fees.items()},
    }
    return PreparedTransaction(fields, function)


def relay_signed(runtime: Runtime, principal: Principal, raw_hex: str) -> relay.RelayedTransaction:
    """Relay the wallet's signed transaction for the signed-in organization."""
    return relay.relay(
        runtime.chain, raw_bytes(raw_hex.strip()), org_id=principal.org_id, org_handle=principal.org_handle
    )
