"""Verification of one declaration end to end, with a named result for every check.

Checks, in order: the envelope (schema, canonical digest, message fields), the signature, the EIP-712 domain
(this chain, this contract: the verifier's trusted deployment), the Merkle proof against the anchored root, the
declarant key (active, and its organization not suspended, at the anchoring block), the on-chain status (not
revoked or superseded: read from the chain only; a successor this ledger holds is a hint, not a verdict) and the
validity period at the verifier's date; then, for information, the attestations and labels of the digest.

Only authenticated facts are reported as such: the declaration id and digest are set once the signature is
checked (for a disclosure, the id only when ``/id`` is revealed), block and status come from the chain.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from ledger.canonical import hex32, unhex32
from ledger.chain_port import ChainPort, LeafState
from ledger.codes import DeclarationStatus, Reason
from ledger.declarations.disclosure import PRODUCT_IDS_POINTER, digest_of_disclosure, product_id_hash
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
    outcome: str = ""  # what a failure means when it is not INVALID: REVOKED, SUPERSEDED, EXPIRED, NOT-YET-VALID


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

    @property
    def verdict(self) -> str:
        """VALID; REVOKED, SUPERSEDED, EXPIRED or NOT-YET-VALID for a genuine declaration no longer (or not yet)
        current; INVALID for anything else (tampering, wrong deployment, malformed document)."""
        if self.valid:
            return "VALID"
        failure = self.first_failure
        return failure.outcome if failure is not None and failure.outcome else "INVALID"

    def add(self, name: str, ok: bool | None, detail: str, outcome: str = "") -> bool:
        """Record a check; return `ok is True`."""
        self.checks.append(Check(name, ok, detail, outcome if ok is False else ""))
        return ok is True

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready report."""
        failure = self.first_failure
        return {
            "valid": self.valid,
            "verdict": self.verdict,
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
    as_of: int | None = None,
) -> VerificationReport:
    """Verify a full envelope (payload + salts + signature) against `chain` (validity at `as_of`, default now)."""
    report = VerificationReport(declaration_id=None, digest=None)
    try:
        opened = open_envelope(envelope)
    except LedgerError as exc:
        report.add("envelope", False, f"{type(exc).__name__}: {exc}")
        return skip_rest(report, CHAIN_CHECKS)
    report.declaration_id, report.digest = opened.id, hex32(opened.digest)
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
        as_of=as_of,
    )


CHAIN_CHECKS = ("signature", "domain", "anchor", "key", "status", "validity")


