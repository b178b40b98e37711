"""Auditor attestations: an auditor signs, with its own wallet, its verification of an anchored declaration.

The signed statement is a canonical report (ledger.service.attestation_reports) whose hash goes on chain and whose
text the ledger keeps. Refused before the chain is touched, with the value named: a wallet that is not an active
key of an auditor organization, and an auditor of the declarant's own organization (the contract refuses both
too, and a revoked or superseded declaration); an attestation can be withdrawn (by the attesting organization or
a regulator) with a reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from ledger.chain_port import ActingChainPort, Sender
from ledger.codes import Assurance, AttestationResult, Reason
from ledger.errors import ChainRejectedError, NotAnAuditorError, SelfAuditError
from ledger.organizations import org_id
from ledger.service.attestation_reports import ReportTerms, build_report, report_hash, store_report
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
    report: dict[str, Any]


def auditor_org_of(chain: ActingChainPort, address: str, declarant_org: str) -> str:
    """The on-chain id (0x hex) of the auditor organization of key `address`; NotAnAuditorError when the key is
    not an active key of an auditor organization, SelfAuditError when that organization is `declarant_org`."""
    try:
        auditor = chain.require_active(address, "auditor")
    except ChainRejectedError as exc:
        raise NotAnAuditorError(
            f"wallet {address} is not an active key of an organization holding the auditor role ({exc}); "
            "only auditors attest"
        ) from exc
    if auditor == org_id(declarant_org):
        raise SelfAuditError(
            f"wallet {address} belongs to {declarant_org!r}, the declarant; an organization cannot attest its own "
            "declaration"
        )
    return "0x" + auditor.hex()


def prepare_report(
    session: Session,
    chain: ActingChainPort,
    key: str,
    *,
    auditor: str,
    result: AttestationResult,
    assurance: Assurance,
    terms: ReportTerms,
    store: bool = False,
) -> tuple[str, dict[str, Any]]:
    """The declaration id and the canonical report auditor key `auditor` is to sign for declaration `key`, refused
    (before the chain is touched) for a non-auditor or the declarant's own organization; kept when `store` (a
    client attesting through the relay signs the transaction after this)."""
    anchored = require_anchored(session, key)
    row = anchored.row
    report = build_report(
        declaration_id=row.id,
        digest=row.digest,
        auditor_org=auditor_org_of(chain, auditor, row.org_handle),
        auditor=auditor,
        result=result.cli_name,
        assurance=assurance.cli_name,
        terms=terms,
    )
    if store:
        store_report(session, row.id, report)
    return row.id, report


def attest(
    session: Session,
    chain: ActingChainPort,
    key: str,
    *,
    result: AttestationResult,
    assurance: Assurance,
    sender: Sender,
    standard: str = "ISO 14064-3",
    findings: tuple[str, ...] = (),
    scope: str | None = None,
    report: bytes | None = None,
) -> Attestation:
    """Attest declaration `key` (id or digest): build the canonical report (with the SHA-256 of the full report
    document `report` when given), record its hash on chain with the auditor's wallet, keep the report."""
    anchored = require_anchored(session, key)
    terms = ReportTerms(
        standard=standard,
        scope=scope if scope is not None else f"product footprint of {anchored.row.product_id} per declared unit",
        findings=tuple(findings),
        document_sha256=hashlib.sha256(report).hexdigest() if report is not None else None,
    )
    declaration_id, statement = prepare_report(
        session, chain, key, auditor=sender.address, result=result, assurance=assurance, terms=terms
    )
    digest = report_hash(statement)
    done = chain.attest(anchored.leaf, int(result), int(assurance), digest, sender)
    store_report(session, declaration_id, statement)
    return Attestation(declaration_id, result, assurance, digest, done.block_number, done.index, statement)


def withdraw_attestation(
    session: Session, chain: ActingChainPort, key: str, index: int, reason: Reason, sender: Sender
) -> int:
    """Withdraw attestation `index` of declaration `key`; return the block it was recorded in."""
    row = repository.require_declaration(session=session, key=key)
    return chain.withdraw_attestation(bytes.fromhex(row.digest[2:]), index, reason, sender).block_number
