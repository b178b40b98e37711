"""Verify many stored declarations fast: chain state is read once (each root, each key, the leaf statuses in
chunks) into a snapshot, then the per-declaration checks (decrypt, schema, digest, signature, proof) run in
worker processes against that snapshot. No RPC call per declaration."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from sqlmodel import Session, col, select

from ledger.canonical import loads_exact
from ledger.chain_port import ChainPort, KeyWindow, LeafState
from ledger.confidentiality import PayloadCipher, payload_context
from ledger.service.verify import AnchorClaim, VerificationReport, verify_envelope
from ledger.signing import SigningDomain
from ledger.storage import repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import BatchRow, DeclarationRow

PARALLEL_THRESHOLD = 256  # fewer declarations are verified in this process (a pool costs more than it saves)


@dataclass
class ChainSnapshot:
    """Chain state read once; answers the ChainPort views verification needs (picklable)."""

    signing_domain: SigningDomain
    blocks: dict[bytes, int | None] = field(default_factory=dict)
    windows: dict[str, KeyWindow] = field(default_factory=dict)
    states: dict[bytes, LeafState] = field(default_factory=dict)
    usable: dict[tuple[str, int], bool] = field(default_factory=dict)

    def anchored_block(self, root: bytes) -> int | None:
        """Anchoring block of a root in the snapshot."""
        return self.blocks[root]

    def key_window(self, account: str) -> KeyWindow:
        """Key window in the snapshot."""
        return self.windows[account]

    def was_key_usable_at(self, account: str, block: int) -> bool:
        """Key usability (active, organization not suspended) at an anchoring block, in the snapshot."""
        return self.usable[(account, block)]

    def leaf_states(self, leaves: list[bytes]) -> list[LeafState]:
        """Leaf states in the snapshot."""
        return [self.states[leaf] for leaf in leaves]

    def attestations(self, digest: bytes) -> list[dict[str, object]]:
        """Not part of a bulk snapshot (information only): ask `tanji verify ID` for one declaration."""
        return []

    def labels(self, digest: bytes) -> list[dict[str, object]]:
        """Not part of a bulk snapshot (information only)."""
        return []

    def require_active(self, account: str, role: str) -> bytes:
        """Not used by verification."""
        raise NotImplementedError("a chain snapshot answers verification views only")

    def anchor_batch(self, root: bytes, leaf_count: int, metadata_uri: str) -> tuple[str, int]:
        """Not used by verification."""
        raise NotImplementedError("a chain snapshot cannot send transactions")


class _Indexed(Protocol):
    """What the snapshot reads from a stored declaration."""

    @property
    def declarant(self) -> str: ...

    @property
    def leaf(self) -> str: ...

    @property
    def batch_id(self) -> int | None: ...


def snapshot(chain: ChainPort, rows: Sequence[_Indexed], roots: dict[int, str]) -> ChainSnapshot:
    """Read everything verification of `rows` needs from `chain`: one call per root and key, leaf states chunked."""
    snap = ChainSnapshot(signing_domain=chain.signing_domain)
    for root in {bytes.fromhex(r[2:]) for r in roots.values()}:
        snap.blocks[root] = chain.anchored_block(root)
    for declarant in {row.declarant for row in rows}:
        snap.windows[declarant] = chain.key_window(declarant)
    for declarant, block in {
        (row.declarant, snap.blocks[bytes.fromhex(roots[row.batch_id][2:])]) for row in rows if row.batch_id in roots
    }:
        if block is not None:
            snap.usable[(declarant, block)] = chain.was_key_usable_at(declarant, block)
    leaves = [bytes.fromhex(row.leaf[2:]) for row in rows]
    snap.states.update(zip(leaves, chain.leaf_states(leaves), strict=True))
    return snap


class _Stored(NamedTuple):
    """The columns verification reads (no ORM objects: thousands are loaded at once)."""

    id: str
    digest: str
    leaf: str
    declarant: str
    org_handle: str
    key_version: int
    cipher_nonce: bytes
    ciphertext: bytes
    batch_id: int | None
    proof: str | None
    superseded_by: str | None


_COLUMNS = tuple(getattr(DeclarationRow, name) for name in _Stored._fields)
_STATE: dict[str, Any] = {}


def _install(snap: ChainSnapshot, keys: dict[tuple[str, int], bytes]) -> None:
    """Give a worker process the chain snapshot and one cipher per data key, once instead of with every job."""
    _STATE["snapshot"] = snap
    _STATE["ciphers"] = {pair: PayloadCipher(key) for pair, key in keys.items()}


class _Job(NamedTuple):
    row: _Stored
    root: bytes | None  # the anchored root of the row's batch (None when not batched)
    as_of: int  # the moment validity periods are judged at (one for the whole run)


def _verify_one(job: _Job) -> VerificationReport:
    row = job.row
    try:
        plaintext = _STATE["ciphers"][(row.org_handle, row.key_version)].decrypt(
            row.cipher_nonce, row.ciphertext, context=payload_context(row.id, row.digest)
        )
    except Exception as exc:  # ConfidentialityError on a tampered row: report it, keep going
        report = VerificationReport(declaration_id=row.id, digest=row.digest)
        report.add("envelope", False, f"stored payload unreadable: {exc}")
        return report
    envelope = {"type": "tanji.signed-declaration/1", "digest": row.digest, **loads_exact(plaintext)}
    claim = None if job.root is None else AnchorClaim(job.root, repository.proof_of(row))  # type: ignore[arg-type]
    successors = [row.superseded_by] if row.superseded_by else []
    report = verify_envelope(envelope, claim, _STATE["snapshot"], successors=successors, as_of=job.as_of)
    if report.digest and report.digest != row.digest:
        report.add("store", False, f"stored index digest {row.digest} differs from the payload's {report.digest}")
    return report


def verify_many(
    session: Session,
    keyring: Keyring,
    chain: ChainPort,
    ids: Sequence[str],
    *,
    workers: int | None = None,
    as_of: int | None = None,
) -> list[VerificationReport]:
    """Verify the stored declarations `ids` (order kept), judging validity periods at `as_of` (default: now, one
    moment for the whole run)."""
    moment = as_of if as_of is not None else int(time.time())
    query = select(*_COLUMNS).where(col(DeclarationRow.id).in_(list(ids)))
    rows = [_Stored._make(row) for row in session.exec(query).all()]  # type: ignore[call-overload]
    by_id = {row.id: row for row in rows}
    batch_ids = {row.batch_id for row in rows if row.batch_id is not None}
    roots = {b.id: b.root for b in session.exec(select(BatchRow).where(col(BatchRow.id).in_(batch_ids))).all()}
    snap = snapshot(chain, rows, roots)  # type: ignore[arg-type]  # BatchRow.id is typed optional
    # one data key lookup per organization and key version (in the order the rows name them)
    pairs = dict.fromkeys((row.org_handle, row.key_version) for row in rows)
    keys = {(org, version): keyring.get(session, org, version) for org, version in pairs}
    root_bytes = {batch_id: bytes.fromhex(root[2:]) for batch_id, root in roots.items()}
    jobs = []
    for declaration_id in ids:
        row = by_id[declaration_id]
        jobs.append(_Job(row, None if row.batch_id is None else root_bytes[row.batch_id], moment))
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count > 1 and len(jobs) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=count, initializer=_install, initargs=(snap, keys)) as pool:
            return list(pool.map(_verify_one, jobs, chunksize=128))
    _install(snap, keys)
    return [_verify_one(job) for job in jobs]