def verify_disclosure(bundle: dict[str, Any], chain: ChainPort, *, as_of: int | None = None) -> VerificationReport:
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
        revealed = {str(path): item["value"] for path, item in bundle["disclosure"]["revealed"].items()}
        signature = bytes.fromhex(bundle["signature"][2:])
        claim = AnchorClaim(
            bytes.fromhex(bundle["anchor"]["root"][2:]), [bytes.fromhex(p[2:]) for p in bundle["anchor"]["proof"]]
        )
    except (LedgerError, KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        report.add("disclosure", False, f"malformed disclosure: {type(exc).__name__}: {exc}")
        return skip_rest(report, CHAIN_CHECKS)
    if digest != message.digest:
        report.add(
            "disclosure",
            False,
            f"revealed fields and commitments hash to {hex32(digest)}, but the signature "
            f"covers {hex32(message.digest)}: a revealed value or salt was altered",
        )
        return skip_rest(report, CHAIN_CHECKS)
    product_note = _product_id_binding(bundle["disclosure"], message)
    if product_note is not None and product_note.startswith("FAIL"):
        report.add("disclosure", False, product_note[5:])
        return skip_rest(report, CHAIN_CHECKS)
    report.add("disclosure", True, f"{len(revealed)} revealed field(s) match the signed digest")
    try:
        signer = recover_signer(domain, message, signature)
    except LedgerError as exc:
        signer = f"nothing ({exc})"
    if not report.add("signature", signer == message.declarant, f"signature recovers to {signer}"):
        return skip_rest(report, CHAIN_CHECKS[1:])
    # authenticated from here: the digest is signed; the id only when /id is among the revealed fields
    report.info["revealed"] = revealed
    if product_note:
        report.info["productIdHash"] = product_note
    report.digest = hex32(digest)
    report.declaration_id = str(revealed["/id"]) if "/id" in revealed else None
    return _chain_checks(report, domain, message, _revealed_org(revealed), claim, chain, as_of=as_of)


def _product_id_binding(disclosure: dict[str, Any], message: SignedDeclarationMessage) -> str | None:
    """When /productIds is revealed, check the signed productIdHash against it (salted v2 or bare v1)."""
    item = disclosure["revealed"].get(PRODUCT_IDS_POINTER)
    if item is None:
        return None
    try:
        product_id = str(item["value"][0])
        salted = product_id_hash(product_id, unhex32(item["salt"], what="salt of /productIds"))
    except (LedgerError, KeyError, TypeError, IndexError) as exc:
        return f"FAIL revealed /productIds is malformed: {exc}"
    if message.product_id_hash == salted:
        return "salted: the signed productIdHash matches the revealed product id"
    if message.product_id_hash == product_id_hash(product_id, None):
        return "bare (envelope type /1): the product id can be confirmed by guessing, even when not revealed"
    return f"FAIL the signed productIdHash does not match the revealed product id {product_id!r}"


def _revealed_org(revealed: dict[str, Any]) -> str:
    """The declaring organization, when the disclosure reveals the Tanji extension (else '': not checked)."""
    for path, value in revealed.items():
        if path.startswith("/extensions/") and isinstance(value, dict):
            declarant = value.get("data", {}).get("declarant") if isinstance(value.get("data"), dict) else None
            if isinstance(declarant, dict) and isinstance(declarant.get("org"), str):
                return str(declarant["org"])
    return ""


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
    as_of: int | None = None,
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
        f"verifying against chain {expected.chain_id} / {expected.verifying_contract} (the trusted deployment)",
    ):
        return skip_rest(report, CHAIN_CHECKS[2:])
    leaf = declaration_leaf(message.digest, message.declarant)
    if claim is None:
        report.add("anchor", False, "not anchored yet (no batch and proof recorded); run `tanji anchor flush`")
        return skip_rest(report, CHAIN_CHECKS[3:])
    proof_ok = verify_proof(claim.root, leaf, claim.proof)
    block = anchored_block if anchored_block is not None else chain.anchored_block(claim.root)
    if not report.add(
        "anchor",
        proof_ok and block is not None,
        f"proof {'links' if proof_ok else 'does NOT link'} leaf {hex32(leaf)} to root {hex32(claim.root)}"
        f"; root {'anchored in block ' + str(block) if block is not None else 'NOT anchored on chain'}",
    ):
        return skip_rest(report, CHAIN_CHECKS[3:])
    assert block is not None
    window = chain.key_window(message.declarant)
    org_ok = not org or window.org_id == _org_id(org)
    usable = window.active_at(block) and chain.was_key_usable_at(message.declarant, block)
    report.add(
        "key",
        org_ok and usable,
        f"key {message.declarant} of org 0x{window.org_id.hex()[:16]}… active from block {window.added_at_block}"
        + (f" until {window.retired_at_block}" if window.retired_at_block else "")
        + f"; anchored at {block}"
        + ("" if usable else "; NOT usable then (key inactive or its organization suspended at that block)")
        + ("" if org_ok else f"; but the declaration names organization {org!r}"),
    )
    state = leaf_state or chain.leaf_states([leaf])[0]
    outcome = ""
    if state.status == DeclarationStatus.REVOKED:
        status_ok, outcome = False, "REVOKED"
        detail = (
            f"REVOKED at block {state.changed_at_block} by {state.changed_by} "
            f"(reason {state.reason}: {_reason_text(state.reason)})"
        )
    elif state.status == DeclarationStatus.SUPERSEDED:
        status_ok, outcome = False, "SUPERSEDED"
        detail = (
            f"SUPERSEDED on chain at block {state.changed_at_block} by declaration digest 0x{state.successor.hex()}"
        )
    else:
        status_ok, detail = True, "not revoked or superseded on chain"
        if successors:  # the store's hint only: the chain decides
            detail += f" (this ledger holds successor {', '.join(successors)}, pending on-chain supersession)"
            report.info["pendingSuccessors"] = list(successors)
    report.add("status", status_ok, detail, outcome)
    _validity(report, message, as_of)
    try:
        report.info["attestations"] = chain.attestations(message.digest)
        report.info["labels"] = chain.labels(message.digest)
    except ChainRejectedError as exc:
        report.info["attestations"] = f"unavailable: {exc}"
    return report


def _validity(report: VerificationReport, message: SignedDeclarationMessage, as_of: int | None) -> None:
    """The signed validity period against the verifier's date: EXPIRED or NOT-YET-VALID, never tampering."""
    moment = int(time.time()) if as_of is None else as_of
    period = f"valid {_date(message.valid_from)} to {_date(message.valid_until) if message.valid_until else 'open end'}"
    if message.valid_until and moment >= message.valid_until:
        report.add("validity", False, f"EXPIRED as of {_date(moment)}: {period}", "EXPIRED")
    elif moment < message.valid_from:
        report.add("validity", False, f"NOT YET VALID as of {_date(moment)}: {period}", "NOT-YET-VALID")
    else:
        report.add("validity", True, f"{period}; checked as of {_date(moment)}")


def _date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _reason_text(code: int) -> str:
    try:
        return Reason(code).text
    except ValueError:
        return "?"


def skip_rest(report: VerificationReport, names: tuple[str, ...]) -> VerificationReport:
    """Record the checks `names` as not run (an earlier check failed)."""
    for name in names:
        report.add(name, None, "not checked: an earlier check failed")
    return report
