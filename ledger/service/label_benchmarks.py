"""Category benchmarks for label grades: import (JSON or CSV, checked for unknown categories, overlaps and gaps),
list and show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from ledger.errors import CategoryBenchmarkError
from ledger.labels.benchmarks import Benchmark, benchmark_from_csv, benchmark_from_json
from ledger.storage import label_store

FORMATS = ("json", "csv")


@dataclass(frozen=True)
class ImportedBenchmark:
    """A stored benchmark version; `new` is False when the same content was stored already."""

    benchmark: Benchmark
    content_hash: str
    new: bool


def parse_benchmark(text: str, *, fmt: str) -> Benchmark:
    """A benchmark from the text of a `fmt` (json or csv) file."""
    if fmt == "json":
        return benchmark_from_json(text)
    if fmt == "csv":
        return benchmark_from_csv(text)
    raise CategoryBenchmarkError(f"unknown benchmark file format {fmt!r}; use one of: {', '.join(FORMATS)}")


def import_benchmark(session: Session, text: str, *, fmt: str) -> ImportedBenchmark:
    """Check and store a benchmark version (nothing is stored when any row is refused)."""
    benchmark = parse_benchmark(text, fmt=fmt)
    row, new = label_store.save_benchmark(session, benchmark)
    return ImportedBenchmark(benchmark, row.content_hash, new)


def show_benchmark(session: Session, *, category: str, version: str | None = None) -> Benchmark:
    """A stored benchmark (None version: the newest)."""
    return label_store.load_benchmark(session, category=category, version=version)
