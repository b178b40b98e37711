"""Use cases of the emission-factor database: import a dataset version, list, show a factor, anchor its hash,
check a declaration's factor citations, and hand a stored version to the roll-up.

Anchoring goes through the chain port's ``anchor_batch`` (the anchorer's key), as declaration batches do, with the
root of `ledger.factors.anchor.anchor_tree` and the metadata URI ``tanji:factor-dataset:<name>@<version>``. It is
crash-safe the same way: the root is recorded (status ``prepared``) before it is sent, and a later run asks the
chain whether the root is already anchored before sending it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ledger.chain_port import AnchorPort
from ledger.declarations.extension import EmissionFactorRef
from ledger.errors import ChainRejectedError, FactorDatasetConflictError, FactorDatasetNotFoundError
from ledger.factors.anchor import anchor_tree, metadata_uri
from ledger.factors.checks import AnchoredDataset, FactorFlag, factor_reference_problems
from ledger.factors.importing import parse_json
from ledger.factors.model import Factor, FactorDataset
from ledger.graph.factors import emission_factors_from_dataset
from ledger.graph.model import EmissionFactor
from ledger.storage.tables import FactorDatasetRow, FactorEntryRow, utcnow


@dataclass(frozen=True)
class StoredDataset:
    """A stored dataset version and, once anchored, its root, block and transaction."""

    name: str
    version: str
    dataset_hash: str
    factor_count: int
    status: str
    anchor_root: str | None
    block_number: int | None
    tx_hash: str | None
    metadata_uri: str
    created: bool = False  # True when this call stored it (False: the same content was stored already)

    @property
    def ref(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class StoredFactor:
    """One factor with the dataset version that holds it."""

    factor: Factor
    dataset: StoredDataset


@dataclass(frozen=True)
class DatasetFactors:
    """Roll-up factors taken from a stored dataset version, with the warnings to show (CO2 accepted as CO2e)."""

    factors: list[EmissionFactor]
    warnings: list[str]
    name: str  # name@version#hash, recorded as the roll-up's factor source


def import_dataset(session: Session, dataset: FactorDataset) -> StoredDataset:
    """Store `dataset`; the same content again is a no-op, other content under the same name@version a conflict."""
    existing = _row(session, dataset.name, dataset.version)
    if existing is not None:
        if existing.dataset_hash != dataset.hash:
            raise FactorDatasetConflictError(
                f"{dataset.ref} is stored already with hash {existing.dataset_hash}, this file hashes to "
                f"{dataset.hash}; give changed factors a new dataset version"
            )
        return _stored(existing)
    row = FactorDatasetRow(
        name=dataset.name,
        version=dataset.version,
        dataset_hash=dataset.hash,
        factor_count=len(dataset.factors),
        document=dataset.canonical().decode("utf-8"),
        status="imported",
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for factor in dataset.factors:
        session.add(
            FactorEntryRow(
                dataset_id=row.id,
                factor_id=factor.id,
                value=str(factor.as_dict()["value"]),
                unit=factor.unit,
                gas_basis=factor.gas_basis.value,
                scope=factor.scope.value,
                geography=factor.geography,
                year=factor.year,
            )
        )
    session.commit()
    return _stored(row, created=True)


def list_datasets(session: Session) -> list[StoredDataset]:
    """Every stored dataset version, by name then import order."""
    rows = session.exec(select(FactorDatasetRow).order_by(col(FactorDatasetRow.name), col(FactorDatasetRow.id)))
    return [_stored(row) for row in rows]


def stored_dataset(session: Session, ref: str) -> FactorDataset:
    """The dataset version ``name@version`` as stored."""
    return _document(_require(session, ref))


def show_factor(session: Session, ref: str) -> list[StoredFactor]:
    """The factor ``ID`` in every stored version holding it, or ``ID@VERSION`` in that dataset version."""
    factor_id, _, version = ref.partition("@")
    query = (
        select(FactorDatasetRow)
        .join(FactorEntryRow, col(FactorEntryRow.dataset_id) == col(FactorDatasetRow.id))
        .where(col(FactorEntryRow.factor_id) == factor_id)
        .order_by(col(FactorDatasetRow.id))
    )
    if version:
        query = query.where(col(FactorDatasetRow.version) == version)
    found = []
    for row in session.exec(query):
        factor = _document(row).factor(factor_id)
        assert factor is not None
        found.append(StoredFactor(factor, _stored(row)))
    if not found:
        raise FactorDatasetNotFoundError(
            f"no stored factor {ref!r}; `tanji factors list` shows the datasets, `tanji factors import` adds one"
        )
    return found


def anchor_dataset(session: Session, chain: AnchorPort, ref: str) -> StoredDataset:
    """Anchor the root of dataset version ``name@version`` (once; an anchored version is returned as it is)."""
    row = _require(session, ref)
    if row.status == "anchored":
        return _stored(row)
    dataset = _document(row)
    root = anchor_tree(dataset).root
    if row.anchor_root is None:
        row.anchor_root, row.metadata_uri, row.status = "0x" + root.hex(), metadata_uri(dataset), "prepared"
        session.add(row)
        session.commit()
    block = chain.anchored_block(root)
    tx_hash = None
    if block is None:
        try:
            tx_hash, block = chain.anchor_batch(root, len(dataset.factors), row.metadata_uri)
        except ChainRejectedError as exc:
            if exc.name != "TanjiRootAlreadyAnchored":
                raise
            block = int(str(exc.arguments["anchoredAtBlock"]))
    row.status, row.block_number, row.tx_hash, row.anchored_at = "anchored", block, tx_hash, utcnow()
    session.add(row)
    session.commit()
    return _stored(row)


def anchored_datasets(session: Session) -> list[AnchoredDataset]:
    """The dataset versions this ledger anchored, with their factor ids (what `factor_reference_problems` needs)."""
    rows = session.exec(select(FactorDatasetRow).where(col(FactorDatasetRow.status) == "anchored"))
    found = []
    for row in rows:
        ids = session.exec(select(FactorEntryRow.factor_id).where(col(FactorEntryRow.dataset_id) == row.id))
        assert row.block_number is not None
        found.append(AnchoredDataset(row.name, row.version, row.dataset_hash, row.block_number, frozenset(ids)))
    return found


def check_factor_references(session: Session, references: list[EmissionFactorRef]) -> list[FactorFlag]:
    """Flags for a declaration's cited factors against the dataset versions anchored through this ledger."""
    return factor_reference_problems(references, anchored_datasets(session))


