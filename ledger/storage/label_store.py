"""Stored label terms and category benchmarks (tables label_terms and label_benchmarks)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ledger.canonical import canonical_bytes, hex32, loads_exact
from ledger.errors import BenchmarkConflictError, BenchmarkNotFoundError
from ledger.labels.benchmarks import Benchmark, benchmark_from_document
from ledger.labels.terms import LabelTerms
from ledger.storage.tables import LabelBenchmarkRow, LabelTermsRow


def add_terms(session: Session, terms: LabelTerms) -> LabelTermsRow:
    """Stage the terms of a label being issued (the caller commits once the chain has recorded it)."""
    row = LabelTermsRow(
        serial=terms.serial,
        terms=terms.canonical().decode("utf-8"),
        terms_hash=hex32(terms.terms_hash()),
        declaration_id=terms.declaration_id,
        declaration_digest=terms.declaration_digest,
        product_id=terms.product_id,
    )
    session.add(row)
    return row


def terms_of(session: Session, serial: str) -> LabelTermsRow | None:
    """The stored terms of label `serial`, or None."""
    return session.get(LabelTermsRow, serial)


def terms_of_declaration(session: Session, *, declaration_id: str) -> list[LabelTermsRow]:
    """Terms of every label issued here on declaration `declaration_id`."""
    query = select(LabelTermsRow).where(col(LabelTermsRow.declaration_id) == declaration_id)
    return list(session.exec(query).all())


def save_benchmark(session: Session, benchmark: Benchmark) -> tuple[LabelBenchmarkRow, bool]:
    """Store a benchmark version; return (row, True when new). The same content again is a no-op."""
    content_hash = hex32(benchmark.content_hash())
    existing = session.get(LabelBenchmarkRow, (benchmark.category, benchmark.version))
    if existing is not None:
        if existing.content_hash != content_hash:
            raise BenchmarkConflictError(
                f"benchmark {benchmark.category} version {benchmark.version} is stored already with other "
                f"thresholds ({existing.content_hash}); import the change as a new version"
            )
        return existing, False
    row = LabelBenchmarkRow(
        category=benchmark.category,
        version=benchmark.version,
        content_hash=content_hash,
        document=canonical_bytes(benchmark.document()).decode("utf-8"),
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    return row, True


def load_benchmark(session: Session, *, category: str, version: str | None) -> Benchmark:
    """Benchmark `category` at `version` (None: the newest imported)."""
    query = select(LabelBenchmarkRow).where(col(LabelBenchmarkRow.category) == category)
    if version is not None:
        query = query.where(col(LabelBenchmarkRow.version) == version)
    rows = list(session.exec(query.order_by(col(LabelBenchmarkRow.imported_at).desc())).all())
    if not rows:
        wanted = f"version {version} of " if version else ""
        raise BenchmarkNotFoundError(
            f"no {wanted}benchmark for category {category!r} is stored; import one (`tanji label benchmark import`)"
        )
    return benchmark_from_document(loads_exact(rows[0].document))


def list_benchmarks(session: Session) -> list[LabelBenchmarkRow]:
    """Every stored benchmark version, by category then version."""
    query = select(LabelBenchmarkRow).order_by(col(LabelBenchmarkRow.category), col(LabelBenchmarkRow.version))
    return list(session.exec(query).all())
