"""The chain's raw answers in the ledger port's vocabulary, shared by the web3 adapter and the JSON-RPC reader
(so both report a leaf status, an attestation or a label the same way)."""

from __future__ import annotations

from typing import Any

from ledger.chain_port import LabelRecord, LeafState
from ledger.codes import Assurance, AttestationResult, DeclarationStatus, LabelStatus


def leaf_state_of(info: Any) -> LeafState:
    """The port's LeafState of a decoded LeafStatus struct."""
    return LeafState(
        DeclarationStatus(info.status), info.reason, info.changed_at_block, info.changed_by, info.successor
    )


def attestation_entry(index: int, row: Any) -> dict[str, Any]:
    """One attestation row (auditorOrg, auditor, result, assurance, block, reportHash, declarant, withdrawnAtBlock,
    withdrawReason) in the verification report's vocabulary."""
    return {
        "index": index,
        "auditorOrg": "0x" + bytes(row[0]).hex(),
        "auditor": row[1],
        "result": AttestationResult(int(row[2])).cli_name,
        "assurance": Assurance(int(row[3])).cli_name,
        "block": int(row[4]),
        "reportHash": "0x" + bytes(row[5]).hex(),
        "declarant": row[6],
        "withdrawnAtBlock": int(row[7]),
        "withdrawReason": int(row[8]),
    }


def label_record(raw: Any, status: LabelStatus) -> LabelRecord:
    """A decoded Label struct (labelOf) with its status now."""
    return LabelRecord(
        declaration_digest=bytes(raw[1]),
        product_id_hash=bytes(raw[0]),
        issuer_org=bytes(raw[2]),
        grade=bytes(raw[3]).rstrip(b"\0").decode(errors="replace"),
        valid_from=int(raw[4]),
        valid_until=int(raw[5]),
        status=status,
        terms_hash=bytes(raw[13]),
    )


def label_entry(serial: bytes, record: LabelRecord) -> dict[str, Any]:
    """One label in the verification report's vocabulary."""
    return {
        "serial": "0x" + serial.hex(),
        "grade": record.grade,
        "issuerOrg": "0x" + record.issuer_org.hex(),
        "validFrom": record.valid_from,
        "validUntil": record.valid_until,
        "status": record.status.text,
    }
