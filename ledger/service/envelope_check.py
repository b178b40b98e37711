"""What an ingest worker hands back for one envelope: the checked facts and the bytes to store (small to pickle)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ledger.canonical import hex32
from ledger.declarations.envelope import open_envelope
from ledger.errors import LedgerError
from ledger.merkle import declaration_leaf


@dataclass(frozen=True)
class Opened:
    """A checked envelope: digest and signature verified, schema and extension valid."""

    id: str
    digest: str
    leaf: str
    declarant: str
    org: str
    product_id: str
    version: int
    preceding_ids: tuple[str, ...]
    nonce: str
    signature: str
    chain_id: int
    contract: str
    valid_from: int
    valid_until: int
    warnings: tuple[str, ...]
    plaintext: bytes  # the envelope as stored (encrypted later, in the storing process)
    supersessions: tuple[tuple[str, str], ...] = ()  # (predecessor digest, consent signature), checked


def open_for_ingest(raw: str | bytes) -> Opened | str:
    """Open and check one envelope; the error text when it is refused."""
    try:
        item = open_envelope(raw)
    except LedgerError as exc:
        return f"{type(exc).__name__}: {exc}"
    message = {**item.message.as_dict(), "nonce": str(item.message.nonce)}
    envelope = {
        "type": item.envelope_type,
        "payload": item.payload,
        "salts": item.salts,
        "signature": "0x" + item.signature.hex(),
        "eip712": {"domain": item.domain.as_dict(), "message": message},
    }
    return Opened(
        id=item.id,
        digest=hex32(item.digest),
        leaf=hex32(declaration_leaf(item.digest, item.message.declarant)),
        declarant=item.message.declarant,
        org=item.extension.declarant_org,
        product_id=item.product_id,
        version=item.message.version,
        preceding_ids=item.preceding_ids,
        nonce=str(item.message.nonce),
        signature="0x" + item.signature.hex(),
        chain_id=item.domain.chain_id,
        contract=item.domain.verifying_contract,
        valid_from=item.message.valid_from,
        valid_until=item.message.valid_until,
        warnings=tuple(str(w) for w in item.warnings),
        plaintext=json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        supersessions=tuple((hex32(c.predecessor), "0x" + c.signature.hex()) for c in item.supersessions),
    )


def open_all(raws: list[str | bytes]) -> list[Opened | str]:
    """Open a chunk (one worker task)."""
    return [open_for_ingest(raw) for raw in raws]
