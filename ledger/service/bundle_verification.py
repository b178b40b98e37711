"""Verifying a proof bundle someone uploads, against the deployment this server trusts (never the bundle's own)."""

from __future__ import annotations

from typing import Any

from ledger.chain_port import ChainPort, TrustAnchors
from ledger.errors import LedgerError
from ledger.service.bundle import verify_bundle
from ledger.service.verify import VerificationReport


def _same_deployment(named: dict[str, Any], trusted: TrustAnchors) -> bool:
    expected = trusted.as_dict()
    try:
        return int(named.get("chainId", -1)) == expected["chainId"] and all(
            str(named.get(key, "")).lower() == str(expected[key]).lower()
            for key in ("ledger", "attestations", "labels")
        )
    except (TypeError, ValueError):
        return False


def verify_uploaded_bundle(bundle: dict[str, Any], chain: ChainPort, trusted: TrustAnchors) -> VerificationReport:
    """Verify `bundle` on `chain` (the trusted deployment); a bundle naming another deployment fails, and a
    malformed one is reported as such, never as an error of the server."""
    report = VerificationReport(declaration_id=bundle.get("declarationId"), digest=bundle.get("digest"))
    if not _same_deployment(bundle.get("chain") or {}, trusted):
        report.add(
            "deployment",
            False,
            f"the bundle names deployment {bundle.get('chain')}, this server trusts {trusted.as_dict()}; verify it "
            "against the consortium's published deployment",
        )
        return report
    try:
        verified = verify_bundle(bundle, chain)
        if verified.digest is not None and str(bundle.get("digest", "")).lower() != verified.digest.lower():
            verified.add(
                "digest", False, f"the bundle claims digest {bundle.get('digest')}, its content has {verified.digest}"
            )
        return verified
    except LedgerError as exc:
        report.add("bundle", False, f"{type(exc).__name__}: {exc}")
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:  # a malformed, untrusted document
        report.add("bundle", False, f"malformed bundle: {type(exc).__name__}: {exc}")
    return report
