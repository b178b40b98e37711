"""The supply chain as this ledger holds it: anchored declarations (decrypted), their current status (superseded
by a signed successor, revoked on chain) and secondary factors, ready for the roll-up."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from ledger.chain_port import ChainPort
from ledger.codes import DeclarationStatus
from ledger.confidentiality import decrypt, payload_context
from ledger.graph.model import DeclaredProduct
from ledger.service.attestation_reports import stands
from ledger.storage.keyring import Keyring
from ledger.storage.tables import DeclarationRow


def stored_payload(session: Session, keyring: Keyring, row: DeclarationRow) -> dict[str, Any]:
    """The declaration payload of a stored row (decrypted, authenticated)."""
    key = keyring.get(session, row.org_handle, row.key_version)
    envelope = json.loads(decrypt(key, row.cipher_nonce, row.ciphertext, context=payload_context(row.id, row.digest)))
    payload: dict[str, Any] = envelope["payload"]
    return payload


def load_declared_products(session: Session, keyring: Keyring, chain: ChainPort) -> list[DeclaredProduct]:
    """Every anchored declaration as a roll-up node, with status active, superseded or revoked, and for the active
    ones whether a standing positive attestation covers them (the verified share of the roll-up)."""
    rows = list(session.exec(select(DeclarationRow).where(col(DeclarationRow.status) == "anchored")).all())
    leaves = [bytes.fromhex(row.leaf[2:]) for row in rows]
    states = chain.leaf_states(leaves) if rows else []
    products = []
    for row, state in zip(rows, states, strict=True):
        superseded = state.status == DeclarationStatus.SUPERSEDED or row.superseded_by is not None
        status = "revoked" if state.status == DeclarationStatus.REVOKED else "superseded" if superseded else "active"
        verified = status == "active" and stands(chain.attestations(bytes.fromhex(row.digest[2:])))
        payload = stored_payload(session, keyring, row)
        products.append(DeclaredProduct.from_payload(payload, digest=row.digest, status=status, verified=verified))
    return products
