"""Request and response bodies of the audit routes (/v1/audits, attestation reports)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from api.http.native_schemas import ADDRESS, HANDLE, StrictModel
from api.http.schemas import CamelModel


class AssignmentCreate(StrictModel):
    """Assign an auditor organization to one of the caller's declarations."""

    declaration: str = Field(min_length=1, max_length=128, description="declaration id or digest")
    auditor: str = Field(min_length=1, max_length=128, pattern=HANDLE, description="auditor organization handle")


class AssignmentPublic(CamelModel):
    """One auditor assigned to one declaration."""

    declaration_id: str
    digest: str
    product_id: str
    declarant: str
    auditor: str
    assigned_by: str
    assigned_at: datetime


class AssignmentList(CamelModel):
    """Assignments, newest first."""

    items: list[AssignmentPublic]


class AuditWorkPublic(CamelModel):
    """What an assigned auditor checks in a declaration: evidence, factors, the arithmetic re-run, attestations."""

    declaration_id: str
    digest: str
    product_id: str
    declarant: str
    computed: bool = Field(description="a computed (rolled-up) footprint: the arithmetic is the full audit")
    evidence: list[dict[str, str]]
    emission_factors: list[dict[str, str]]
    arithmetic: dict[str, Any]
    attestations: list[dict[str, Any]]


class ReportCreate(StrictModel):
    """The terms of an attestation the caller's auditor key is about to sign (through POST /v1/transactions)."""

    auditor: str = Field(pattern=ADDRESS, description="the auditor key that will sign the attestation")
    result: Literal["verified", "qualified", "rejected"]
    assurance: Literal["limited", "reasonable"]
    standard: str = Field(min_length=1, max_length=64, examples=["ISO 14064-3", "ISO 14067"])
    scope: str = Field(min_length=1, max_length=4000)
    findings: list[str] = Field(default_factory=list, max_length=200)
    document_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class ReportPublic(CamelModel):
    """The canonical report kept by the ledger and the reportHash to record on chain."""

    declaration_id: str
    report_hash: str
    report: dict[str, Any]
