"""The Tanji proof extension: what a PACT client needs to verify a served footprint on chain, trusting no server.

A footprint served over PACT is the declarant's signed ProductFootprint with one more data-model extension
appended (the extensions it was signed with keep their positions)::

    {"specVersion": "2.0.0", "dataSchema": TANJI_PROOF_SCHEMA, "data": {
        "declarationId", "digest", "salts": {pointer: 0x..}, "eip712": {"domain", "message"}, "signature",
        "anchor": {"root", "proof": [0x..], "leaf", "block", "txHash"},
        "chain": {"chainId", "ledger", "attestations", "labels"},
        "status": "anchored" | "revoked" | "superseded",
        "signedValues": {pointer: value}     fields the host changed since signing (only /status: Deprecated)
    }}

A verifier removes the proof extension, puts back ``signedValues``, recomputes the digest from the payload and
salts, recovers the EIP-712 signer, checks the Merkle proof against the anchored root and reads the status from
the chain it trusts (its own published deployment, never the ``chain`` stated here).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ledger.declarations.envelope import ENVELOPE_TYPE
from ledger.errors import DeclarationError

TANJI_PROOF_SCHEMA = "https://schemas.tanji.dev/extensions/proof/1.0.0/data-model.json"
_STATUS_POINTER = "/status"


def attach_proof(
    envelope: Mapping[str, Any],
    *,
    declaration_id: str,
    anchor: Mapping[str, Any],
    chain: Mapping[str, Any],
    status: str,
    pact_status: str,
) -> dict[str, Any]:
    """The served footprint: the signed payload with PACT status `pact_status` and the proof extension appended."""
    payload: dict[str, Any] = copy.deepcopy(dict(envelope["payload"]))
    signed_values: dict[str, Any] = {}
    if payload.get("status") != pact_status:
        signed_values[_STATUS_POINTER] = payload.get("status")
        payload["status"] = pact_status
    data = {
        "declarationId": declaration_id,
        "digest": envelope["digest"],
        "salts": dict(envelope["salts"]),
        "eip712": copy.deepcopy(envelope["eip712"]),
        "signature": envelope["signature"],
        "anchor": dict(anchor),
        "chain": dict(chain),
        "status": status,
        "signedValues": signed_values,
    }
    extension = {"specVersion": "2.0.0", "dataSchema": TANJI_PROOF_SCHEMA, "data": data}
    payload["extensions"] = [*(payload.get("extensions") or []), extension]
    return payload


def proof_of(footprint: Mapping[str, Any]) -> dict[str, Any]:
    """The proof extension's data; DeclarationError when the footprint carries none (or more than one)."""
    extensions = footprint.get("extensions")
    proofs = [
        ext
        for ext in (extensions if isinstance(extensions, list) else [])
        if isinstance(ext, dict) and ext.get("dataSchema") == TANJI_PROOF_SCHEMA
    ]
    if len(proofs) != 1 or not isinstance(extensions, list) or extensions[-1] is not proofs[0]:
        raise DeclarationError(
            f"the footprint carries {len(proofs)} Tanji proof extension(s); a footprint served by Tanji carries "
            f"exactly one, last among its extensions ({TANJI_PROOF_SCHEMA})"
        )
    data = proofs[0].get("data")
    if not isinstance(data, dict):
        raise DeclarationError("the Tanji proof extension has no data object")
    return data


def signed_envelope(footprint: Mapping[str, Any]) -> dict[str, Any]:
    """The signed declaration envelope a served footprint was made from (payload exactly as signed)."""
    data = proof_of(footprint)
    payload: dict[str, Any] = copy.deepcopy(dict(footprint))
    payload["extensions"] = payload["extensions"][:-1]
    if not payload["extensions"]:
        del payload["extensions"]
    signed_values = data.get("signedValues") or {}
    if not isinstance(signed_values, dict) or set(signed_values) - {_STATUS_POINTER}:
        raise DeclarationError(f"signedValues may only restore {_STATUS_POINTER}; got {sorted(signed_values)}")
    if _STATUS_POINTER in signed_values:
        payload["status"] = signed_values[_STATUS_POINTER]
    try:
        return {
            "type": ENVELOPE_TYPE,
            "payload": payload,
            "salts": dict(data["salts"]),
            "digest": data["digest"],
            "eip712": data["eip712"],
            "signature": data["signature"],
        }
    except (KeyError, TypeError) as exc:
        raise DeclarationError(f"the Tanji proof extension lacks {exc}; it cannot be verified") from None
