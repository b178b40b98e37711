"""Status changes of anchored declarations, sent on chain with the acting organization's own wallet.

Revocation and supersession live on chain (TanjiLedger), so nobody who can write the database can make or undo
them: the contract accepts them only from an active key of the declaring organization or of a regulator.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from ledger.chain_port import ActingChainPort, AnchoredLeaf, Sender
from ledger.codes import Reason
from ledger.errors import DeclarationNotAnchoredError
from ledger.storage import repository
from ledger.storage.tables import BatchRow, DeclarationRow


@dataclass(frozen=True)
class AnchoredDeclaration:
    """A stored declaration with the batch root and Merkle proof that place it on chain."""

    row: DeclarationRow
    root: bytes
    proof: list[bytes]

    @property
    def digest(self) -> bytes:
        """The declaration digest."""
        return bytes.fromhex(self.row.digest[2:])

    @property
    def leaf(self) -> AnchoredLeaf:
        """Root, digest, declarant and proof, as the contracts take them."""
        return AnchoredLeaf(self.root, self.digest, self.row.declarant, tuple(self.proof))


@dataclass(frozen=True)
class StatusChange:
    """A status change recorded on chain."""

    declaration_id: str
    block_number: int
    signer: str
    reason: Reason | None = None
    successor_id: str | None = None


def require_anchored(session: Session, key: str) -> AnchoredDeclaration:
    """Declaration `key` (id or digest) with its anchor; DeclarationNotAnchoredError when not anchored yet."""
    row = repository.require_declaration(session=session, key=key)
    batch = session.get(BatchRow, row.batch_id) if row.batch_id is not None else None
    if batch is None or batch.status != "anchored":
        raise DeclarationNotAnchoredError(f"declaration {row.id} is not anchored yet; run `tanji anchor flush` first")
    return AnchoredDeclaration(row, bytes.fromhex(batch.root[2:]), repository.proof_of(row))


def revoke(session: Session, chain: ActingChainPort, key: str, reason: Reason, sender: Sender) -> StatusChange:
    """Revoke declaration `key` on chain, signed by `sender` (the declarant's organization or a regulator)."""
    anchored = require_anchored(session, key)
    mined = chain.revoke_declaration(
        anchored.root, anchored.digest, anchored.row.declarant, anchored.proof, reason, sender
    )
    return StatusChange(anchored.row.id, mined.block_number, sender.address, reason=reason)


def supersede(session: Session, chain: ActingChainPort, key: str, successor_key: str, sender: Sender) -> StatusChange:
    """Mark declaration `key` superseded on chain by the anchored declaration `successor_key`."""
    anchored = require_anchored(session, key)
    successor = require_anchored(session, successor_key)
    mined = chain.supersede_declaration(
        anchored.root, anchored.digest, anchored.row.declarant, anchored.proof, successor.digest, sender
    )
    return StatusChange(anchored.row.id, mined.block_number, sender.address, successor_id=successor.row.id)


def stored_digests(session: Session, ids: list[str]) -> dict[str, str]:
    """Digests of the declarations `ids` that this store holds (to sign supersession consents for them)."""
    found = {}
    for declaration_id in ids:
        row = repository.get_declaration(session=session, key=str(declaration_id))
        if row is not None:
            found[row.id] = row.digest
    return found
