"""Member-signed transactions the server relays: decoding a raw signed transaction and the allow-list of what it
may call. The server never signs for a member; it checks what the member signed and passes it on unchanged.

Relayable functions, by contract (selector = first 4 bytes of keccak-256 of the canonical signature):

- TanjiLedger: revokeDeclaration, supersedeDeclaration, supersedeWithConsent, acceptKey, addKey, retireKey
- TanjiAttestations: attest, withdrawAttestation
- TanjiLabels: issueLabel, suspendLabel, reinstateLabel, revokeLabel

tests/http/test_v1_transactions.py checks these signatures against the compiled ABIs.
"""

from __future__ import annotations

from dataclasses import dataclass

import rlp
from eth_account import Account
from eth_hash.auto import keccak

from ledger.addresses import checksum
from ledger.errors import (
    TransactionDecodeError,
    TransactionNotRelayableError,
)

_LEAF = "(bytes32,bytes32,address,bytes32[])"
RELAYABLE: dict[str, tuple[str, ...]] = {
    "ledger": (
        "revokeDeclaration(bytes32,bytes32,address,bytes32[],uint8)",
        "supersedeDeclaration(bytes32,bytes32,address,bytes32[],bytes32)",
        f"supersedeWithConsent({_LEAF},{_LEAF},bytes)",
        "acceptKey(bytes32,address)",
        "addKey(bytes32,address)",
        "retireKey(bytes32,address)",
    ),
    "attestations": (
        f"attest({_LEAF},uint8,uint8,bytes32)",
        "withdrawAttestation(bytes32,uint256,uint8)",
    ),
    "labels": (
        f"issueLabel(bytes32,bytes32,{_LEAF},bytes16,uint64,uint64,uint256,bytes32)",
        "suspendLabel(bytes32,uint8)",
        "reinstateLabel(bytes32)",
        "revokeLabel(bytes32,uint8)",
    ),
}
MAX_RAW_TRANSACTION_BYTES = 64 * 1024


def selector(signature: str) -> bytes:
    """The 4-byte function selector of a canonical signature."""
    return keccak(signature.encode("ascii"))[:4]


SELECTORS: dict[bytes, tuple[str, str]] = {
    selector(signature): (contract, signature.split("(", 1)[0])
    for contract, signatures in RELAYABLE.items()
    for signature in signatures
}


@dataclass(frozen=True)
class RawTransaction:
    """The fields of a signed transaction the relay checks."""

    raw: bytes
    tx_type: int
    chain_id: int | None
    nonce: int
    to: str | None
    value: int
    data: bytes
    gas: int
    sender: str


def raw_bytes(text: str) -> bytes:
    """The bytes of a 0x-hex raw transaction; TransactionDecodeError naming the problem."""
    digits = text[2:] if text[:2] in ("0x", "0X") else text
    if len(digits) % 2:
        raise TransactionDecodeError(f"the raw transaction has an odd number ({len(digits)}) of hex digits")
    try:
        return bytes.fromhex(digits)
    except ValueError:
        raise TransactionDecodeError("the raw transaction is not hex; send the signed bytes as 0x-hex") from None


def _int(item: bytes) -> int:
    return int.from_bytes(item, "big")


def _fields(raw: bytes) -> tuple[int, list[bytes]]:
    if not raw:
        raise TransactionDecodeError("the raw transaction is empty; send the signed transaction's bytes as 0x-hex")
    if raw[0] >= 0xC0:
        return 0, rlp.decode(raw)
    if raw[0] in (1, 2):
        return raw[0], rlp.decode(raw[1:])
    raise TransactionDecodeError(f"transaction type {raw[0]} is not relayed; sign a legacy, 0x01 or 0x02 transaction")


def decode_raw_transaction(raw: bytes) -> RawTransaction:
    """Decode and recover the sender of a signed transaction; TransactionDecodeError naming what is wrong."""
    if len(raw) > MAX_RAW_TRANSACTION_BYTES:
        raise TransactionDecodeError(f"the raw transaction has {len(raw)} bytes; at most {MAX_RAW_TRANSACTION_BYTES}")
    try:
        tx_type, items = _fields(raw)
        scalars = {0: 9, 1: 7, 2: 8}[tx_type]  # the fields before the access list (legacy: all of them)
        if not isinstance(items, list) or not all(isinstance(item, bytes) for item in items[:scalars]):
            raise TransactionDecodeError("the raw transaction is not an RLP list of the expected fields")
        if tx_type == 0:
            if len(items) != 9:
                raise TransactionDecodeError(f"a legacy transaction has 9 fields, this one {len(items)}")
            nonce, _price, gas, to, value, data, v = items[:7]
            v_int = _int(v)
            chain_id = (v_int - 35) // 2 if v_int >= 35 else None
        else:
            expected = 11 if tx_type == 1 else 12
            if len(items) != expected:
                raise TransactionDecodeError(f"a type {tx_type} transaction has {expected} fields, not {len(items)}")
            chain, nonce = items[0], items[1]
            gas, to, value, data = items[3:7] if tx_type == 1 else items[4:8]
            chain_id = _int(chain)
        sender = Account.recover_transaction(raw)
    except TransactionDecodeError:
        raise
    except Exception as exc:  # rlp and eth-account raise many kinds for malformed bytes
        raise TransactionDecodeError(f"the raw transaction does not decode: {type(exc).__name__}: {exc}") from None
    return RawTransaction(
        raw=raw,
        tx_type=tx_type,
        chain_id=chain_id,
        nonce=_int(nonce),
        to=checksum(to) if len(to) == 20 else None,
        value=_int(value),
        data=bytes(data),
        gas=_int(gas),
        sender=checksum(sender),
    )


def relayable_call(tx: RawTransaction, *, chain_id: int, contracts: dict[str, str]) -> tuple[str, str]:
    """(contract role, function name) of a transaction the server may relay; TransactionNotRelayableError otherwise.

    `contracts` maps ``ledger`` / ``attestations`` / ``labels`` to the deployment's addresses.
    """
    if tx.chain_id != chain_id:
        raise TransactionNotRelayableError(
            f"the transaction is signed for chain {tx.chain_id} (None: no EIP-155 chain id), this ledger is chain "
            f"{chain_id}; sign it with chainId {chain_id} (GET /v1/transactions/params)"
        )
    by_address = {checksum(address): role for role, address in contracts.items()}
    role = by_address.get(tx.to or "")
    if role is None:
        raise TransactionNotRelayableError(
            f"the transaction goes to {tx.to or '(contract creation)'}, not to one of this deployment's contracts "
            f"({', '.join(f'{name} {address}' for name, address in contracts.items())})"
        )
    if tx.value:
        raise TransactionNotRelayableError(f"the transaction sends {tx.value} wei; relayed calls carry no value")
    called = SELECTORS.get(tx.data[:4])
    if called is None or called[0] != role:
        allowed = ", ".join(name.split("(")[0] for name in RELAYABLE[role])
        raise TransactionNotRelayableError(
            f"function selector 0x{tx.data[:4].hex()} of the {role} contract is not relayed; relayed: {allowed}"
        )
    return called
