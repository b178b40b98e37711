"""Dataset versions are stored once, shown with their sources, anchored on the embedded chain exactly once, and
give the anchored set the citation check and the roll-up read."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from ledger.declarations.extension import EmissionFactorRef
from ledger.errors import FactorDatasetConflictError, FactorDatasetNotFoundError, GasBasisError
from ledger.factors import anchor_tree, factor_leaf, load_shipped_dataset, parse_csv
from ledger.factors.checks import NOT_ANCHORED
from ledger.merkle import verify_proof
from ledger.service import factor_datasets as service
from ledger.storage.tables import FactorDatasetRow

CSV = """# name: grid
# version: 1
id,value,unit,gas_basis,scope,geography,year,source_title,source_publisher,source_date,source_url,licence
co2-grid,0.5366,kWh,CO2,combustion,CN,2022,Announcement,MEE,2024-12-20,https://example.org/a,public
lca-grid,0.6205,kWh,CO2e,life-cycle,CN,2023,Announcement,MEE,2025-01-17,https://example.org/b,public
"""


def test_import_is_idempotent_and_other_content_under_the_same_version_conflicts(session: Session) -> None:
    dataset = parse_csv(CSV)
    first = service.import_dataset(session, dataset)
    again = service.import_dataset(session, parse_csv(CSV))
    assert first.created and not again.created and again.dataset_hash == first.dataset_hash == dataset.hash
    with pytest.raises(FactorDatasetConflictError, match="grid@1 is stored already with hash"):
        service.import_dataset(session, parse_csv(CSV.replace("0.6205", "0.62")))
    assert [d.ref for d in service.list_datasets(session)] == ["grid@1"]
    assert service.stored_dataset(session, "grid@1").hash == dataset.hash


def test_show_finds_a_factor_in_every_version_or_in_the_one_asked(session: Session) -> None:
    service.import_dataset(session, parse_csv(CSV))
    service.import_dataset(session, parse_csv(CSV.replace("# version: 1", "# version: 2").replace("0.6205", "0.61")))
    assert [str(f.factor.value) for f in service.show_factor(session, "lca-grid")] == ["0.6205", "0.61"]
    (found,) = service.show_factor(session, "lca-grid@2")
    assert found.dataset.ref == "grid@2" and found.factor.source.url == "https://example.org/b"
    with pytest.raises(FactorDatasetNotFoundError, match="no stored factor 'lca-grid@3'"):
        service.show_factor(session, "lca-grid@3")
    with pytest.raises(FactorDatasetNotFoundError, match="stored: grid@1, grid@2"):
        service.anchor_dataset(session, None, "grid@9")  # type: ignore[arg-type]


def test_a_dataset_hash_is_anchored_once_and_a_factor_row_proves_against_the_root(session: Session, chain: Any) -> None:
    dataset = load_shipped_dataset()
    service.import_dataset(session, dataset)
    anchored = service.anchor_dataset(session, chain, dataset.ref)
    tree = anchor_tree(dataset)
    assert anchored.status == "anchored" and anchored.anchor_root == "0x" + tree.root.hex()
    assert anchored.metadata_uri == "tanji:factor-dataset:cn-electricity-and-fuels@2026.1"
    assert chain.anchored_block(tree.root) == anchored.block_number and anchored.tx_hash
    assert service.anchor_dataset(session, chain, dataset.ref) == anchored  # no second transaction
    grid = dataset.factor("cn-grid-average-2023")
    assert grid is not None
    leaf = factor_leaf(dataset.hash, grid)
    assert verify_proof(tree.root, leaf, tree.proof_of(leaf))


def test_anchoring_resumes_after_a_crash_between_preparing_and_recording(session: Session, chain: Any) -> None:
    dataset = parse_csv(CSV)
    service.import_dataset(session, dataset)
    root = anchor_tree(dataset).root
    _tx, block = chain.anchor_batch(root, 2, "sent before the crash")  # the send happened, the record did not
    row = session.get(FactorDatasetRow, 1)
    assert row is not None
    row.status, row.anchor_root = "prepared", "0x" + root.hex()
    session.add(row)
    session.commit()
    resumed = service.anchor_dataset(session, chain, "grid@1")
    assert (resumed.status, resumed.block_number, resumed.tx_hash) == ("anchored", block, None)


def test_only_anchored_versions_satisfy_a_declaration_citation(session: Session, chain: Any) -> None:
    dataset = parse_csv(CSV)
    service.import_dataset(session, dataset)
    cited = [EmissionFactorRef(id="lca-grid", version="1", source="grid", dataset_hash=dataset.hash)]
    assert [f.code for f in service.check_factor_references(session, cited)] == [NOT_ANCHORED]  # imported only
    service.anchor_dataset(session, chain, "grid@1")
    assert service.check_factor_references(session, cited) == []
    (known,) = service.anchored_datasets(session)
    assert known.factor_ids == {"co2-grid", "lca-grid"} and known.block_number > 0


def test_the_roll_up_takes_a_stored_version_and_refuses_co2_for_co2e(session: Session) -> None:
    service.import_dataset(session, parse_csv(CSV))
    taken = service.rollup_factors(session, "grid@1", bindings={"urn:power": "lca-grid"})
    assert [f.product_id for f in taken.factors] == ["urn:power"] and taken.warnings == []
    assert taken.name.startswith("grid@1#0x")
    with pytest.raises(GasBasisError, match="CO2 only"):
        service.rollup_factors(session, "grid@1", bindings={"urn:power": "co2-grid"})
    accepted = service.rollup_factors(session, "grid@1", bindings={"urn:power": "co2-grid"}, accept_co2_only=True)
    assert "counts CO2 only" in accepted.warnings[0]


def test_an_altered_stored_document_is_detected(session: Session) -> None:
    service.import_dataset(session, parse_csv(CSV))
    row = session.get(FactorDatasetRow, 1)
    assert row is not None
    row.document = row.document.replace("0.6205", "0.5")
    session.add(row)
    session.commit()
    with pytest.raises(FactorDatasetConflictError, match="no longer hashes to"):
        service.stored_dataset(session, "grid@1")
