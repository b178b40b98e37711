"""Category benchmarks: versioned threshold bands of the footprint per declared unit that give a grade and a score.

A benchmark names its product category (ledger.labels.catalogue), a version, the declared unit its values are per
(kgCO2e per one ``unit``), a cited source and its bands. Each band covers [lower, upper) (``upper`` empty: no upper
bound, last band only). Sorted by ``lower``, each band must start exactly where the previous one ends: an overlap
would give a value two grades, a gap none, so both are refused naming the two rows.

JSON::

    {"category": "cn-pcf-2025-05", "version": "2026.1", "unit": "watt", "source": "...",
     "bands": [{"lower": "0", "upper": "0.4", "grade": "A", "score": "90"}, ...]}

CSV (one band a row; category, version, unit and source repeated and equal on every row)::

    category,version,unit,source,lower,upper,grade,score
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from ledger.canonical import canonical_bytes, loads_exact
from ledger.errors import (
    CategoryBenchmarkError,
    GappedThresholdsError,
    MalformedJsonError,
    OverlappingThresholdsError,
    ValueOutsideBenchmarkError,
)
from ledger.hashing import keccak256
from ledger.labels.catalogue import category_of

META = ("category", "version", "unit", "source")
BAND_COLUMNS = ("lower", "upper", "grade", "score")
MAX_GRADE_BYTES = 16  # the grade goes on chain as bytes16


@dataclass(frozen=True)
class Band:
    """Values in [lower, upper) get `grade` (and `score` when the benchmark scores)."""

    row: int
    lower: Decimal
    upper: Decimal | None
    grade: str
    score: Decimal | None

    def contains(self, value: Decimal) -> bool:
        """True when `value` falls in this band."""
        return value >= self.lower and (self.upper is None or value < self.upper)

    def document(self) -> dict[str, Any]:
        """JSON-ready, decimals as strings."""
        return {
            "lower": str(self.lower),
            "upper": None if self.upper is None else str(self.upper),
            "grade": self.grade,
            "score": None if self.score is None else str(self.score),
        }


@dataclass(frozen=True)
class Benchmark:
    """One version of a category benchmark (see the module docstring)."""

    category: str
    version: str
    unit: str
    source: str
    bands: tuple[Band, ...]

    def band_for(self, value: Decimal) -> Band:
        """The band `value` falls in; a value outside every band is refused."""
        for band in self.bands:
            if band.contains(value):
                return band
        lowest, highest = self.bands[0], self.bands[-1]
        raise ValueOutsideBenchmarkError(
            f"value {value} kgCO2e/{self.unit} is outside benchmark {self.category} {self.version} "
            f"([{lowest.lower}, {highest.upper if highest.upper is not None else '∞'})); "
            "use a benchmark that covers it or issue the label without a grade"
        )

    def document(self) -> dict[str, Any]:
        """The normalized benchmark as JSON (what is stored and hashed)."""
        return {
            "category": self.category,
            "version": self.version,
            "unit": self.unit,
            "source": self.source,
            "bands": [band.document() for band in self.bands],
        }

    def content_hash(self) -> bytes:
        """keccak-256 of the RFC 8785 canonical document."""
        return keccak256(canonical_bytes(self.document()))


def benchmark_from_document(data: Any) -> Benchmark:
    """Build and check a benchmark from its JSON form."""
    if not isinstance(data, dict):
        raise CategoryBenchmarkError("a benchmark file must be a JSON object with category, version, unit, source")
    meta = {key: _text(data.get(key), key, row=0) for key in META}
    rows = data.get("bands")
    if not isinstance(rows, list) or not rows:
        raise CategoryBenchmarkError("benchmark 'bands' must be a non-empty list of {lower, upper, grade, score}")
    bands = []
    for number, item in enumerate(rows, start=1):
        if not isinstance(item, dict):
            raise CategoryBenchmarkError(f"band {number} is not an object", row=number)
        bands.append(_band(item, number))
    return checked_benchmark(meta, bands)


def benchmark_from_json(text: str | bytes) -> Benchmark:
    """Parse a JSON benchmark file (band rows numbered from 1)."""
    try:
        data = loads_exact(text)
    except MalformedJsonError as exc:
        raise CategoryBenchmarkError(f"benchmark file is not valid JSON: {exc}") from None
    return benchmark_from_document(data)


def benchmark_from_csv(text: str) -> Benchmark:
    """Parse a CSV benchmark file (rows numbered as lines, the header being line 1)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in (*META, *BAND_COLUMNS) if name not in (reader.fieldnames or [])]
    if missing:
        raise CategoryBenchmarkError(f"benchmark CSV lacks column(s) {', '.join(missing)} (row 1, the header)", row=1)
    meta: dict[str, str] | None = None
    bands = []
    for line, record in enumerate(reader, start=2):
        row_meta = {key: _text(record.get(key), key, row=line) for key in META}
        if meta is None:
            meta = row_meta
        for key in META:
            if row_meta[key] != meta[key]:
                raise CategoryBenchmarkError(
                    f"row {line}, column {key}: {row_meta[key]!r} differs from {meta[key]!r} of row 2; "
                    "one file holds one benchmark version",
                    row=line,
                )
        bands.append(_band(dict(record), line))
    if meta is None:
        raise CategoryBenchmarkError("benchmark CSV has a header but no band rows")
    return checked_benchmark(meta, bands)


