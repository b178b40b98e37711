"""Portable proof bundles: everything needed to verify one declaration against the chain, without Tanji's
database. A bundle carries the full envelope, or (selective disclosure) only the chosen fields with their salts
and the other fields' commitments.

A bundle's ``chain`` section (chain id and contract addresses) is a claim, never a trust anchor: it is verified
against the deployment the verifier trusts (its workspace's, or a ``--trust`` file published by the consortium
operator), and a bundle naming other contracts is INVALID. Its ``declarationId`` and ``anchor.block``/``txHash``
are labels for humans; verification reports only what the signature, the Merkle proof and the chain establish."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from ledger.chain_port import ChainPort, TrustAnchors
from ledger.declarations.disclosure import disclose, split_fields
from ledger.errors import DeclarationError, DeclarationNotAnchoredError
from ledger.service.ingest import decrypt_envelope
from ledger.service.verify import (
    CHAIN_CHECKS,
    AnchorClaim,
    VerificationReport,
    skip_rest,
    verify_disclosure,
    verify_envelope,
)
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
        }
    )
    if envelope.get("type", "tanji.signed-declaration/1").endswith("/1"):
        bundle["disclosure"]["notice"] = (
            "signed before product id salting (envelope type /1): the signed productIdHash is the bare hash of "
            "the product id, so the product id can be confirmed by guessing even when it is not revealed"
        )
    return bundle


def verify_bundle(
    bundle: dict[str, Any], chain: ChainPort, anchors: TrustAnchors, *, as_of: int | None = None
) -> VerificationReport:
    """Verify a bundle against `chain`, the deployment `anchors` the verifier trusts (never the bundle's own)."""
    report = VerificationReport(declaration_id=None, digest=None)
    if not isinstance(bundle, dict) or bundle.get("type") != BUNDLE_TYPE:
        kind = bundle.get("type") if isinstance(bundle, dict) else type(bundle).__name__
        report.add("bundle", False, f"not a Tanji proof bundle (type {kind!r}); export one with `tanji proof export`")
        return skip_rest(report, ("deployment", *CHAIN_CHECKS))
    if not report.add("deployment", *_same_deployment(bundle.get("chain"), anchors)):
        return skip_rest(report, CHAIN_CHECKS)
    if "disclosure" in bundle:
        inner = verify_disclosure(bundle, chain, as_of=as_of)
    else:
        try:
            anchor = bundle["anchor"]
            claim = AnchorClaim(bytes.fromhex(anchor["root"][2:]), [bytes.fromhex(p[2:]) for p in anchor["proof"]])
            envelope = bundle["envelope"]
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            report.add("bundle", False, f"malformed bundle anchor or envelope: {type(exc).__name__}: {exc}")
            return skip_rest(report, CHAIN_CHECKS)
        inner = verify_envelope(envelope, claim, chain, as_of=as_of)
    inner.checks[:0] = report.checks
    return inner


def _same_deployment(claimed: Any, anchors: TrustAnchors) -> tuple[bool, str]:
    """Does the bundle's chain section name the trusted deployment? (ok, detail)"""
    trusted = f"chain {anchors.chain_id}, ledger {anchors.ledger}"
    if claimed is None:
        return True, f"the bundle names no deployment; verified against the trusted one ({trusted})"
    try:
        named = (
            int(claimed["chainId"]),
            str(claimed["ledger"]).lower(),
            str(claimed["attestations"]).lower(),
            str(claimed["labels"]).lower(),
        )
    except (KeyError, TypeError, ValueError) as exc:
        return False, f"the bundle's chain section is malformed ({type(exc).__name__}: {exc})"
    expected = (anchors.chain_id, anchors.ledger.lower(), anchors.attestations.lower(), anchors.labels.lower())
    if named != expected:
        fields = ("chainId", "ledger", "attestations", "labels")
        differing = ", ".join(f"{f} {n}" for f, n, e in zip(fields, named, expected, strict=True) if n != e)
        return False, (
            f"the bundle names another deployment ({differing}) than the one trusted here ({trusted}); a bundle is "
            "verified only against the consortium's published contracts (--trust FILE)"
        )
    return True, f"the bundle names the trusted deployment ({trusted})"


def export_proof(
    session: Session, keyring: Keyring, key: str, anchors: TrustAnchors, *, reveal: list[str] | None = None
) -> tuple[DeclarationRow, dict[str, Any]]:
    """The proof bundle of declaration `key` (id or digest) on the deployment `anchors`: (row, bundle)."""
    row = repository.require_declaration(session=session, key=key)
    return row, export_bundle(session, keyring, row, anchors.as_dict(), reveal=reveal)
