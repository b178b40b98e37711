"""The dataset shipped with Tanji: China's published electricity factors and IPCC default fuel factors."""

from __future__ import annotations

from pathlib import Path

from ledger.factors.importing import load_dataset
from ledger.factors.model import FactorDataset

SHIPPED_DATASET = Path(__file__).with_name("data") / "cn-electricity-and-fuels.json"


def load_shipped_dataset() -> FactorDataset:
    """Read the shipped dataset (every row carries its source; see docs/factors.md)."""
    return load_dataset(SHIPPED_DATASET, file_format="json")
