"""PACT RequestCreated events (ledger.service.pact_requests) are footprint requests seen from outside: each is
mirrored into the footprint request table, one row per requested product, with origin ``pact`` and its number, so a
chain leader's coverage counts them. The PACT flow itself is untouched; mirroring runs before coverage is read and
updates rows whose PACT request was answered since.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ledger.requests.rules import FULFILLED, OPEN, REJECTED
from ledger.storage import repository
from ledger.storage import request_repository as repo
from ledger.storage.pact_tables import PactRequestRow
from ledger.storage.request_tables import FootprintRequestRow
from ledger.storage.tables import DeclarationRow

ANY_PRODUCT = "*"  # a PACT request that names no product id (it filters by company, classification ...)
UNKNOWN_RECEIVER = "(unknown)"
STATUS_OF_PACT = {"awaiting-owner": OPEN, "fulfilled": FULFILLED, "rejected": REJECTED}


def sync_pact_requests(session: Session) -> int:
    """Mirror PACT requests not mirrored yet and refresh those answered since; the number of rows written."""
    written = 0
    for request in repo.pact_requests_to_sync(session=session):
        written += _mirror(session, request)
        try:
            session.commit()
        except IntegrityError:  # another process mirrored this request meanwhile: its rows stand
            session.rollback()
    return written


def _mirror(session: Session, request: PactRequestRow) -> int:
    assert request.seq is not None
    existing = {row.product_id: row for row in repo.mirrored_pact(session=session, pact_seq=request.seq)}
    answers = [
        found
        for key in json.loads(request.footprint_ids)
        if (found := repository.get_declaration(session=session, key=key)) is not None
    ]
    products = list(json.loads(request.criteria).get("productId", [])) or [a.product_id for a in answers]
    written = 0
    for product in products or [ANY_PRODUCT]:
        known = existing.get(product)
        row = known or FootprintRequestRow(
            id=str(uuid.uuid4()),
            requester=request.requester,
            receiver=_receiver(session, request, product, answers),
            leader=request.requester,
            product_id=product,
            tier=1,
            note=request.comment,
            status=OPEN,
            origin="pact",
            pact_seq=request.seq,
            created_at=request.created_at,
        )
        status = STATUS_OF_PACT.get(request.status, OPEN)
        if known is not None and known.status == status:
            continue
        row.status, row.answered_at = status, request.answered_at
        answer = next((a for a in answers if a.product_id == product), answers[0] if answers else None)
        if status == FULFILLED and answer is not None:
            row.declaration_id, row.declaration_digest, row.receiver = answer.id, answer.digest, answer.org_handle
        if status == REJECTED:
            row.reason_code, row.reason_message = request.answer_code, request.answer_message
        session.add(row)
        written += 1
    return written


def _receiver(session: Session, request: PactRequestRow, product: str, answers: list[DeclarationRow]) -> str:
    owner = repository.product_owner(session=session, product_id=product) if product != ANY_PRODUCT else None
    if owner is not None:
        return owner.org_handle
    owners = sorted({a.org_handle for a in answers} | set(json.loads(request.owners)))
    return owners[0] if len(owners) == 1 else UNKNOWN_RECEIVER
