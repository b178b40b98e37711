"""Verifying a proof bundle someone uploads, against the deployment this server trusts (never the bundle's own)."""

from __future__ import annotations

from typing import Any

from ledger.chain_port import ChainPort, TrustAnchors
from ledger.service.bundle import verify_bundle
from ledger.service.verify import VerificationReport


def verify_uploaded_bundle(bundle: dict[str, Any], chain: ChainPort, trusted: TrustAnchors) -> VerificationReport:
    """Verify `bundle` on `chain` (the trusted deployment): a bundle naming another deployment fails its
    `deployment` check, a malformed one is reported as such (never as an error of the server), and a bundle whose
    stated digest is not its content's fails a `digest` check."""
    verified = verify_bundle(bundle, chain, trusted)
    claimed = bundle.get("digest") if isinstance(bundle, dict) else None
    if verified.digest is not None and claimed is not None and str(claimed).lower() != verified.digest.lower():
        verified.add("digest", False, f"the bundle claims digest {claimed}, its content has {verified.digest}")
    return verified
