"""The ledger's chain ports (ledger.ports) over a deployed Tanji, translating chain errors to ledger errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chain_tools.errors import ChainConnectionError, ContractReverted, TransactionFailed
from chain_tools.gateway import Signer
from chain_tools.tanji_chain import TanjiChain
from ledger.errors import ChainRejectedError, ChainUnavailableError
from ledger.ports import KeyWindow, LeafState
from ledger.signing import SigningDomain

T = TypeVar("T")
RESULTS = {1: "verified", 2: "qualified", 3: "rejected"}
ASSURANCE = {1: "limited", 2: "reasonable"}


def translated(call: Callable[[], T]) -> T:
    """Run `call`, turning chain_tools errors into ledger errors."""
    try:
        return call()
    except ContractReverted as exc:
        raise ChainRejectedError(exc.name, dict(exc.arguments), str(exc)) from exc
    except (ChainConnectionError, TransactionFailed, ConnectionError, OSError) as exc:
        raise ChainUnavailableError(f"chain unavailable: {exc}") from exc


class ChainAdapter:
    """ledger.ports.ChainPort over a TanjiChain; `anchorer` signs anchoring transactions."""

    def __init__(self, tanji: TanjiChain, anchorer: Signer | None = None) -> None:
        self.tanji = tanji
        self.anchorer = anchorer

    @property
    def signing_domain(self) -> SigningDomain:
        """EIP-712 domain of the deployment."""
        return self.tanji.signing_domain

    def require_active(self, account: str, role: str) -> bytes:
        """Organization id of an active key with `role`."""
        return translated(lambda: self.tanji.require_active(account, role))

    def key_window(self, account: str) -> KeyWindow:
        """Key record of `account`."""
        info = translated(lambda: self.tanji.key_info(account))
        return KeyWindow(info.org_id, info.added_at_block, info.retired_at_block)

    def anchored_block(self, root: bytes) -> int | None:
        """Anchoring block of `root`."""
        batch = translated(lambda: self.tanji.batch_of(root))
        return None if batch is None else batch.anchored_at_block

    def anchor_batch(self, root: bytes, leaf_count: int, metadata_uri: str) -> tuple[str, int]:
        """Send anchorBatch with the anchorer key."""
        if self.anchorer is None:
            raise ChainUnavailableError("no anchorer key configured for this ledger service")
        anchorer = self.anchorer
        receipt = translated(lambda: self.tanji.anchor_batch(root, leaf_count, metadata_uri, sender=anchorer))
        return receipt.tx_hash, receipt.block_number

    def leaf_states(self, leaves: list[bytes]) -> list[LeafState]:
        """Leaf statuses: per leaf for a few, from the chain's change log (read once) for many."""
        if len(leaves) > 64:
            changed = translated(lambda: self.tanji.changed_leaves())
            none = LeafState(0, 0, 0, "0x" + "00" * 20, bytes(32))
            return [
                LeafState(int(info.status), info.reason, info.changed_at_block, info.changed_by, info.successor)
                if (info := changed.get(leaf)) is not None
                else none
                for leaf in leaves
            ]
        states: list[LeafState] = []
        for start in range(0, len(leaves), 500):
            chunk = leaves[start : start + 500]
            for info in translated(lambda chunk=chunk: self.tanji.leaf_statuses(chunk)):  # type: ignore[misc]
                states.append(
                    LeafState(int(info.status), info.reason, info.changed_at_block, info.changed_by, info.successor)
                )
        return states

    def labels(self, digest: bytes) -> list[dict[str, Any]]:
        """Carbon labels issued on `digest`, with their current status."""

        def read() -> list[dict[str, Any]]:
            found = []
            for serial in self.tanji.labels_of(digest):
                label = self.tanji.gateway.call(self.tanji.labels.functions.labelOf(serial))
                found.append(
                    {
                        "serial": "0x" + serial.hex(),
                        "grade": bytes(label[3]).rstrip(b"\0").decode(errors="replace"),
                        "issuerOrg": "0x" + bytes(label[2]).hex(),
                        "validFrom": int(label[4]),
                        "validUntil": int(label[5]),
                        "status": self.tanji.label_status(serial).name.lower(),
                    }
                )
            return found

        return translated(read)

    def attestations(self, digest: bytes) -> list[dict[str, Any]]:
        """Attestations of `digest`, decoded."""
        rows = translated(lambda: self.tanji.attestations_of(digest))
        return [
            {
                "auditorOrg": "0x" + bytes(row[0]).hex(),
                "auditor": row[1],
                "result": RESULTS.get(int(row[2]), "?"),
                "assurance": ASSURANCE.get(int(row[3]), "?"),
                "block": int(row[4]),
                "reportHash": "0x" + bytes(row[5]).hex(),
            }
            for row in rows
        ]
