"""Rules on using factors: CO2 is never taken for CO2e silently, and a cited dataset version must be anchored.

`factor_reference_problems` is the anomaly check "a declaration citing a factor dataset version that was never
anchored": it returns flags (with the reason and the evidence) and never blocks anything itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ledger.declarations.extension import EmissionFactorRef
from ledger.errors import GasBasisError
from ledger.factors.model import Factor, GasBasis

NOT_ANCHORED = "factor-dataset-not-anchored"
VERSION_MISMATCH = "factor-dataset-version-mismatch"
FACTOR_NOT_IN_DATASET = "factor-not-in-anchored-dataset"


def co2e_warning(factor: Factor, *, accept_co2_only: bool, where: str) -> str | None:
    """Refuse a CO2-only factor where CO2e is expected unless `accept_co2_only`; then return the warning to show.

    CO2e factors pass without a word. A CO2 factor leaves out CH4 and N2O, so using it for a CO2e figure
    understates it; it is refused unless the caller accepts that explicitly, and then said out loud.
    """
    if factor.gas_basis is GasBasis.CO2E:
        return None
    if not accept_co2_only:
        raise GasBasisError(
            f"{where}: factor {factor.id!r} is {factor.value} {factor.unit_label}, CO2 only, but CO2e is expected; "
            "use a CO2e factor or accept CO2-only factors explicitly (--accept-co2-only)"
        )
    return (
        f"factor {factor.id!r} counts CO2 only ({factor.unit_label}), used for a CO2e figure by explicit "
        "acceptance: other greenhouse gases (CH4, N2O) are not included"
    )


@dataclass(frozen=True)
class AnchoredDataset:
    """A dataset version whose hash is anchored on chain (as this ledger recorded it)."""

    name: str
    version: str
    dataset_hash: str
    block_number: int
    factor_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class FactorFlag:
    """One anomaly: a machine-readable `code`, the `reason` for people, and the `evidence` behind it."""

    code: str
    reason: str
    evidence: dict[str, Any]


def factor_reference_problems(
    references: Iterable[EmissionFactorRef], anchored: Iterable[AnchoredDataset]
) -> list[FactorFlag]:
    """Flag each cited factor whose dataset version was never anchored (or is cited under another version)."""
    by_hash = {dataset.dataset_hash.lower(): dataset for dataset in anchored}
    by_ref = {(dataset.name, dataset.version): dataset for dataset in by_hash.values()}
    flags = []
    for ref in references:
        evidence: dict[str, Any] = {
            "factorId": ref.id,
            "source": ref.source,
            "version": ref.version,
            "datasetHash": ref.dataset_hash,
        }
        dataset = by_hash.get(ref.dataset_hash.lower())
        if dataset is None:
            same_name = by_ref.get((ref.source, ref.version))
            if same_name is not None:
                evidence["anchoredHash"] = same_name.dataset_hash
            flags.append(
                FactorFlag(
                    NOT_ANCHORED,
                    f"factor {ref.id!r} cites dataset {ref.source}@{ref.version} with hash {ref.dataset_hash}, "
                    + (
                        f"but the anchored {ref.source}@{ref.version} has hash {same_name.dataset_hash}"
                        if same_name is not None
                        else "which was never anchored"
                    ),
                    evidence,
                )
            )
        elif (dataset.name, dataset.version) != (ref.source, ref.version):
            evidence["anchoredAs"] = f"{dataset.name}@{dataset.version}"
            flags.append(
                FactorFlag(
                    VERSION_MISMATCH,
                    f"factor {ref.id!r} cites {ref.source}@{ref.version}, but hash {ref.dataset_hash} was anchored "
                    f"as {dataset.name}@{dataset.version} (block {dataset.block_number})",
                    evidence,
                )
            )
        elif dataset.factor_ids and ref.id not in dataset.factor_ids:
            flags.append(
                FactorFlag(
                    FACTOR_NOT_IN_DATASET,
                    f"factor {ref.id!r} is not in the anchored dataset {dataset.name}@{dataset.version}",
                    evidence,
                )
            )
    return flags
