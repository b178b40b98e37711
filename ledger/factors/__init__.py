"""The emission-factor database: factors with cited sources, datasets from CSV/JSON, their hashes and anchors."""

from ledger.factors.anchor import anchor_tree, factor_leaf, metadata_uri
from ledger.factors.checks import AnchoredDataset, FactorFlag, co2e_warning, factor_reference_problems
from ledger.factors.importing import load_dataset, parse_csv, parse_json
from ledger.factors.model import Factor, FactorDataset, GasBasis, Scope, Source
from ledger.factors.shipped import SHIPPED_DATASET, load_shipped_dataset

__all__ = [
    "SHIPPED_DATASET",
    "AnchoredDataset",
    "Factor",
    "FactorDataset",
    "FactorFlag",
    "GasBasis",
    "Scope",
    "Source",
    "anchor_tree",
    "co2e_warning",
    "factor_leaf",
    "factor_reference_problems",
    "load_dataset",
    "load_shipped_dataset",
    "metadata_uri",
    "parse_csv",
    "parse_json",
]
