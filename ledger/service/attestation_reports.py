"""Attestation reports: the canonical JSON statement an auditor signs (ISO 14064-3 / ISO 14067 verification), whose
keccak-256 over its RFC 8785 canonical bytes is the ``reportHash`` recorded on chain.

A report names the declaration (id and digest), the auditor organization (its on-chain id) and key, the standard,
the scope, the assurance level, the result and the findings, and optionally the SHA-256 of the full report
document. The ledger keeps reports off chain; every verification lists the chain's attestations (withdrawn ones with
their reason) and, when the report is known, its standard and findings after checking it against the chain's
hash: a report that no longer hashes to the recorded value is shown as failed, its contents are not shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from ledger.canonical import canonical_bytes, hex32, keccak_canonical
from ledger.codes import Reason
from ledger.errors import AttestationReportError
from ledger.storage.audit_tables import AttestationReportRow

REPORT_SCHEMA = "tanji.attestation-report/1"
STANDARDS = ("ISO 14064-3", "ISO 14067", "GB/T 24067", "ISAE 3410", "GHG Protocol Product")
RESULTS = ("verified", "qualified", "rejected")
ASSURANCES = ("limited", "reasonable")
POSITIVE_RESULTS = ("verified", "qualified")
MAX_FINDINGS, MAX_TEXT = 200, 4000
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ORG_ID = re.compile(r"0x[0-9a-f]{64}")


@dataclass(frozen=True)
class ReportTerms:
    """What the auditor states in a report beyond what the chain records."""

    standard: str
    scope: str
    findings: tuple[str, ...] = ()
    document_sha256: str | None = None


def _require_text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise AttestationReportError(f"{what} {value!r} must be a non-empty text of at most {MAX_TEXT} characters")
    return value.strip()


def build_report(
    *,
    declaration_id: str,
    digest: str,
    auditor_org: str,
    auditor: str,
    result: str,
    assurance: str,
    terms: ReportTerms,
) -> dict[str, Any]:
    """The canonical report (validated: AttestationReportError names the first bad value and the choices)."""
    if terms.standard not in STANDARDS:
        raise AttestationReportError(f"unknown standard {terms.standard!r}; use one of: {', '.join(STANDARDS)}")
    if result not in RESULTS:
        raise AttestationReportError(f"unknown result {result!r}; use one of: {', '.join(RESULTS)}")
    if assurance not in ASSURANCES:
        raise AttestationReportError(f"unknown assurance {assurance!r}; use one of: {', '.join(ASSURANCES)}")
    if not _ORG_ID.fullmatch(auditor_org):
        raise AttestationReportError(f"auditor organization id {auditor_org!r} is not a 0x-prefixed 32-byte hex id")
    if len(terms.findings) > MAX_FINDINGS:
        raise AttestationReportError(f"{len(terms.findings)} findings; a report holds at most {MAX_FINDINGS}")
    findings = [_require_text(text, f"finding {position + 1}") for position, text in enumerate(terms.findings)]
    report: dict[str, Any] = {
        "schema": REPORT_SCHEMA,
        "declaration": {"id": declaration_id, "digest": digest},
        "auditorOrg": auditor_org,
        "auditor": auditor,
        "standard": terms.standard,
        "scope": _require_text(terms.scope, "scope"),
        "assurance": assurance,
        "result": result,
        "findings": findings,
    }
    if terms.document_sha256 is not None:
        if not _SHA256.fullmatch(terms.document_sha256):
            raise AttestationReportError(f"document sha256 {terms.document_sha256!r} is not 64 lowercase hex digits")
        report["document"] = {"sha256": terms.document_sha256}
    return report


def report_hash(report: dict[str, Any]) -> bytes:
    """keccak-256 of the report's canonical bytes: the on-chain reportHash."""
    return keccak_canonical(report)


def store_report(session: Session, declaration_id: str, report: dict[str, Any]) -> str:
    """Keep `report` off chain (idempotent); return its hash as 0x hex."""
    digest = hex32(report_hash(report))
    if session.get(AttestationReportRow, (declaration_id, digest)) is None:
        text = canonical_bytes(report).decode("utf-8")
        session.add(AttestationReportRow(declaration_id=declaration_id, report_hash=digest, report=text))
        session.commit()
    return digest


@dataclass(frozen=True)
class ReportCheck:
    """Whether a report is the one an attestation recorded: `ok`, and why not."""

    ok: bool
    detail: str


def check_report(report: Any, attestation: dict[str, Any], digest: str) -> ReportCheck:
    """Is `report` the report attestation `attestation` (as the chain holds it) of declaration `digest` recorded?"""
    if not isinstance(report, dict):
        return ReportCheck(False, "the report is not a JSON object")
    try:
        found = hex32(report_hash(report))
    except (TypeError, ValueError) as exc:
        return ReportCheck(False, f"the report cannot be hashed canonically: {exc}")
    recorded = str(attestation["reportHash"])
    if found != recorded:
        return ReportCheck(False, f"the report hashes to {found}, the chain records {recorded}: it was altered")
    declared = report.get("declaration", {})
    for what, stated, onchain in (
        ("declaration digest", declared.get("digest") if isinstance(declared, dict) else None, digest),
        ("auditor organization", report.get("auditorOrg"), attestation["auditorOrg"]),
        ("result", report.get("result"), attestation["result"]),
        ("assurance", report.get("assurance"), attestation["assurance"]),
    ):
        if str(stated).lower() != str(onchain).lower():
            return ReportCheck(False, f"the report states {what} {stated!r}, the attestation records {onchain!r}")
    return ReportCheck(True, "the report hashes to the recorded reportHash")


def described(
    session: Session, declaration_id: str, digest: str, items: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The chain's attestations of one declaration, each with whether it stands (positive, not withdrawn), the
    withdrawal reason by name, and the stored report's standard, scope and findings once checked against the
    recorded hash (``reportCheck``: ``ok``, ``failed: why`` or ``unknown`` when no report is stored here)."""
    listed = []
    for item in items:
        entry = dict(item)
        withdrawn = int(entry.get("withdrawnAtBlock", 0) or 0)
        reason = int(entry.get("withdrawReason", 0) or 0)
        entry["withdrawn"] = withdrawn != 0
        entry["withdrawReasonName"] = (
            Reason(reason).cli_name if withdrawn and reason in Reason._value2member_map_ else None
        )
        entry["standing"] = not withdrawn and entry.get("result") in POSITIVE_RESULTS
        row = session.get(AttestationReportRow, (declaration_id, str(entry["reportHash"])))
        if row is None:
            entry["reportCheck"] = "unknown"
        else:
            try:
                report = json.loads(row.report)
            except ValueError:
                report = None  # the kept text is not JSON any more: check_report says so
            check = check_report(report, entry, digest)
            entry["reportCheck"] = "ok" if check.ok else f"failed: {check.detail}"
            if check.ok:
                entry.update(standard=report["standard"], scope=report["scope"], findings=list(report["findings"]))
        listed.append(entry)
    return listed


def stands(items: Sequence[dict[str, Any]]) -> bool:
    """Does any attestation stand: a verified or qualified result that is not withdrawn?"""
    return any(item.get("result") in POSITIVE_RESULTS and not item.get("withdrawnAtBlock") for item in items)