def rollup_factors(
    session: Session, ref: str, *, bindings: dict[str, str] | None = None, accept_co2_only: bool = False
) -> DatasetFactors:
    """The roll-up factors of stored dataset version ``name@version`` (see ledger.graph.factors)."""
    dataset = stored_dataset(session, ref)
    factors, warnings = emission_factors_from_dataset(dataset, bindings=bindings, accept_co2_only=accept_co2_only)
    return DatasetFactors(factors, warnings, f"{dataset.ref}#{dataset.hash}")


def _row(session: Session, name: str, version: str) -> FactorDatasetRow | None:
    query = select(FactorDatasetRow).where(col(FactorDatasetRow.name) == name, col(FactorDatasetRow.version) == version)
    return session.exec(query).first()


def _require(session: Session, ref: str) -> FactorDatasetRow:
    name, _, version = ref.partition("@")
    row = _row(session, name, version) if name and version else None
    if row is None:
        known = ", ".join(f"{d.name}@{d.version}" for d in list_datasets(session)) or "none"
        raise FactorDatasetNotFoundError(f"no stored factor dataset {ref!r} (give NAME@VERSION); stored: {known}")
    return row


def _document(row: FactorDatasetRow) -> FactorDataset:
    dataset = parse_json(row.document, file=f"stored dataset {row.name}@{row.version}")
    if dataset.hash != row.dataset_hash:
        raise FactorDatasetConflictError(
            f"stored dataset {row.name}@{row.version} no longer hashes to {row.dataset_hash}: the store was altered"
        )
    return dataset


def _stored(row: FactorDatasetRow, *, created: bool = False) -> StoredDataset:
    return StoredDataset(
        name=row.name,
        version=row.version,
        dataset_hash=row.dataset_hash,
        factor_count=row.factor_count,
        status=row.status,
        anchor_root=row.anchor_root,
        block_number=row.block_number,
        tx_hash=row.tx_hash,
        metadata_uri=row.metadata_uri,
        created=created,
    )
