"""Member-signed transactions through the server's relay: the CLI builds the contract call from the committed ABI,
signs it with the local wallet and posts the raw transaction; the server checks and relays it, never signing for
a member.

Routes (the native `/v1` API's documented contract):

=======  ===============================  ===================================  ====================================
method   path                             body / query                         answer
=======  ===============================  ===================================  ====================================
GET      /v1/transactions/params          ?address=0x...                       {chainId, nonce, gasLimit, fees,
                                                                               contracts: {ledger, attestations,
                                                                               labels}, relayable}
POST     /v1/transactions                 {"rawTransaction": "0x..."}          {txHash, blockNumber, contract, ...}
=======  ===============================  ===================================  ====================================

Fees are EIP-1559 (``maxFeePerGas``, ``maxPriorityFeePerGas``) when the chain has a base fee, else ``gasPrice`` (the
others null). The relay simulates first and answers a contract refusal by its error name (403/409/422), sending
nothing; an answer with ``status`` 0 (a relay that sent a reverting transaction) is reported as a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.cli.remote.connection import ServerConnection
from api.cli.remote.errors import RemoteConflictError, RemoteServerError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

PARAMS = "/v1/transactions/params"
RELAY = "/v1/transactions"
DEFAULT_GAS_LIMIT = 500_000
CONTRACTS = {"TanjiLedger": "ledger", "TanjiAttestations": "attestations", "TanjiLabels": "labels"}


@dataclass(frozen=True)
class TransactionParams:
    """What a wallet needs to sign a transaction the server will relay."""

    chain_id: int
    nonce: int
    gas_limit: int
    fees: dict[str, int]
    contracts: dict[str, str]

    @classmethod
    def of(cls, data: dict[str, Any]) -> TransactionParams:
        """From the JSON answer; RemoteServerError naming what is missing."""
        try:
            eip1559 = data.get("maxFeePerGas") is not None
            fee_names = ("maxFeePerGas", "maxPriorityFeePerGas") if eip1559 else ("gasPrice",)
            return cls(
                chain_id=int(data["chainId"]),
                nonce=int(data["nonce"]),
                gas_limit=int(data.get("gasLimit") or DEFAULT_GAS_LIMIT),
                fees={name: int(data[name]) for name in fee_names},
                contracts={str(k): str(v) for k, v in dict(data["contracts"]).items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RemoteServerError(f"{PARAMS} answered without a usable {exc} (got {sorted(data)})") from exc


@dataclass(frozen=True)
class RelayedTransaction:
    """A relayed transaction, mined."""

    tx_hash: str
    block_number: int
    status: int


def encode_call(contract: str, function: str, args: list[Any]) -> bytes:
    """Calldata of `function(*args)` of artifact `contract`, from the committed ABI (no node needed)."""
    from eth_abi import encode
    from eth_utils import keccak

    from chain_tools.artifacts import load_artifact

    entries = [e for e in load_artifact(contract)["abi"] if e.get("type") == "function" and e["name"] == function]
    if len(entries) != 1:
        raise ValueError(f"{contract} has {len(entries)} functions named {function!r}; expected exactly one")
    types = [_abi_type(item) for item in entries[0]["inputs"]]
    selector = keccak(text=f"{function}({','.join(types)})")[:4]
    return selector + encode(types, args)


def _abi_type(item: dict[str, Any]) -> str:
    kind = str(item["type"])
    if kind.startswith("tuple"):
        return "(" + ",".join(_abi_type(c) for c in item["components"]) + ")" + kind[len("tuple") :]
    return kind


class TransactionsApi:
    """Transaction parameters and the relay."""

    def __init__(self, connection: ServerConnection) -> None:
        self.connection = connection

    def params(self, address: str) -> TransactionParams:
        """Nonce, chain id, gas and fee hints and contract addresses for `address`."""
        return TransactionParams.of(self.connection.get(PARAMS, params={"address": address}))

    def relay(self, raw_transaction: bytes) -> RelayedTransaction:
        """Post a signed raw transaction; the mined result."""
        data = self.connection.post(RELAY, {"rawTransaction": "0x" + raw_transaction.hex()})
        try:
            mined = RelayedTransaction(str(data["txHash"]), int(data["blockNumber"]), int(data.get("status", 1)))
        except (KeyError, TypeError, ValueError) as exc:
            raise RemoteServerError(f"{RELAY} answered without a usable {exc} (got {data!r})") from exc
        if mined.status != 1:
            raise RemoteConflictError(
                f"transaction {mined.tx_hash} was mined in block {mined.block_number} but reverted; nothing changed",
                status=409,
            )
        return mined

    def send(self, account: LocalAccount, contract: str, function: str, args: list[Any]) -> RelayedTransaction:
        """Build `function(*args)` on `contract`, sign it with `account` here, and relay it."""
        from eth_utils import to_checksum_address

        params = self.params(account.address)
        role = CONTRACTS[contract]
        if role not in params.contracts:
            raise RemoteServerError(f"{PARAMS} names no {role} contract (got {sorted(params.contracts)})")
        transaction: dict[str, Any] = {
            "chainId": params.chain_id,
            "nonce": params.nonce,
            "to": to_checksum_address(params.contracts[role]),
            "value": 0,
            "gas": params.gas_limit,
            "data": encode_call(contract, function, args),
            **params.fees,
        }
        signed = account.sign_transaction(transaction)
        return self.relay(bytes(signed.raw_transaction))
