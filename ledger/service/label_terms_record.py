"""Record the terms of a label issued through a relayed transaction: they must hash to the chain's ``termsHash`` and
pass the same rules as a label issued here (value against the declaration, grade against the benchmark)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from ledger.canonical import canonical_bytes, hex32
from ledger.chain_port import ActingChainPort
from ledger.errors import InvalidLabelTermsError, LabelNotFoundError, TermsHashMismatchError
from ledger.hashing import keccak256
from ledger.labels.terms import LabelTerms, terms_from_document
from ledger.service.labels import LabelIssue, epoch_of, label_terms, serial_id
from ledger.storage import label_store, repository
from ledger.storage.keyring import Keyring


def record_label_terms(
    session: Session, keyring: Keyring, chain: ActingChainPort, serial: str, document: Any
) -> tuple[LabelTerms, bool]:
    """Store the terms of label `serial` (True when new; the same terms again are a no-op)."""
    record = chain.label(serial_id(serial))
    if record is None:
        raise LabelNotFoundError(f"no label {serial!r} was issued on this ledger's chain; issue it first")
    offered = keccak256(canonical_bytes(document))
    if offered != record.terms_hash:
        raise TermsHashMismatchError(
            f"these terms hash to {hex32(offered)}, but label {serial!r} was issued with terms hash "
            f"{hex32(record.terms_hash)}; send exactly the terms the certifier signed"
        )
    terms = terms_from_document(document)
    if terms.serial != serial.strip() or terms.declaration_digest != hex32(record.declaration_digest):
        raise InvalidLabelTermsError(
            f"the terms name serial {terms.serial!r} and declaration {terms.declaration_digest}, the chain's label "
            f"{serial!r} rests on {hex32(record.declaration_digest)}"
        )
    on_chain = (record.grade, record.valid_from, record.valid_until)
    stated = (terms.grade or "", epoch_of(terms.valid_from), epoch_of(terms.valid_until))
    if on_chain != stated:
        raise InvalidLabelTermsError(
            f"the terms state grade and validity {stated}, the chain's label {serial!r} holds {on_chain}"
        )
    stored = label_store.terms_of(session, terms.serial)
    if stored is not None:
        return terms, False
    row = repository.require_declaration(session=session, key=terms.declaration_digest)
    request = LabelIssue(
        serial=terms.serial,
        declaration=row.id,
        valid_from=terms.valid_from,
        valid_until=terms.valid_until,
        filing_number=terms.filing_number,
        kind=terms.kind.value,
        scheme=terms.scheme,
        value=str(terms.value),
        grade=terms.grade,
        score=None if terms.score is None else str(terms.score),
        category=None if terms.benchmark is None else terms.benchmark.category,
        benchmark_version=None if terms.benchmark is None else terms.benchmark.version,
    )
    expected = label_terms(session, keyring, request, row)
    if expected != terms:
        raise InvalidLabelTermsError(
            f"the terms of label {serial!r} are not what this ledger would certify: expected "
            f"{expected.document()}, got {terms.document()}"
        )
    label_store.add_terms(session, terms)
    session.commit()
    return terms, True
