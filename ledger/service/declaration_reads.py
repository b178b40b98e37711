"""Reading declarations through the native API: one declaration as a viewer may see it, the viewer's list, the
versions of a declaration, and proof bundles cut to the viewer's access (ledger.service.visibility decides)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from ledger.chain_port import ChainPort, TrustAnchors
from ledger.codes import DeclarationStatus
from ledger.declarations.disclosure import split_fields
from ledger.errors import AccessDeniedError, InvalidInputError
from ledger.service.audit_assignments import assignments_of_auditor
from ledger.service.bundle import export_bundle, field_pointer
from ledger.service.ingest import decrypt_envelope
from ledger.service.visibility import AuditAssignments, Viewer, access_to
from ledger.storage import directory, repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import BatchRow, DeclarationRow

LIST_STATUSES = ("pending", "unverified", "anchored")


@dataclass(frozen=True)
class OnChainStatus:
    """The status of an anchored declaration's leaf, read from the chain."""

    status: str  # anchored | revoked | superseded
    reason: int = 0
    changed_at_block: int = 0
    changed_by: str | None = None
    successor_digest: str | None = None


@dataclass
class DeclarationView:
    """One declaration as a viewer may see it: public facts always, payload or disclosed fields by access."""

    row: DeclarationRow
    access: str
    anchor: dict[str, Any] | None
    chain_status: OnChainStatus | None
    attestations: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    payload: dict[str, Any] | None = None
    disclosed: dict[str, Any] | None = None


def anchor_of(session: Session, row: DeclarationRow) -> dict[str, Any] | None:
    """Root, leaf, Merkle proof, block and transaction of an anchored declaration; None before anchoring."""
    batch = session.get(BatchRow, row.batch_id) if row.batch_id is not None else None
    if batch is None or batch.status != "anchored":
        return None
    proof = ["0x" + item.hex() for item in repository.proof_of(row)]
    return {"root": batch.root, "leaf": row.leaf, "proof": proof, "block": batch.block_number, "txHash": batch.tx_hash}


def on_chain_status(chain: ChainPort, row: DeclarationRow) -> OnChainStatus:
    """The leaf's status now (only meaningful once anchored)."""
    state = chain.leaf_states([bytes.fromhex(row.leaf[2:])])[0]
    if state.status == DeclarationStatus.REVOKED:
        return OnChainStatus("revoked", state.reason, state.changed_at_block, state.changed_by)
    if state.status == DeclarationStatus.SUPERSEDED:
        successor = "0x" + state.successor.hex()
        return OnChainStatus("superseded", state.reason, state.changed_at_block, state.changed_by, successor)
    return OnChainStatus("anchored")


def view_declaration(
    session: Session,
    keyring: Keyring,
    chain: ChainPort,
    key: str,
    viewer: Viewer,
    assignments: AuditAssignments | None = None,
) -> DeclarationView:
    """Declaration `key` (id or digest) as `viewer` may see it."""
    row = repository.require_declaration(session=session, key=key)
    access = access_to(session, row, viewer, assignments)
    anchor = anchor_of(session, row)
    view = DeclarationView(row, access.level, anchor, None)
    if anchor is not None:
        digest = bytes.fromhex(row.digest[2:])
        view.chain_status = on_chain_status(chain, row)
        view.attestations = chain.attestations(digest)
        view.labels = chain.labels(digest)
    if access.full:
        view.payload = decrypt_envelope(session, keyring, row)["payload"]
    elif access.fields:
        envelope = decrypt_envelope(session, keyring, row)
        fields = _fields(envelope["payload"])
        view.disclosed = {pointer: fields[pointer] for pointer in access.fields if pointer in fields}
    return view


def _fields(payload: dict[str, Any]) -> dict[str, Any]:
    return split_fields(payload)


@dataclass(frozen=True)
class ListedDeclaration:
    """One entry of a viewer's declaration list."""

    row: DeclarationRow
    access: str


def list_declarations(
    session: Session,
    viewer: Viewer,
    *,
    status: str | None = None,
    product_id: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[ListedDeclaration], int]:
    """The declarations `viewer` may read in full or in part (its own, granted, assigned to audit, disclosed);
    (page, total)."""
    if viewer.org is None:
        return [], 0
    if status is not None and status not in LIST_STATUSES:
        raise InvalidInputError(f"unknown status {status!r}; use one of: {', '.join(LIST_STATUSES)}")
    full, partial = directory.readable_ids(session=session, org=viewer.org)
    if "auditor" in viewer.roles:
        full |= {item.declaration_id for item in assignments_of_auditor(session, viewer.org)}
    rows, total = directory.declarations_page(
        session=session,
        org=viewer.org,
        granted=full | partial,
        status=status,
        product_id=product_id,
        offset=offset,
        limit=limit,
    )
    listed = [ListedDeclaration(row, access_to(session, row, viewer).level) for row in rows]
    return listed, total


@dataclass(frozen=True)
class Versions:
    """The stored predecessors (named in precedingPfIds) and successors of a declaration."""

    row: DeclarationRow
    predecessors: list[DeclarationRow]
    successors: list[DeclarationRow]


def versions_of(session: Session, chain: ChainPort, key: str) -> Versions:
    """Predecessors and successors of declaration `key`: from the signed precedingPfIds and from the chain."""
    row = repository.require_declaration(session=session, key=key)
    successors = directory.direct_successors_of(session=session, row=row)
    if anchor_of(session, row) is not None:
        status = on_chain_status(chain, row)
        if status.successor_digest is not None:
            on_chain = repository.get_declaration(session=session, key=status.successor_digest)
            if on_chain is not None and all(item.id != on_chain.id for item in successors):
                successors.append(on_chain)
    return Versions(row, directory.predecessors_of(session=session, row=row), successors)


def proof_for(
    session: Session,
    keyring: Keyring,
    anchors: TrustAnchors,
    key: str,
    viewer: Viewer,
    *,
    disclose: list[str] | None = None,
    assignments: AuditAssignments | None = None,
) -> dict[str, Any]:
    """The proof bundle of `key` cut to `viewer`'s access: full readers get the envelope or any disclosure they
    ask for; a disclosure recipient gets only (a subset of) its granted fields; anyone else is refused."""
    row = repository.require_declaration(session=session, key=key)
    access = access_to(session, row, viewer, assignments)
    if access.full:
        return export_bundle(session, keyring, row, anchors.as_dict(), reveal=disclose)
    if not access.fields:
        raise AccessDeniedError(
            f"organization {viewer.org or '(anonymous)'!r} may not export declaration {row.id}; its declarant "
            "can grant access or disclose chosen fields (POST /v1/declarations/{id}/grants)"
        )
    payload = decrypt_envelope(session, keyring, row)["payload"]
    fields = _fields(payload)
    asked = [field_pointer(name, fields) for name in disclose] if disclose else list(access.fields)
    beyond = sorted(set(asked) - set(access.fields))
    if beyond:
        raise AccessDeniedError(
            f"organization {viewer.org!r} was disclosed {', '.join(access.fields)} of {row.id}, not {', '.join(beyond)}"
        )
    return export_bundle(session, keyring, row, anchors.as_dict(), reveal=asked)
