"""Portable proof bundles: everything needed to verify one declaration against the chain, without Tanji's
database. A bundle carries the full envelope, or (selective disclosure) only the chosen fields with their salts
and the other fields' commitments."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from ledger.chain_port import ChainPort, TrustAnchors
from ledger.declarations.disclosure import disclose, split_fields
from ledger.errors import DeclarationError, DeclarationNotAnchoredError
from ledger.service.ingest import decrypt_envelope
from ledger.service.verify import AnchorClaim, VerificationReport, verify_disclosure, verify_envelope
from ledger.storage import repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import BatchRow, DeclarationRow

BUNDLE_TYPE = "tanji.proof-bundle/1"


def field_pointer(name: str, fields: dict[str, Any]) -> str:
    """Resolve a field name (``pcfExcludingBiogenicUptake``) or pointer (``/pcf/...``) against the payload."""
    if name.startswith("/"):
        return name
    for candidate in (f"/{name}", f"/pcf/{name}"):
        if candidate in fields:
            return candidate
    raise DeclarationError(f"the declaration has no field {name!r}; fields: {', '.join(sorted(fields))}")


def export_bundle(
    session: Session, keyring: Keyring, row: DeclarationRow, chain: dict[str, Any], *, reveal: list[str] | None = None
) -> dict[str, Any]:
    """Build the bundle of an anchored declaration (disclosing only `reveal` when given)."""
    if row.batch_id is None:
        raise DeclarationNotAnchoredError(
            f"declaration {row.id} is not anchored yet (status {row.status}); run `tanji anchor flush`"
        )
    batch = session.get(BatchRow, row.batch_id)
    assert batch is not None
    envelope = decrypt_envelope(session, keyring, row)
    bundle: dict[str, Any] = {
        "type": BUNDLE_TYPE,
        "chain": chain,
        "declarationId": row.id,
        "digest": row.digest,
        "anchor": {
            "root": batch.root,
            "proof": json.loads(row.proof or "[]"),
            "leaf": row.leaf,
            "block": batch.block_number,
            "txHash": batch.tx_hash,
        },
    }
    if reveal is None:
        bundle["envelope"] = envelope
        return bundle
    fields = split_fields(envelope["payload"])
    pointers = [field_pointer(name, fields) for name in reveal]
    bundle.update(
        {
            "disclosure": disclose(envelope["payload"], envelope["salts"], pointers),
            "eip712": envelope["eip712"],
            "signature": envelope["signature"],
            "declarantOrg": row.org_handle,
        }
    )
    return bundle


def verify_bundle(bundle: dict[str, Any], chain: ChainPort) -> VerificationReport:
    """Verify a bundle against `chain` (which must be the bundle's chain)."""
    if bundle.get("type") != BUNDLE_TYPE:
        raise DeclarationError(
            f"not a Tanji proof bundle (type {bundle.get('type')!r}); export one with "
            "`tanji proof export ID -o bundle.json`"
        )
    if "disclosure" in bundle:
        report = verify_disclosure(bundle, chain)
    else:
        anchor = bundle["anchor"]
        claim = AnchorClaim(bytes.fromhex(anchor["root"][2:]), [bytes.fromhex(p[2:]) for p in anchor["proof"]])
        report = verify_envelope(bundle["envelope"], claim, chain)
    report.declaration_id = report.declaration_id or bundle.get("declarationId")
    return report


def export_proof(
    session: Session, keyring: Keyring, key: str, anchors: TrustAnchors, *, reveal: list[str] | None = None
) -> tuple[DeclarationRow, dict[str, Any]]:
    """The proof bundle of declaration `key` (id or digest) on the deployment `anchors`: (row, bundle)."""
    row = repository.require_declaration(session=session, key=key)
    return row, export_bundle(session, keyring, row, anchors.as_dict(), reveal=reveal)
