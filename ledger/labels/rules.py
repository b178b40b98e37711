"""The rules that tie a label's terms to its declaration and to its category benchmark."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any

from ledger.errors import CertifiedValueMismatchError, GradeMismatchError, InvalidLabelTermsError
from ledger.labels.benchmarks import Benchmark

PRECISION = 34  # decimal digits of the per-unit division (decimal128)


def footprint_per_declared_unit(payload: dict[str, Any]) -> tuple[Decimal, str]:
    """The declaration's ``pcfExcludingBiogenicUptake`` per one ``declaredUnitOfMeasurement``, and that unit.

    PACT v3 states the footprint per ``declaredUnitAmount`` units; a label shows it per one unit.
    """
    pcf = payload.get("pcf") or {}
    try:
        total = Decimal(str(pcf["pcfExcludingBiogenicUptake"]))
        amount = Decimal(str(pcf.get("declaredUnitAmount", "1")))
        unit = str(pcf["declaredUnitOfMeasurement"])
    except (KeyError, ArithmeticError) as exc:
        raise InvalidLabelTermsError(
            f"the declaration states no footprint per declared unit ({exc}); a carbon footprint label needs "
            "pcf.pcfExcludingBiogenicUptake, declaredUnitAmount and declaredUnitOfMeasurement"
        ) from None
    if amount <= 0:
        raise InvalidLabelTermsError(f"the declaration's declaredUnitAmount {amount} is not positive")
    with localcontext() as context:
        context.prec = PRECISION
        return (total / amount).normalize(), unit


def certified_value_matches_declaration(*, certified: Decimal, declared: Decimal, unit: str, declaration: str) -> None:
    """A carbon footprint label certifies exactly the declaration's footprint per declared unit."""
    if certified != declared:
        raise CertifiedValueMismatchError(
            f"certified value {certified} kgCO2e/{unit} differs from declaration {declaration}'s footprint "
            f"{declared} kgCO2e/{unit}; certify {declared} or label a declaration that states {certified}"
        )


def grade_from_benchmark(
    benchmark: Benchmark,
    *,
    value: Decimal,
    unit: str,
    requested_grade: str | None,
    requested_score: Decimal | None,
) -> tuple[str, Decimal | None]:
    """The grade and score `benchmark` gives `value`; a different requested grade or score is refused."""
    if unit != benchmark.unit:
        raise GradeMismatchError(
            f"benchmark {benchmark.category} {benchmark.version} grades kgCO2e per {benchmark.unit!r}, the label's "
            f"value is per {unit!r}; use a benchmark of the declaration's declared unit"
        )
    band = benchmark.band_for(value)
    if requested_grade is not None and requested_grade != band.grade:
        raise GradeMismatchError(
            f"grade {requested_grade!r} requested, but benchmark {benchmark.category} {benchmark.version} gives "
            f"{band.grade!r} to {value} kgCO2e/{unit} (row {band.row}: [{band.lower}, "
            f"{band.upper if band.upper is not None else '∞'})); request {band.grade!r} or omit the grade"
        )
    if requested_score is not None and requested_score != band.score:
        raise GradeMismatchError(
            f"score {requested_score} requested, but benchmark {benchmark.category} {benchmark.version} gives "
            f"{band.score} to {value} kgCO2e/{unit} (row {band.row}); omit the score to take the benchmark's"
        )
    return band.grade, band.score
