"""The assigned auditor's work view of one declaration: what to check and the arithmetic re-run.

- the evidence documents the declarant pinned by SHA-256 (Tanji extension ``evidence``) and the emission factors
  it cites (id, version, dataset hash);
- the arithmetic: for a computed footprint (one carrying roll-up provenance) the full audit of ledger.service.audit
  (inputs verified, re-derived, compared); for a supplier declaration, whether its stated PCF totals equal the sum
  of its stated components (ledger.pact.totals);
- the attestations already recorded, with their reports when known (ledger.service.attestation_reports).

Only an auditor organization assigned to the declaration gets it (ledger.service.audit_assignments).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlmodel import Session

from ledger.chain_port import ChainPort
from ledger.declarations.extension_parse import parse_extension
from ledger.graph.model import EmissionFactor
from ledger.pact.totals import check_totals
from ledger.service.attestation_reports import described
from ledger.service.audit import audit
from ledger.service.audit_assignments import require_assigned
from ledger.service.declaration_reads import anchor_of
from ledger.service.supply_chain import stored_payload
from ledger.storage.keyring import Keyring


@dataclass
class AuditWork:
    """What an assigned auditor checks in one declaration."""

    declaration_id: str
    digest: str
    product_id: str
    declarant: str
    computed: bool
    evidence: list[dict[str, str]]
    emission_factors: list[dict[str, str]]
    arithmetic: dict[str, Any]
    attestations: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def totals_check(pcf: dict[str, Any]) -> dict[str, Any]:
    """Do the stated PCF totals equal the sum of the stated components (default reading, its precision)?"""
    mismatches = check_totals(pcf)
    return {
        "kind": "totals",
        "passed": not mismatches,
        "discrepancies": [{"location": f"/pcf/{item.field}", "message": item.message()} for item in mismatches],
    }


def work_view(
    session: Session,
    keyring: Keyring,
    chain: ChainPort,
    key: str,
    auditor: str,
    factors: list[EmissionFactor] | None = None,
) -> AuditWork:
    """The work view of declaration `key` for auditor organization `auditor` (NotAssignedError unless assigned)."""
    row = require_assigned(session, key, auditor)
    payload = stored_payload(session, keyring, row)
    extension = parse_extension(payload)
    computed = any("provenance" in (item.get("data") or {}) for item in payload.get("extensions", []))
    if computed:
        found = audit(session, keyring, chain, row.product_id, list(factors or []))
        arithmetic = {"kind": "rollup", **found.as_dict()}
        if found.declaration_id != row.id:
            arithmetic["note"] = f"the current declaration of {row.product_id} is {found.declaration_id}, not {row.id}"
    else:
        arithmetic = totals_check(payload["pcf"])
    attestations: list[dict[str, Any]] = []
    if anchor_of(session, row) is not None:
        attestations = described(session, row.id, row.digest, chain.attestations(bytes.fromhex(row.digest[2:])))
    return AuditWork(
        declaration_id=row.id,
        digest=row.digest,
        product_id=row.product_id,
        declarant=row.org_handle,
        computed=computed,
        evidence=[{"name": item.name, "sha256": item.sha256} for item in extension.evidence],
        emission_factors=[
            {"id": item.id, "version": item.version, "source": item.source, "datasetHash": item.dataset_hash}
            for item in extension.emission_factors
        ],
        arithmetic=arithmetic,
        attestations=attestations,
    )