def checked_benchmark(meta: dict[str, str], bands: list[Band]) -> Benchmark:
    """Sort the bands and refuse unknown categories, overlaps and gaps (naming the rows)."""
    category_of(meta["category"])
    ordered = sorted(bands, key=lambda band: band.lower)
    for before, after in pairwise(ordered):
        if before.upper is None or after.lower < before.upper:
            end = "∞" if before.upper is None else str(before.upper)
            raise OverlappingThresholdsError(
                f"rows {before.row} and {after.row} overlap: [{before.lower}, {end}) and [{after.lower}, ...) "
                f"both hold {after.lower}; make row {before.row}'s upper equal row {after.row}'s lower",
                row=after.row,
            )
        if after.lower > before.upper:
            raise GappedThresholdsError(
                f"rows {before.row} and {after.row} leave a gap: no band holds [{before.upper}, {after.lower}); "
                f"make row {before.row}'s upper equal row {after.row}'s lower",
                row=after.row,
            )
    grades = [band.grade for band in ordered]
    duplicated = sorted({grade for grade in grades if grades.count(grade) > 1})
    if duplicated:
        raise CategoryBenchmarkError(f"grade(s) {', '.join(duplicated)} appear in more than one band")
    return Benchmark(meta["category"].strip(), meta["version"], meta["unit"], meta["source"], tuple(ordered))


def _band(item: dict[str, Any], row: int) -> Band:
    lower = _decimal(item.get("lower"), "lower", row=row)
    upper_text = item.get("upper")
    upper = None if upper_text in (None, "") else _decimal(upper_text, "upper", row=row)
    if lower is None:
        raise CategoryBenchmarkError(f"row {row}, column lower: a band needs a lower bound", row=row)
    if upper is not None and upper <= lower:
        raise CategoryBenchmarkError(f"row {row}: upper {upper} is not above lower {lower}", row=row)
    grade = _text(item.get("grade"), "grade", row=row)
    if len(grade.encode("utf-8")) > MAX_GRADE_BYTES:
        raise CategoryBenchmarkError(f"row {row}, column grade: {grade!r} is longer than 16 bytes of UTF-8", row=row)
    score_text = item.get("score")
    score = None if score_text in (None, "") else _decimal(score_text, "score", row=row)
    return Band(row, lower, upper, grade, score)


def _decimal(value: Any, column: str, *, row: int) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise CategoryBenchmarkError(f"row {row}, column {column}: {value!r} is not a decimal number", row=row)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise CategoryBenchmarkError(
            f"row {row}, column {column}: {value!r} is not a decimal number", row=row
        ) from None
    if not number.is_finite() or number < 0:
        raise CategoryBenchmarkError(f"row {row}, column {column}: {value!r} must be finite and >= 0", row=row)
    return number


def _text(value: Any, column: str, *, row: int) -> str:
    if not isinstance(value, str) or not value.strip():
        where = f"row {row}, column {column}" if row else f"field {column!r}"
        raise CategoryBenchmarkError(f"{where} is missing or empty", row=row)
    return value.strip()
