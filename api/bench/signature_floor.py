"""The signature floor: how many declarations per second signature recovery alone would allow.

Ingest and verification each recover one EIP-712 signature per declaration, with the same call
(`ledger.signing.recover_hash_signer`: libsecp256k1 through coincurve, then the signer's address). Nothing can
go faster than that call on every worker, so throughput is reported as a ratio to it, measured in the same run:
absolute rates differ several times between machines, the ratio much less.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from ledger.signing import SignedDeclarationMessage, SigningDomain, recover_hash_signer, signing_hash

METHOD = (
    "ecrecover per second on one core (ledger.signing.recover_hash_signer on distinct EIP-712 declaration "
    "digests, the call ingest and verify make; median of the rounds) times the worker processes used"
)


def signed_digests(count: int, domain: SigningDomain) -> tuple[str, list[tuple[bytes, bytes]]]:
    """(signer, [(EIP-712 digest, 65-byte signature)]) for `count` distinct random declarations."""
    from coincurve import PrivateKey

    from ledger.addresses import checksum
    from ledger.hashing import keccak256

    key = PrivateKey()
    signer = checksum(keccak256(key.public_key.format(compressed=False)[1:])[-20:])
    return signer, [_sign(key, domain, _message(signer, nonce)) for nonce in range(count)]


def _message(declarant: str, nonce: int) -> SignedDeclarationMessage:
    return SignedDeclarationMessage(
        digest=os.urandom(32),
        declarant=declarant,
        product_id_hash=os.urandom(32),
        version=1,
        valid_from=0,
        valid_until=0,
        nonce=nonce,
    )


def _sign(key: Any, domain: SigningDomain, message: SignedDeclarationMessage) -> tuple[bytes, bytes]:
    digest = signing_hash(domain, message)
    signature = key.sign_recoverable(digest, hasher=None)  # libsecp256k1 signs in low-s form
    return digest, signature[:64] + bytes([signature[64] + 27])


def recoveries_per_second(signatures: list[tuple[bytes, bytes]], signer: str) -> float:
    """One timed pass of `recover_hash_signer` over `signatures` on this core; each must recover `signer`."""
    started = time.perf_counter()
    for digest, signature in signatures:
        if recover_hash_signer(digest, signature) != signer:
            raise RuntimeError("signature floor: a recovery returned the wrong signer")
    return len(signatures) / (time.perf_counter() - started)


def measure(workers: int, *, signatures: int = 1_000, rounds: int = 5) -> dict[str, Any]:
    """The floor for `workers` processes: the median single-core recovery rate of `rounds` passes, times workers."""
    if workers < 1 or signatures < 1 or rounds < 1:
        raise ValueError(f"workers {workers}, signatures {signatures} and rounds {rounds} must all be at least 1")
    domain = SigningDomain(chain_id=1, verifying_contract="0x" + "11" * 20)
    signer, signed = signed_digests(signatures, domain)
    per_core = statistics.median(recoveries_per_second(signed, signer) for _ in range(rounds))
    return {
        "floor_per_s": round(per_core * workers, 1),
        "per_core_per_s": round(per_core, 1),
        "workers": workers,
        "method": METHOD,
    }
