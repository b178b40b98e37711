"""Verification of one declaration end to end, with a named result for every check.

Checks, in order: the envelope (schema, canonical digest, message fields), the signature, the EIP-712 domain
(this chain, this contract), the declarant key (active for its organization when anchored), the Merkle proof
against the anchored root, the on-chain status (not revoked or superseded) and the off-chain successors; then,
for information, the auditor attestations of the digest.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from ledger.canonical import hex32
from ledger.chain_port import ChainPort, LeafState
from ledger.codes import DeclarationStatus, Reason
from ledger.declarations.disclosure import digest_of_disclosure
from ledger.declarations.envelope import open_envelope
from ledger.errors import ChainRejectedError, LedgerError
from ledger.merkle import declaration_leaf, verify_proof
from ledger.organizations import org_id
from ledger.signing import SignedDeclarationMessage, SigningDomain, recover_signer

_org_id = lru_cache(maxsize=1_024)(org_id)  # the same few organizations recur across a bulk verification


@dataclass
class Check:
    """One named check: ok True/False, or None when it could not run (an earlier check failed)."""

    name: str
    ok: bool | None
    detail: str


@dataclass
class VerificationReport:
    """All checks of one declaration; `valid` only when every check passed."""

    declaration_id: str | None
    digest: str | None
    checks: list[Check] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """True when every check ran and passed."""
        return bool(self.checks) and all(check.ok is True for check in self.checks)

    @property
    def first_failure(self) -> Check | None:
        """The first check that failed."""
        return next((check for check in self.checks if check.ok is False), None)

    def add(self, name: str, ok: bool | None, detail: str) -> bool:
        """Record a check; return `ok is True`."""
        self.checks.append(Check(name, ok, detail))
        return ok is True

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready report."""
        failure = self.first_failure
        return {
            "valid": self.valid,
            "declarationId": self.declaration_id,
            "digest": self.digest,
            "firstFailure": None if failure is None else asdict(failure),
            "checks": [asdict(c) for c in self.checks],
            "info": self.info,
        }


@dataclass(frozen=True)
class AnchorClaim:
    """Where a declaration is said to be anchored."""

    root: bytes
    proof: list[bytes]


def verify_envelope(
    envelope: dict[str, Any],
    claim: AnchorClaim | None,
    chain: ChainPort,
    *,
    successors: list[str] | None = None,
    anchored_block: int | None = None,
    leaf_state: LeafState | None = None,
) -> VerificationReport:
    """Verify a full envelope (payload + salts + signature) against `chain`."""
    report = VerificationReport(declaration_id=_get(envelope, "payload", "id"), digest=envelope.get("digest"))
    try:
        opened = open_envelope(envelope)
    except LedgerError as exc:
        report.add("envelope", False, f"{type(exc).__name__}: {exc}")
        return _skip_rest(report, ("signature", "domain", "key", "anchor", "status"))
    report.digest = hex32(opened.digest)
    report.add("envelope", True, "PACT v3 schema, Tanji extension and signed fields agree; digest recomputed")
    report.add("signature", True, f"EIP-712 signature recovers to the declarant {opened.message.declarant}")
    return _chain_checks(
        report,
        opened.domain,
        opened.message,
        opened.extension.declarant_org,
        claim,
        chain,
        successors=successors,
        anchored_block=anchored_block,
        leaf_state=leaf_state,
    )


def verify_disclosure(bundle: dict[str, Any], chain: ChainPort) -> VerificationReport:
    """Verify a selective disclosure: revealed fields re-committed, digest, signature, anchor and status."""
    report = VerificationReport(declaration_id=None, digest=None)
    try:
        digest = digest_of_disclosure(bundle["disclosure"])
        domain = SigningDomain(
            int(bundle["eip712"]["domain"]["chainId"]), bundle["eip712"]["domain"]["verifyingContract"]
        )
        m = bundle["eip712"]["message"]
        message = SignedDeclarationMessage(
            digest=bytes.fromhex(m["digest"][2:]),
            declarant=m["declarant"],
            product_id_hash=bytes.fromhex(m["productIdHash"][2:]),
            version=int(m["version"]),
            valid_from=int(m["validFrom"]),
            valid_until=int(m["validUntil"]),
            nonce=int(m["nonce"]),
        )
    except (LedgerError, KeyError, TypeError, ValueError) as exc:
        report.add("disclosure", False, f"malformed disclosure: {exc}")
        return _skip_rest(report, ("signature", "domain", "key", "anchor", "status"))
    report.digest = hex32(digest)
    if digest != message.digest:
        report.add(
            "disclosure",
            False,
            f"revealed fields and commitments hash to {hex32(digest)}, but the signature "
            f"covers {hex32(message.digest)}: a revealed value or salt was altered",
        )
        return _skip_rest(report, ("signature", "domain", "key", "anchor", "status"))
    report.add("disclosure", True, f"{len(bundle['disclosure']['revealed'])} revealed field(s) match the signed digest")
    report.info["revealed"] = {path: item["value"] for path, item in bundle["disclosure"]["revealed"].items()}
    try:
        signer = recover_signer(domain, message, bytes.fromhex(bundle["signature"][2:]))
    except LedgerError as exc:
        signer = f"nothing ({exc})"
    if not report.add("signature", signer == message.declarant, f"signature recovers to {signer}"):
        return _skip_rest(report, ("domain", "key", "anchor", "status"))
    claim = AnchorClaim(
        bytes.fromhex(bundle["anchor"]["root"][2:]), [bytes.fromhex(p[2:]) for p in bundle["anchor"]["proof"]]
    )
    return _chain_checks(report, domain, message, bundle.get("declarantOrg", ""), claim, chain)


