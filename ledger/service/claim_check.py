"""Bank claim checks (green finance): judge a claim on what the supplier disclosed to the bank, as of a date, and
hand back an evidence bundle the bank verifies offline (`tanji verify BUNDLE --rpc-url URL`).

What the bank sees is decided by ledger.service.visibility: the declarant and full readers see every metric, a
disclosure recipient only its granted fields, anyone else only the public facts (anchor, on-chain status,
attestations, labels). A metric on a field not disclosed is *cannot be determined: not disclosed*, and its value
appears nowhere in the answer or the evidence.

"As of" and its limits. A declaration is current as of a moment when
- its batch was anchored by then (the ledger's record of when it saw the anchoring block: `batches.anchored_at`),
- the moment lies inside its signed validity period, and
- its leaf was not revoked or superseded by then. The chain port reports the *block* of a status change, not its
  time, so the change is placed in time between the ledger's own anchorings around that block: before the first
  batch anchored at or after the block, after the last one anchored before it. A moment between the two is
  reported as undeterminable rather than guessed. Labels are judged by their window and their status now (the
  port keeps no history of label suspensions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from ledger.chain_port import ChainPort, TrustAnchors
from ledger.claims.evaluate import (
    AttestationFact,
    ClaimVerdict,
    DeclarationFacts,
    LabelFact,
    ProductFacts,
    evaluate_claim,
)
from ledger.claims.model import METRIC_FIELDS, UNIT_FIELD, Claim, Metric
from ledger.codes import DeclarationStatus, Reason
from ledger.declarations.disclosure import split_fields
from ledger.errors import ClaimSubjectNotFoundError
from ledger.pact.decimals import finite_decimal
from ledger.service.bundle import export_bundle
from ledger.service.ingest import decrypt_envelope
from ledger.service.visibility import Access, AuditAssignments, Viewer, access_to
from ledger.storage.keyring import Keyring
from ledger.storage.tables import BatchRow, DeclarationRow

CLAIM_CHECK_TYPE = "tanji.claim-check/1"


@dataclass(frozen=True)
class ClaimCheck:
    """The verdict, and per product with a current declaration its evidence: ``proofBundle`` (a proof bundle cut to
    the viewer, verified with `tanji verify FILE` or POST /v1/verifications) and the ``attestations`` and ``labels``
    the chain holds for it (which `tanji verify` reads again from the chain itself)."""

    verdict: ClaimVerdict
    evidence: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the verdict and the evidence inline."""
        return {"type": CLAIM_CHECK_TYPE, **self.verdict.as_dict(), "evidence": list(self.evidence)}


def check_claim(
    session: Session,
    keyring: Keyring,
    chain: ChainPort,
    anchors: TrustAnchors,
    claim: Claim,
    viewer: Viewer,
    *,
    now: datetime | None = None,
    assignments: AuditAssignments | None = None,
) -> ClaimCheck:
    """Judge `claim` for `viewer` (the bank, or the declarant itself); ClaimSubjectNotFoundError for an unknown
    product or organization."""
    moment = now or datetime.now(UTC)
    facts, evidence = [], []
    for product_id, rows in _subject_declarations(session, claim).items():
        current, reasons = None, []
        for row in rows:
            why_not = _not_current_because(session, chain, row, claim.as_of, moment)
            if why_not is None:
                current = row
                break
            reasons.append(why_not)
        if current is None:
            facts.append(ProductFacts(product_id, None, tuple(reasons)))
            continue
        access = access_to(session, current, viewer, assignments)
        found = _facts(session, keyring, chain, current, access, product_id)
        facts.append(found)
        evidence.append(_evidence(session, keyring, current, access, anchors, found))
    return ClaimCheck(evaluate_claim(claim, facts), tuple(evidence))


def verified_share_of(attestations: tuple[AttestationFact, ...]) -> Decimal:
    """Percent of a declaration's footprint third-party verified: 100 with a standing verified or qualified
    attestation, else 0. (The one place to swap in the roll-up report's `verified_share` through the tiers.)"""
    return Decimal(100) if any(item.standing_positive for item in attestations) else Decimal(0)


def _subject_declarations(session: Session, claim: Claim) -> dict[str, list[DeclarationRow]]:
    """The subject's declarations grouped by product, newest version first."""
    subject = claim.subject
    if subject.product_id is not None:
        query = select(DeclarationRow).where(col(DeclarationRow.product_id) == subject.product_id)
    else:
        query = select(DeclarationRow).where(col(DeclarationRow.org_handle) == subject.organization)
    rows = sorted(session.exec(query).all(), key=lambda row: (row.version, _aware(row.created_at)), reverse=True)
    if not rows:
        raise ClaimSubjectNotFoundError(
            f"no declaration of {subject.describe()} in this ledger; check the "
            + ("product id (one of the supplier's productIds)" if subject.product_id else "organization handle")
        )
    grouped: dict[str, list[DeclarationRow]] = {}
    for row in rows:
        grouped.setdefault(row.product_id, []).append(row)
    return dict(sorted(grouped.items()))


