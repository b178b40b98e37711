"""Relay declarants' supersession consents on chain (``supersedeWithConsent``) once both declarations are anchored.

The anchoring service only relays: the contract accepts a consent only when it is signed by an active key of the
predecessor's organization, for a current successor of the same organization, so the relayer cannot forge,
redirect or replay one. Each consent is recorded relayed or refused in its own transaction; a crash between the
send and the record is healed on the next pass by reading the predecessor's status on chain first.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from ledger.chain_port import AnchorPort
from ledger.codes import DeclarationStatus
from ledger.errors import ChainRejectedError, DeclarationNotAnchoredError, DeclarationNotFoundError
from ledger.service.declaration_actions import AnchoredDeclaration, require_anchored
from ledger.storage import repository
from ledger.storage.tables import DeclarationRow, SupersessionConsentRow


def relay_consents(sessions: Callable[[], Session], chain: AnchorPort) -> int:
    """Relay every pending consent whose two declarations are anchored; return how many were recorded on chain."""
    relayed = 0
    with sessions() as session:
        pending = [(c.successor_id, c.predecessor_digest) for c in repository.pending_consents(session=session)]
    for successor_id, predecessor_digest in pending:
        with sessions() as session:
            consent = session.get(SupersessionConsentRow, (successor_id, predecessor_digest))
            if consent is None or consent.status != "pending":
                continue
            try:
                successor = require_anchored(session, successor_id)
                predecessor = require_anchored(session, predecessor_digest)
            except (DeclarationNotAnchoredError, DeclarationNotFoundError):
                continue  # not both anchored yet: next pass
            relayed += _relay(session, chain, consent, predecessor, successor)
            session.commit()
    return relayed


def _relay(
    session: Session,
    chain: AnchorPort,
    consent: SupersessionConsentRow,
    predecessor: AnchoredDeclaration,
    successor: AnchoredDeclaration,
) -> int:
    leaf = bytes.fromhex(predecessor.row.leaf[2:])
    state = chain.leaf_states([leaf])[0]
    if state.status == DeclarationStatus.SUPERSEDED and state.successor == successor.digest:
        consent.status, consent.block_number = "relayed", state.changed_at_block  # sent before a crash
    elif state.status in (DeclarationStatus.SUPERSEDED, DeclarationStatus.REVOKED):
        _refuse(session, consent, predecessor.row, f"predecessor already {state.status.name.lower()} on chain")
    else:
        try:
            mined = chain.supersede_with_consent(predecessor.leaf, successor.leaf, bytes.fromhex(consent.signature[2:]))
        except ChainRejectedError as exc:
            _refuse(session, consent, predecessor.row, f"{exc.name}: {exc}")
            session.add(consent)
            return 0
        consent.status, consent.block_number = "relayed", mined.block_number
    session.add(consent)
    return 1 if consent.status == "relayed" else 0


def _refuse(session: Session, consent: SupersessionConsentRow, predecessor: DeclarationRow, why: str) -> None:
    """Record a refused consent and drop the ledger's hint that the predecessor is superseded by this successor."""
    consent.status, consent.detail = "refused", why
    if predecessor.superseded_by == consent.successor_id:
        predecessor.superseded_by = None
        session.add(predecessor)