def _chain_checks(
    report: VerificationReport,
    domain: SigningDomain,
    message: SignedDeclarationMessage,
    org: str,
    claim: AnchorClaim | None,
    chain: ChainPort,
    *,
    successors: list[str] | None = None,
    anchored_block: int | None = None,
    leaf_state: LeafState | None = None,
) -> VerificationReport:
    expected = chain.signing_domain
    same_domain = (domain.chain_id, domain.verifying_contract.lower()) == (
        expected.chain_id,
        expected.verifying_contract.lower(),
    )
    if not report.add(
        "domain",
        same_domain,
        f"signed for chain {domain.chain_id} / {domain.verifying_contract}; "
        f"verifying against chain {expected.chain_id} / {expected.verifying_contract}",
    ):
        return _skip_rest(report, ("key", "anchor", "status"))
    leaf = declaration_leaf(message.digest, message.declarant)
    if claim is None:
        report.add("anchor", False, "not anchored yet (no batch and proof recorded); run `tanji anchor flush`")
        return _skip_rest(report, ("key", "status"))
    proof_ok = verify_proof(claim.root, leaf, claim.proof)
    block = anchored_block if anchored_block is not None else chain.anchored_block(claim.root)
    if not report.add(
        "anchor",
        proof_ok and block is not None,
        f"proof {'links' if proof_ok else 'does NOT link'} leaf {hex32(leaf)} to root {hex32(claim.root)}"
        f"; root {'anchored in block ' + str(block) if block is not None else 'NOT anchored on chain'}",
    ):
        return _skip_rest(report, ("key", "status"))
    assert block is not None
    window = chain.key_window(message.declarant)
    org_ok = not org or window.org_id == _org_id(org)
    report.add(
        "key",
        org_ok and window.active_at(block),
        f"key {message.declarant} of org 0x{window.org_id.hex()[:16]}… active from block {window.added_at_block}"
        + (f" until {window.retired_at_block}" if window.retired_at_block else "")
        + f"; anchored at {block}"
        + ("" if org_ok else f"; but the declaration names organization {org!r}"),
    )
    state = leaf_state or chain.leaf_states([leaf])[0]
    if state.status == DeclarationStatus.REVOKED:
        status_ok, detail = (
            False,
            (
                f"REVOKED at block {state.changed_at_block} by {state.changed_by} "
                f"(reason {state.reason}: {_reason_text(state.reason)})"
            ),
        )
    elif state.status == DeclarationStatus.SUPERSEDED:
        status_ok, detail = False, f"SUPERSEDED on chain at block {state.changed_at_block} by 0x{state.successor.hex()}"
    elif successors:
        status_ok, detail = False, f"SUPERSEDED by signed successor(s) {', '.join(successors)}"
    else:
        status_ok, detail = True, "not revoked or superseded"
    report.add("status", status_ok, detail)
    try:
        report.info["attestations"] = chain.attestations(message.digest)
        report.info["labels"] = chain.labels(message.digest)
    except ChainRejectedError as exc:
        report.info["attestations"] = f"unavailable: {exc}"
    return report


def _reason_text(code: int) -> str:
    try:
        return Reason(code).text
    except ValueError:
        return "?"


def _skip_rest(report: VerificationReport, names: tuple[str, ...]) -> VerificationReport:
    for name in names:
        report.add(name, None, "not checked: an earlier check failed")
    return report


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data
