"""Auditor attestations: an auditor signs, with its own wallet, its verification of an anchored declaration.

The contract refuses an attestation by the declarant's own organization and of a revoked or superseded
declaration; an attestation can be withdrawn (by the attesting organization or a regulator) with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from ledger.chain_port import ActingChainPort, Sender
from ledger.codes import Assurance, AttestationResult, Reason
from ledger.hashing import keccak256
from ledger.service.declaration_actions import require_anchored
from ledger.storage import repository


@dataclass(frozen=True)
class Attestation:
    """An attestation recorded on chain."""

    declaration_id: str
    result: AttestationResult
    assurance: Assurance
    report_hash: bytes
    block_number: int
    index: int


def attest(
    session: Session,
    chain: ActingChainPort,
    key: str,
    *,
    result: AttestationResult,
    assurance: Assurance,
    report: bytes,
    sender: Sender,
) -> Attestation:
    """Attest declaration `key` (id or digest); the verification report stays off chain, its hash goes on it."""
    anchored = require_anchored(session, key)
    report_hash = keccak256(report)
    done = chain.attest(anchored.leaf, int(result), int(assurance), report_hash, sender)
    return Attestation(anchored.row.id, result, assurance, report_hash, done.block_number, done.index)


def withdraw_attestation(
    session: Session, chain: ActingChainPort, key: str, index: int, reason: Reason, sender: Sender
) -> int:
    """Withdraw attestation `index` of declaration `key`; return the block it was recorded in."""
    row = repository.require_declaration(session=session, key=key)
    return chain.withdraw_attestation(bytes.fromhex(row.digest[2:]), index, reason, sender).block_number
