"""Verify many stored declarations fast: chain state is read once (each root, each key, the leaf statuses in
chunks) into a snapshot, then the per-declaration checks (decrypt, schema, digest, signature, proof) run in
worker processes against that snapshot. No RPC call per declaration."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from ledger.chain_port import ChainPort, KeyWindow, LeafState
from ledger.service.verify import AnchorClaim, VerificationReport, verify_envelope
from ledger.signing import SigningDomain
from ledger.storage import repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import BatchRow, DeclarationRow


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


def snapshot(chain: ChainPort, rows: Sequence[DeclarationRow], roots: dict[int, str]) -> ChainSnapshot:
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


_STATE: dict[str, Any] = {}


def _install(snap: ChainSnapshot, keys: dict[tuple[str, int], bytes]) -> None:
    """Give a worker process the chain snapshot and the data keys, once instead of with every job."""
    _STATE["snapshot"], _STATE["keys"] = snap, keys


@dataclass(frozen=True)
class _Job:
    declaration_id: str
    digest: str
    org: str
    key_version: int
    cipher_nonce: bytes
    ciphertext: bytes
    claim: AnchorClaim | None
    successors: list[str]


def _verify_one(job: _Job) -> VerificationReport:
    from ledger.canonical import loads_exact
    from ledger.confidentiality import decrypt, payload_context

    try:
        plaintext = decrypt(
            _STATE["keys"][(job.org, job.key_version)],
            job.cipher_nonce,
            job.ciphertext,
            context=payload_context(job.declaration_id, job.digest),
        )
    except Exception as exc:  # ConfidentialityError on a tampered row: report it, keep going
        report = VerificationReport(declaration_id=job.declaration_id, digest=job.digest)
        report.add("envelope", False, f"stored payload unreadable: {exc}")
        return report
    envelope = {"type": "tanji.signed-declaration/1", "digest": job.digest, **loads_exact(plaintext)}
    report = verify_envelope(envelope, job.claim, _STATE["snapshot"], successors=job.successors)
    if report.digest and report.digest != job.digest:
        report.add("store", False, f"stored index digest {job.digest} differs from the payload's {report.digest}")
    return report


def verify_many(
    session: Session, keyring: Keyring, chain: ChainPort, ids: Sequence[str], *, workers: int | None = None
) -> list[VerificationReport]:
    """Verify the stored declarations `ids` (order kept)."""
    rows = list(session.exec(select(DeclarationRow).where(col(DeclarationRow.id).in_(list(ids)))).all())
    by_id = {row.id: row for row in rows}
    batch_ids = {row.batch_id for row in rows if row.batch_id is not None}
    roots = {b.id: b.root for b in session.exec(select(BatchRow).where(col(BatchRow.id).in_(batch_ids))).all()}
    snap = snapshot(chain, rows, roots)  # type: ignore[arg-type]
    keys = {(row.org_handle, row.key_version): keyring.get(session, row.org_handle, row.key_version) for row in rows}
    jobs = []
    for declaration_id in ids:
        row = by_id[declaration_id]
        claim = None
        if row.batch_id is not None:
            claim = AnchorClaim(bytes.fromhex(roots[row.batch_id][2:]), repository.proof_of(row))
        successors = [row.superseded_by] if row.superseded_by else []
        jobs.append(
            _Job(
                row.id, row.digest, row.org_handle, row.key_version, row.cipher_nonce, row.ciphertext, claim, successors
            )
        )
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count > 1 and len(jobs) >= 256:
        with ProcessPoolExecutor(max_workers=count, initializer=_install, initargs=(snap, keys)) as pool:
            return list(pool.map(_verify_one, jobs, chunksize=128))
    _install(snap, keys)
    return [_verify_one(job) for job in jobs]
