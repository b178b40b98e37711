"""Crash-safe batch anchoring.

A batch is first *prepared* in one database transaction: its declarations leave the outbox, get their batch id
and Merkle proof, and the batch row records the root. Only then is the root sent. Whatever happens next (a kill
before the send, after the send, after the receipt), the next run finds the prepared batch and asks the chain
whether its root is anchored before sending anything: a root already on chain is recorded, never re-sent, and a
duplicate-root refusal from the contract is read as "already anchored". So every declaration is anchored
exactly once, in exactly one batch.

A batch admits a declaration only if its organization may declare (membership, for declarations ingested while
the chain was down) and still owns its product (ledger.service.ownership): the first batch to carry a product id
records its owner. After the batches, the declarants' supersession consents are relayed on chain
(ledger.service.supersession_relay).

Several server processes may share one PostgreSQL database and one chain: a whole pass (send prepared batches,
prepare new ones, send, record) runs under one advisory lock, so one process anchors at a time and the others skip
their pass (``AnchorReport.busy``). The outbox head is also taken with ``FOR UPDATE SKIP LOCKED``, so even a pass
that ran without the lock could not put a declaration into two batches.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, delete
from sqlmodel import Session, col, update

from ledger.canonical import hex32
from ledger.chain_port import AnchorPort
from ledger.errors import ChainRejectedError, ChainUnavailableError, NotAMemberError, ProductOwnedElsewhereError
from ledger.merkle import MerkleTree
from ledger.service import ownership
from ledger.service.membership_cache import MembershipCache
from ledger.service.supersession_relay import relay_consents
from ledger.storage import repository
from ledger.storage.repository import ANCHORING_LOCK, Queued
from ledger.storage.tables import BatchRow, DeclarationRow, OutboxRow, SupersessionConsentRow, utcnow


@dataclass(frozen=True)
class AnchorReport:
    """What one anchoring pass did."""

    anchored_batches: int
    anchored_declarations: int
    rejected: int
    pending: int
    chain_unavailable: bool = False
    superseded: int = 0  # supersession consents relayed on chain
    busy: bool = False  # another process held the anchoring lock: this pass did nothing


class AnchorService:
    """Closes batches on size or age and anchors them."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        chain: AnchorPort,
        *,
        membership: MembershipCache,
        batch_size: int = 1000,
        max_age: float = 30.0,
        uri_template: str = "",
        crash_hook: Callable[[str], None] | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.sessions = sessions
        self.chain = chain
        self.membership = membership
        self.batch_size = batch_size
        self.max_age = max_age
        self.uri_template = uri_template
        self.crash_hook = crash_hook or (lambda _point: None)

    def run_once(self, *, flush: bool = False) -> AnchorReport:
        """Anchor prepared batches, then close and anchor new ones while due (all of them when `flush`).

        The pass is exclusive across processes: when another one is anchoring, a `flush` waits for it, any other pass
        does nothing (``busy``).
        """
        with (
            self.sessions() as session,
            repository.advisory_lock(session=session, key=ANCHORING_LOCK, wait=flush) as mine,
        ):
            if not mine:
                return AnchorReport(0, 0, 0, self._pending(), busy=True)
            return self._pass(flush=flush)

    def _pass(self, *, flush: bool) -> AnchorReport:
        batches = declarations = rejected = 0
        try:
            for _, count in self._send_prepared():
                batches, declarations = batches + 1, declarations + count
            while True:
                prepared = self.prepare_batch(force=flush)
                if prepared is None:
                    break
                batch_id, rejected_now = prepared
                rejected += rejected_now
                if batch_id is None:
                    continue
                for _, count in self._send_prepared():
                    batches, declarations = batches + 1, declarations + count
            superseded = relay_consents(self.sessions, self.chain)
        except ChainUnavailableError:
            return AnchorReport(batches, declarations, rejected, self._pending(), chain_unavailable=True)
        return AnchorReport(batches, declarations, rejected, self._pending(), superseded=superseded)

    def _pending(self) -> int:
        with self.sessions() as session:
            return repository.outbox_size(session=session)

    def prepare_batch(self, *, force: bool = False) -> tuple[int | None, int] | None:
        """Fix the next batch in the database; None when nothing is due. Returns (batch id or None, rejected)."""
        with self.sessions() as session:
            head = repository.outbox_head(session=session, limit=self.batch_size, lock=True)
            if not head:
                return None
            oldest = head[0].enqueued_at
            if not force and len(head) < self.batch_size and utcnow() - oldest < timedelta(seconds=self.max_age):
                return None
            members, rejected = self._admissible(session, head)
            if not members:
                session.commit()
                return None, rejected
            tree = MerkleTree.build([bytes.fromhex(item.leaf[2:]) for item in members])
            batch = BatchRow(
                root=hex32(tree.root),
                leaf_count=len(members),
                status="prepared",
                metadata_uri=self.uri_template.format(root=hex32(tree.root)),
            )
            session.add(batch)
            session.flush()
            proofs = [
                {
                    "row_id": item.id,
                    "batch": batch.id,
                    "proof": json.dumps([hex32(p) for p in tree.proof_of(bytes.fromhex(item.leaf[2:]))]),
                }
                for item in members
            ]
            session.connection().execute(
                update(DeclarationRow)
                .where(col(DeclarationRow.id) == bindparam("row_id"))
                .values(batch_id=bindparam("batch"), proof=bindparam("proof"), status="pending"),
                proofs,
            )
            session.exec(delete(OutboxRow).where(col(OutboxRow.seq).in_([item.seq for item in members])))  # type: ignore[call-overload]
            session.commit()
            self.crash_hook("prepared")
            return batch.id, rejected

    def _admissible(self, session: Session, head: list[Queued]) -> tuple[list[Queued], int]:
        """Check membership of declarations ingested while the chain was down, and product ownership; reject the
        refused ones (they leave no hint on their predecessors and no consent to relay)."""
        members, rejected = [], 0
        claimed: dict[str, str] = {}
        for item in head:
            try:
                if item.status == "unverified" and not self.membership.check(item.declarant, item.org_handle):
                    raise ChainUnavailableError("membership cannot be checked: chain unreachable")
                owner = ownership.require_may_declare(session, item.product_id, item.org_handle, claimed)
            except (NotAMemberError, ProductOwnedElsewhereError) as exc:
                _reject(session, item, f"{type(exc).__name__}: {exc}")
                rejected += 1
                continue
            if owner is None:
                claimed[item.product_id] = item.org_handle
                ownership.claim(session, item.product_id, item.org_handle, item.id)
            members.append(item)
        return members, rejected

    def _send_prepared(self) -> list[tuple[int, int]]:
        """Anchor every prepared batch, oldest first; record roots the chain already has."""
        done = []
        with self.sessions() as session:
            batches = [
                (b.id, b.root, b.leaf_count, b.metadata_uri) for b in repository.prepared_batches(session=session)
            ]
        for batch_id, root_hex, count, uri in batches:
            assert batch_id is not None
            root = bytes.fromhex(root_hex[2:])
            block = self.chain.anchored_block(root)
            tx_hash = None
            if block is None:
                self.crash_hook("before-send")
                try:
                    tx_hash, block = self.chain.anchor_batch(root, count, uri)
                except ChainRejectedError as exc:
                    if exc.name != "TanjiRootAlreadyAnchored":
                        raise
                    block = int(str(exc.arguments["anchoredAtBlock"]))
                self.crash_hook("after-send")
            self._record(batch_id, block, tx_hash)
            self.crash_hook("recorded")
            done.append((batch_id, count))
        return done

    def _record(self, batch_id: int, block: int, tx_hash: str | None) -> None:
        with self.sessions() as session:
            batch = session.get(BatchRow, batch_id)
            assert batch is not None
            batch.status, batch.block_number, batch.anchored_at = "anchored", block, utcnow()
            batch.tx_hash = tx_hash or batch.tx_hash
            session.add(batch)
            session.exec(
                update(DeclarationRow)
                .where(col(DeclarationRow.batch_id) == batch_id)  # type: ignore[call-overload]
                .values(status="anchored")
            )
            session.commit()

    def run_forever(
        self,
        *,
        poll: float = 1.0,
        should_stop: Callable[[], bool] = lambda: False,
        on_report: Callable[[AnchorReport], None] | None = None,
    ) -> None:
        """Anchor as batches become due until `should_stop()` (`on_report` sees every pass that did something)."""
        while not should_stop():
            report = self.run_once()
            if on_report and (report.anchored_batches or report.rejected or report.chain_unavailable):
                on_report(report)
            if report.anchored_batches == 0:
                time.sleep(poll)


def _reject(session: Session, item: Queued, reason: str) -> None:
    """Mark a queued declaration rejected and undo everything it did to the store beyond its own row."""
    session.exec(
        update(DeclarationRow)
        .where(col(DeclarationRow.id) == item.id)  # type: ignore[call-overload]
        .values(status="rejected", reason=reason)
    )
    session.exec(
        update(DeclarationRow)
        .where(col(DeclarationRow.superseded_by) == item.id)  # type: ignore[call-overload]
        .values(superseded_by=None)
    )
    session.exec(delete(SupersessionConsentRow).where(col(SupersessionConsentRow.successor_id) == item.id))  # type: ignore[call-overload]
    session.exec(delete(OutboxRow).where(col(OutboxRow.seq) == item.seq))  # type: ignore[call-overload]
