"""Use case: the CBAM export of one good from the ledger's current anchored declarations."""

from __future__ import annotations

from sqlmodel import Session

from ledger.cbam.embedded import CbamExport, cbam_export
from ledger.chain_port import ChainPort
from ledger.service.supply_chain import load_declared_products
from ledger.storage.keyring import Keyring


def export_cbam(session: Session, keyring: Keyring, chain: ChainPort, product_id: str) -> CbamExport:
    """Specific embedded emissions of `product_id` and its precursors (ledger.cbam.embedded)."""
    return cbam_export(load_declared_products(session, keyring, chain), product_id)
