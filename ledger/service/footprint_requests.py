"""Footprint requests by tier: a chain leader asks its tier-1 suppliers for declarations of products with a
deadline; a supplier forwards a request it received to its own suppliers (tier 2, 3 ...); the organization a
request was sent to fulfils it with a current, anchored declaration of its own for that product (the requester is
granted read access to it) or rejects it with a PACT error code and a message.

Coverage of a chain leader's tree: ledger.service.request_coverage. PACT RequestCreated events are the same requests
seen from outside and are mirrored into the same table (ledger.service.request_mirror).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ledger.chain_port import ChainPort
from ledger.codes import DeclarationStatus
from ledger.errors import (
    DuplicateFootprintRequestError,
    FootprintRequestNotFoundError,
    FulfilmentNotCurrentError,
    InvalidFootprintRequestError,
    NotChainLeaderError,
    NotDeclarantError,
    NotRequestRecipientError,
    RequestAlreadyAnsweredError,
)
from ledger.organizations import org_id
from ledger.requests.rules import (
    FULFILLED,
    MAX_TIER,
    OPEN,
    REJECTED,
    as_utc,
    check_deadline,
    check_parties,
    check_products,
    check_rejection,
    check_text,
)
from ledger.service.access import grant_access
from ledger.service.declaration_actions import require_anchored
from ledger.service.identity import MemberView
from ledger.service.request_mirror import sync_pact_requests
from ledger.service.request_views import RequestView
from ledger.storage import request_repository as repo
from ledger.storage.request_tables import FootprintRequestRow
from ledger.storage.tables import utcnow

CHAIN_LEADER = "chain-leader"
BOXES = ("inbox", "outbox")


def _now(now: datetime | None) -> datetime:
    return as_utc(now) if now is not None else datetime.now(UTC)


def _require_member(chain: MemberView, org: str, *, role: str | None = None) -> None:
    record = chain.member(org)
    if record is None:
        raise InvalidFootprintRequestError(
            f"organization {org!r} is not a member of this consortium; name a registered supplier "
            "(`tanji chain member show ORG`)"
        )
    if role is not None and (record.suspended or role not in record.roles):
        held = f"{sorted(record.roles) or 'no role'}{' (suspended)' if record.suspended else ''}"
        raise NotChainLeaderError(
            f"organization {org!r} holds {held}; requests to tier-1 suppliers are made by an active {role}"
        )


def create_requests(
    session: Session,
    chain: MemberView,
    *,
    by: str,
    to: str,
    products: Sequence[str],
    deadline: datetime,
    note: str | None = None,
    now: datetime | None = None,
) -> list[RequestView]:
    """Chain leader `by` requests declarations of `products` from its tier-1 supplier `to` (one request each)."""
    return _open_requests(session, chain, by=by, to=to, products=products, deadline=deadline, note=note, now=now)


def forward_request(
    session: Session,
    chain: MemberView,
    request_id: str,
    *,
    by: str,
    to: str,
    products: Sequence[str] | None = None,
    deadline: datetime | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> list[RequestView]:
    """Supplier `by` forwards request `request_id` it received to its own supplier `to`, one tier down, for
    `products` (default: the requested product) with `deadline` (default: the parent's)."""
    parent = _addressed_to(session, request_id, by, action="forward")
    upstream = _upstream_organizations(session, parent)
    if to in upstream:
        raise InvalidFootprintRequestError(
            f"request {parent.id} cannot be forwarded to {to!r}: it is upstream in this request's chain "
            f"({', '.join(sorted(upstream))}); forward to one of {by!r}'s own suppliers"
        )
    if parent.tier >= MAX_TIER:
        raise InvalidFootprintRequestError(f"request {parent.id} is at tier {parent.tier}; tiers stop at {MAX_TIER}")
    if deadline is None:
        if parent.deadline is None:
            raise InvalidFootprintRequestError(f"request {parent.id} has no deadline; give one to forward it")
        deadline = as_utc(parent.deadline)
    return _open_requests(
        session,
        chain,
        by=by,
        to=to,
        products=products or [parent.product_id],
        deadline=deadline,
        note=note,
        now=now,
        parent=parent,
    )


def _upstream_organizations(session: Session, request: FootprintRequestRow) -> set[str]:
    """The requesters from `request` up to the chain leader: a forward goes down the supply chain, never back up
    (which would send requests under the leader's name to the leader or its other suppliers' customers)."""
    found = {request.leader, request.requester}
    parent_id = request.parent_id
    for _ in range(MAX_TIER):
        if parent_id is None:
            break
        parent = session.get(FootprintRequestRow, parent_id)
        if parent is None:
            break
        found.add(parent.requester)
        parent_id = parent.parent_id
    return found


def _open_requests(
    session: Session,
    chain: MemberView,
    *,
    by: str,
    to: str,
    products: Sequence[str],
    deadline: datetime,
    note: str | None,
    now: datetime | None,
    parent: FootprintRequestRow | None = None,
) -> list[RequestView]:
    moment = _now(now)
    org_id(to)
    wanted = check_products(products)
    due = check_deadline(deadline, moment)
    check_text(note, "note")
    check_parties(by, to)
    _require_member(chain, by, role=None if parent is not None else CHAIN_LEADER)
    _require_member(chain, to)
    for product in wanted:
        existing = repo.find_open(session=session, requester=by, receiver=to, product_id=product)
        if existing is not None:
            raise DuplicateFootprintRequestError(
                f"{by!r} already has open request {existing.id} to {to!r} for product {product!r}; wait for its "
                "answer or let it be rejected before asking again"
            )
    rows = [
        FootprintRequestRow(
            id=str(uuid.uuid4()),
            requester=by,
            receiver=to,
            leader=parent.leader if parent is not None else by,
            product_id=product,
            tier=parent.tier + 1 if parent is not None else 1,
            parent_id=parent.id if parent is not None else None,
            deadline=due,
            note=note,
            status=OPEN,
            open_key=repo.open_key(by, to, product),
        )
        for product in wanted
    ]
    session.add_all(rows)
    try:
        session.commit()
    except IntegrityError:  # another request for the same triple was opened meanwhile: nothing of ours is kept
        session.rollback()
        raise DuplicateFootprintRequestError(
            f"{by!r} has an open request to {to!r} for one of {list(wanted)} already (made just now); list the "
            "outbox to see it"
        ) from None
    return [RequestView.of(row, moment) for row in rows]


def _addressed_to(session: Session, request_id: str, org: str, *, action: str) -> FootprintRequestRow:
    row = repo.get_request(session=session, request_id=request_id)
    if row is None:
        raise FootprintRequestNotFoundError(
            f"no footprint request {request_id!r}; list your inbox with `tanji request list --inbox`"
        )
    if row.receiver != org:
        raise NotRequestRecipientError(
            f"request {row.id} was sent to {row.receiver!r}; only it may {action} the request, not {org!r}"
        )
    if row.origin == "pact" and action != "forward":
        raise InvalidFootprintRequestError(
            f"request {row.id} came as a PACT RequestCreated event (PACT request {row.pact_seq}); answer it through "
            "the PACT flow, which sends the RequestFulfilled or RequestRejected event back to the requester"
        )
    if row.status != OPEN:
        raise RequestAlreadyAnsweredError(
            f"request {row.id} was {row.status} already; it cannot be answered or forwarded any more"
        )
    return row


def fulfil_request(
    session: Session, chain: ChainPort, request_id: str, *, by: str, declaration: str, now: datetime | None = None
) -> RequestView:
    """`by` answers request `request_id` with its current, anchored declaration (id or digest) of the requested
    product; the requester is granted read access to it."""
    moment = _now(now)
    row = _addressed_to(session, request_id, by, action="fulfil")
    anchored = require_anchored(session, declaration)
    found = anchored.row
    if found.org_handle != by:
        raise NotDeclarantError(
            f"declaration {found.id} was declared by {found.org_handle!r}, not {by!r}; fulfil request {row.id} "
            "with a declaration of your own"
        )
    if found.product_id != row.product_id:
        raise FulfilmentNotCurrentError(
            f"declaration {found.id} is of product {found.product_id!r}; request {row.id} asks for {row.product_id!r}"
        )
    state = chain.leaf_states([bytes.fromhex(found.leaf[2:])])[0]
    if state.status in (DeclarationStatus.REVOKED, DeclarationStatus.SUPERSEDED) or found.superseded_by:
        status = "revoked" if state.status == DeclarationStatus.REVOKED else "superseded"
        raise FulfilmentNotCurrentError(
            f"declaration {found.id} is {status} on chain; fulfil request {row.id} with the current declaration"
        )
    if found.valid_until < int(moment.timestamp()):
        raise FulfilmentNotCurrentError(
            f"declaration {found.id} expired at {datetime.fromtimestamp(found.valid_until, UTC).isoformat()}; "
            "declare the product again and fulfil with the new declaration"
        )
    row.status, row.open_key, row.answered_at = FULFILLED, None, utcnow()
    row.declaration_id, row.declaration_digest = found.id, found.digest
    session.add(row)
    grant_access(session, found.id, recipient=row.requester, granted_by=by)
    session.commit()
    return RequestView.of(row, moment)


def reject_request(
    session: Session, request_id: str, *, by: str, code: str, message: str, now: datetime | None = None
) -> RequestView:
    """`by` declines request `request_id` with a PACT error code and a message saying why."""
    moment = _now(now)
    code, message = check_rejection(code, message)
    row = _addressed_to(session, request_id, by, action="reject")
    row.status, row.open_key, row.answered_at = REJECTED, None, utcnow()
    row.reason_code, row.reason_message = code, message
    session.add(row)
    session.commit()
    return RequestView.of(row, moment)


def list_requests(
    session: Session, org: str, *, box: str, status: str | None = None, now: datetime | None = None
) -> list[RequestView]:
    """The requests `org` received (`inbox`) or sent (`outbox`), oldest first."""
    if box not in BOXES:
        raise InvalidFootprintRequestError(f"unknown request box {box!r}; use inbox or outbox")
    if status is not None and status not in (OPEN, FULFILLED, REJECTED):
        raise InvalidFootprintRequestError(f"unknown request status {status!r}; use open, fulfilled or rejected")
    moment = _now(now)
    sync_pact_requests(session)
    return [RequestView.of(row, moment) for row in repo.requests_of(session=session, org=org, box=box, status=status)]