def _not_current_because(
    session: Session, chain: ChainPort, row: DeclarationRow, as_of: datetime, now: datetime
) -> str | None:
    """None when `row` was an anchored, valid, standing declaration as of `as_of`; else why not."""
    batch = session.get(BatchRow, row.batch_id) if row.batch_id is not None else None
    if batch is None or batch.status != "anchored" or batch.anchored_at is None:
        return f"declaration {row.id} is not anchored"
    if _aware(batch.anchored_at) > as_of:
        return f"declaration {row.id} was anchored only on {_aware(batch.anchored_at).isoformat()}"
    epoch = as_of.timestamp()
    if not row.valid_from <= epoch <= row.valid_until:
        period = f"{_iso(row.valid_from)} .. {_iso(row.valid_until)}"
        return f"declaration {row.id} is outside its validity period ({period}) as of that date"
    state = chain.leaf_states([bytes.fromhex(row.leaf[2:])])[0]
    if state.status not in (DeclarationStatus.REVOKED, DeclarationStatus.SUPERSEDED):
        return None
    change = _status_text(state.status, state.reason, state.changed_at_block)
    after, before = block_time_bounds(session, state.changed_at_block)
    if as_of >= now or (before is not None and as_of >= before):
        return f"declaration {row.id} was {change}, before that date"
    if after is not None and as_of < after:
        return None  # the change came later
    return f"declaration {row.id} was {change}; the chain gives no block times, so whether before that date is unknown"


def _status_text(status: DeclarationStatus, reason: int, block: int) -> str:
    if status == DeclarationStatus.SUPERSEDED:
        return f"superseded in block {block}"
    named = Reason(reason).text if reason in Reason._value2member_map_ else f"reason {reason}"
    return f"revoked ({named}) in block {block}"


def block_time_bounds(session: Session, block: int) -> tuple[datetime | None, datetime | None]:
    """(latest anchoring seen before `block`, earliest anchoring seen at or after it): the block lies in between."""
    anchored = select(BatchRow).where(col(BatchRow.status) == "anchored")
    earlier = session.exec(anchored.where(col(BatchRow.block_number) < block)).all()
    later = session.exec(anchored.where(col(BatchRow.block_number) >= block)).all()
    after = max((_aware(b.anchored_at) for b in earlier if b.anchored_at), default=None)
    before = min((_aware(b.anchored_at) for b in later if b.anchored_at), default=None)
    return after, before


def _facts(
    session: Session, keyring: Keyring, chain: ChainPort, row: DeclarationRow, access: Access, product_id: str
) -> ProductFacts:
    """The current declaration's facts cut to the viewer's access (undisclosed metrics are left out)."""
    digest = bytes.fromhex(row.digest[2:])
    attestations = tuple(
        AttestationFact(str(item["result"]), str(item["assurance"]), bool(item["withdrawnAtBlock"]))
        for item in chain.attestations(digest)
    )
    labels = _label_facts(chain, digest)
    values: dict[Metric, Decimal | None] = {Metric.VERIFIED_SHARE: verified_share_of(attestations)}
    visible: dict[str, Any] = {}
    if access.full or access.fields:
        fields = split_fields(decrypt_envelope(session, keyring, row)["payload"])
        visible = fields if access.full else {p: fields[p] for p in access.fields if p in fields}
    undisclosed = {}
    for metric, pointer in METRIC_FIELDS.items():
        if access.full or pointer in visible:
            values[metric] = finite_decimal(visible.get(pointer))
        else:
            undisclosed[metric] = pointer
    unit = visible.get(UNIT_FIELD)
    facts = DeclarationFacts(row.id, row.digest, values, attestations, labels, unit if isinstance(unit, str) else None)
    return ProductFacts(product_id, facts, undisclosed=undisclosed)


def _label_facts(chain: ChainPort, digest: bytes) -> tuple[LabelFact, ...]:
    """Labels on `digest` with their status now (the one place to swap in label terms: kind, value, grade)."""
    return tuple(
        LabelFact(
            str(item["serial"]),
            str(item["grade"]),
            str(item["status"]),
            _int(item["validFrom"]),
            _int(item["validUntil"]),
        )
        for item in chain.labels(digest)
    )


def _evidence(
    session: Session, keyring: Keyring, row: DeclarationRow, access: Access, anchors: TrustAnchors, facts: ProductFacts
) -> dict[str, Any]:
    """The proof bundle of `row` cut to the viewer (the full envelope, the disclosed fields, or no field at all),
    with the attestation and label facts the verdict used."""
    reveal = None if access.full else list(access.fields)
    declaration = facts.declaration
    assert declaration is not None
    return {
        "declarationId": row.id,
        "productId": row.product_id,
        "proofBundle": export_bundle(session, keyring, row, anchors.as_dict(), reveal=reveal),
        "attestations": [item.as_dict() for item in declaration.attestations],
        "labels": [item.as_dict() for item in declaration.labels],
    }


def _int(value: object) -> int:
    return int(str(value))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()
