"""A read-only view of a deployed Tanji over plain JSON-RPC: no web3, for verifiers.

Verifying a proof bundle against a node needs a dozen `eth_call`s. web3 costs 1-1.5 s to import (py_ecc among
others), so this reader speaks JSON-RPC itself (urllib), encodes calls and decodes results with eth_abi from the
committed ABIs, and decodes reverts with the same table as every other backend (`chain_tools.reverts`). It answers
the views of `ledger.chain_port.ChainPort` exactly as `chain_tools.chain_adapter.ChainAdapter` does, and sends no
transactions.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from functools import cache
from itertools import count
from typing import Any

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector

from chain_tools.artifacts import load_artifact
from chain_tools.chain_adapter import NO_CHANGE, translated
from chain_tools.errors import ChainConnectionError
from chain_tools.port_values import attestation_entry, label_entry, label_record, leaf_state_of
from chain_tools.reverts import abi_type, decode_revert
from chain_tools.tanji_types import LeafStatusInfo, leaf_status
from ledger.addresses import checksum
from ledger.chain_port import AnchoredLeaf, KeyWindow, LabelRecord, LeafState, TrustAnchors, TxResult
from ledger.codes import LabelStatus
from ledger.errors import ChainUnavailableError
from ledger.organizations import role_id
from ledger.signing import SigningDomain

PAGE = 200
MANY_LEAVES = 64  # above this, one read of the chain's change log beats per-leaf statuses (as ChainAdapter)


class JsonRpc:
    """POST JSON-RPC requests to `url`; a node that cannot be reached raises ChainConnectionError naming it."""

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ChainConnectionError(
                f"RPC URL {url!r} is not an http(s) URL; pass the node's URL, e.g. --rpc-url http://127.0.0.1:8545"
            )
        self.url = url
        self.timeout = timeout
        self._ids = count(1)

    def request(self, method: str, params: list[Any]) -> Any:
        """The `result` of `method`; a JSON-RPC error raises ContractReverted (a revert) or ChainConnectionError."""
        body = json.dumps({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ChainConnectionError(f"cannot reach {self.url} ({method}): {reason}; is the node running?") from exc
        except ValueError as exc:
            raise ChainConnectionError(f"{self.url} answered {method} with something that is not JSON") from exc
        if not isinstance(answer, dict):
            raise ChainConnectionError(f"{self.url} answered {method} with {type(answer).__name__}, not a JSON object")
        if "error" in answer:
            raise _error_of(answer["error"], self.url, method)
        return answer.get("result")


def _error_of(error: Any, url: str, method: str) -> Exception:
    """A revert (error data that decodes) or a node error naming `url`."""
    data = error.get("data") if isinstance(error, dict) else None
    if isinstance(data, dict):  # some nodes nest the revert bytes one level down
        data = data.get("data")
    message = error.get("message", error) if isinstance(error, dict) else error
    if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
        return decode_revert(bytes.fromhex(data[2:]), context=method)
    if isinstance(message, str) and "revert" in message.lower():
        return decode_revert(b"", context=f"{method}: {message}")
    return ChainConnectionError(f"{url} refused {method}: {message}")


@cache
def _functions(contract: str) -> dict[str, tuple[bytes, list[str], list[str]]]:
    """Each view of `contract` by name: (selector, input types, output types)."""
    table: dict[str, tuple[bytes, list[str], list[str]]] = {}
    for item in load_artifact(contract)["abi"]:
        if item.get("type") != "function":
            continue
        inputs = [abi_type(arg) for arg in item["inputs"]]
        selector = function_signature_to_4byte_selector(f"{item['name']}({','.join(inputs)})")
        table[item["name"]] = (selector, inputs, [abi_type(arg) for arg in item["outputs"]])
    return table


class ContractView:
    """`eth_call`s of one deployed contract, encoded and decoded from its committed ABI."""

    def __init__(self, rpc: JsonRpc, contract: str, address: str) -> None:
        self.rpc = rpc
        self.contract = contract
        self.address = checksum(address)

    def call(self, function: str, *args: Any) -> Any:
        """Call view `function`; a single output is returned unwrapped (as web3 does)."""
        selector, inputs, outputs = _functions(self.contract)[function]
        data = "0x" + (selector + encode(inputs, list(args))).hex()
        raw = self.rpc.request("eth_call", [{"to": self.address, "data": data}, "latest"])
        if not isinstance(raw, str) or not raw.startswith("0x"):
            raise ChainConnectionError(f"{self.rpc.url} answered {self.contract}.{function} with {raw!r}")
        if raw == "0x" and outputs:
            raise ChainConnectionError(
                f"{self.rpc.url} has no {self.contract} contract at {self.address}: wrong chain or a reset node"
            )
        values = decode(outputs, bytes.fromhex(raw[2:]))
        return values[0] if len(values) == 1 else values


class RpcChainReader:
    """ledger.chain_port.ChainPort's views over JSON-RPC, for the deployment `anchors` (read-only)."""

    def __init__(self, url: str, anchors: TrustAnchors, *, timeout: float = 30.0) -> None:
        self.rpc = translated(lambda: JsonRpc(url, timeout=timeout))
        self.anchors = anchors
        self.ledger = ContractView(self.rpc, "TanjiLedger", anchors.ledger)
        self.attestation_book = ContractView(self.rpc, "TanjiAttestations", anchors.attestations)
        self.label_book = ContractView(self.rpc, "TanjiLabels", anchors.labels)

    def chain_id(self) -> int:
        """The chain id the node serves."""
        return int(translated(lambda: self.rpc.request("eth_chainId", [])), 16)

    @property
    def signing_domain(self) -> SigningDomain:
        """EIP-712 domain of the trusted deployment."""
        return SigningDomain(chain_id=self.anchors.chain_id, verifying_contract=self.anchors.ledger)

    def require_active(self, account: str, role: str) -> bytes:
        """Organization id of an active key with `role` (the contract's refusal otherwise)."""
        return bytes(translated(lambda: self.ledger.call("requireActive", checksum(account), role_id(role))))

    def key_window(self, account: str) -> KeyWindow:
        """Organization and active window of `account`."""
        org, added, retired = translated(lambda: self.ledger.call("keyRecord", checksum(account)))
        return KeyWindow(bytes(org), int(added), int(retired))

    def was_key_usable_at(self, account: str, block: int) -> bool:
        """Was `account` active and its organization unsuspended at `block`?"""
        return bool(translated(lambda: self.ledger.call("wasKeyUsableAt", checksum(account), block)))

    def anchored_block(self, root: bytes) -> int | None:
        """Anchoring block of `root`, or None."""
        block, _count, _anchorer = translated(lambda: self.ledger.call("batchOf", root))
        return None if block == 0 else int(block)

    def leaf_states(self, leaves: list[bytes]) -> list[LeafState]:
        """Leaf statuses: per leaf for a few, from the chain's change log (read once) for many."""
        if len(leaves) > MANY_LEAVES:
            changed = translated(self._changed_leaves)
            return [leaf_state_of(info) if (info := changed.get(leaf)) is not None else NO_CHANGE for leaf in leaves]
        states: list[LeafState] = []
        for start in range(0, len(leaves), 500):
            chunk = leaves[start : start + 500]
            rows = translated(lambda chunk=chunk: self.ledger.call("leafStatuses", chunk))  # type: ignore[misc]
            states.extend(leaf_state_of(leaf_status(_checksummed_status(row))) for row in rows)
        return states

    def _changed_leaves(self) -> dict[bytes, LeafStatusInfo]:
        total = int(self.ledger.call("changedLeafCount"))
        changed: dict[bytes, LeafStatusInfo] = {}
        for start in range(0, total, 500):
            leaves, statuses = self.ledger.call("changedLeaves", start, 500)
            changed.update(
                (bytes(leaf), leaf_status(_checksummed_status(row))) for leaf, row in zip(leaves, statuses, strict=True)
            )
        return changed

    def attestations(self, digest: bytes) -> list[dict[str, Any]]:
        """Attestations of `digest`, decoded as ChainAdapter decodes them."""

        def read() -> list[tuple[Any, ...]]:
            total, rows = int(self.attestation_book.call("attestationCount", digest)), []
            for offset in range(0, total, PAGE):
                rows += self.attestation_book.call("attestationsOf", digest, offset, PAGE)
            return [(row[0], checksum(row[1]), *row[2:6], checksum(row[6]), *row[7:]) for row in rows]

        return [attestation_entry(index, row) for index, row in enumerate(translated(read))]

    def labels(self, digest: bytes) -> list[dict[str, Any]]:
        """Carbon labels issued on `digest`, with their current status."""

        def serials() -> list[bytes]:
            total, found = int(self.label_book.call("labelCount", digest)), []
            for offset in range(0, total, PAGE):
                found += self.label_book.call("labelsOf", digest, offset, PAGE)
            return [bytes(serial) for serial in found]

        entries = []
        for serial in translated(serials):
            record = self.label(serial)
            assert record is not None  # labelsOf lists issued labels only
            entries.append(label_entry(serial, record))
        return entries

    def label(self, serial: bytes) -> LabelRecord | None:
        """Label `serial` with its status now, or None when never issued."""

        def read() -> LabelRecord | None:
            status = LabelStatus(self.label_book.call("labelStatus", serial))
            if status is LabelStatus.UNKNOWN:
                return None
            return label_record(self.label_book.call("labelOf", serial), status)

        return translated(read)

    # a verifier sends nothing -------------------------------------------------------------------------------------
    def anchor_batch(self, root: bytes, leaf_count: int, metadata_uri: str) -> tuple[str, int]:
        """Refused: this reader is read-only."""
        raise ChainUnavailableError(_READ_ONLY.format(url=self.rpc.url, what="anchor a batch"))

    def supersede_with_consent(self, predecessor: AnchoredLeaf, successor: AnchoredLeaf, signature: bytes) -> TxResult:
        """Refused: this reader is read-only."""
        raise ChainUnavailableError(_READ_ONLY.format(url=self.rpc.url, what="relay a supersession"))


_READ_ONLY = "the verifier's chain reader of {url} is read-only and cannot {what}; use the workspace's ledger"


def _checksummed_status(row: tuple[Any, ...]) -> tuple[Any, ...]:
    status, reason, changed_at, changed_by, successor = row
    return (status, reason, changed_at, checksum(changed_by), successor)
