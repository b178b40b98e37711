"""Auditor attestations: an auditor signs, with its own wallet, its verification of a declaration digest."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from ledger.chain_port import ActingChainPort, Sender
from ledger.codes import Assurance, AttestationResult
from ledger.hashing import keccak256
from ledger.storage import repository


@dataclass(frozen=True)
class Attestation:
    """An attestation recorded on chain."""

    declaration_id: str
    result: AttestationResult
    assurance: Assurance
    report_hash: bytes
    block_number: int


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
    """Attest declaration `key` (id or digest); the verification report itself stays off chain, its hash on it."""
    row = repository.require_declaration(session=session, key=key)
    report_hash = keccak256(report)
    mined = chain.attest(bytes.fromhex(row.digest[2:]), int(result), int(assurance), report_hash, sender)
    return Attestation(row.id, result, assurance, report_hash, mined.block_number)
