"""Scan the store for anomaly flags (ledger.anomalies) and show each viewer the flags it may see.

Flags are computed on demand and never stored, and ingest never waits for them: a flagged declaration is still
accepted, anchored and verifiable; the flag asks a person to look.

Who sees which flags: a regulator every flag; anyone else (a chain leader over its own supply chain, an auditor
over the declarations assigned to it) the flags of declarations it may read in full (ledger.service.visibility:
its own, granted, assigned), so a flag's evidence never shows a value the viewer could not read. Category
statistics are computed over every current declaration (the median and group size in an outlier's evidence are
aggregates). Cost: one decryption per stored declaration per scan, and one key lookup per declarant key.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from ledger.anomalies.declaration_checks import (
    Snapshot,
    bom_mass_exceeds_product_mass,
    key_retired_before_signing,
    primary_share_without_activity,
    totals_mismatch,
    unanchored_factors,
)
from ledger.anomalies.flags import FOOTPRINT_OUTLIER, Flag
from ledger.anomalies.population_checks import (
    footprint_outliers,
    same_declaration_two_organizations,
    sharp_change_without_reason,
)
from ledger.chain_port import ChainPort
from ledger.factors.checks import AnchoredDataset
from ledger.service.claim_check import block_time_bounds
from ledger.service.factor_datasets import anchored_datasets
from ledger.service.ingest import decrypt_envelope
from ledger.service.visibility import AuditAssignments, Viewer, access_to
from ledger.storage import directory
from ledger.storage.keyring import Keyring
from ledger.storage.tables import BatchRow, DeclarationRow

SEES_ALL_FLAGS = "regulator"


@dataclass(frozen=True)
class ScannedFlag:
    """A flag with the product and the organization of the flagged declaration."""

    flag: Flag
    product_id: str
    organization: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {**self.flag.as_dict(), "productId": self.product_id, "organization": self.organization}


def scan_flags(
    session: Session,
    keyring: Keyring,
    chain: ChainPort,
    viewer: Viewer,
    *,
    product_id: str | None = None,
    assignments: AuditAssignments | None = None,
) -> list[ScannedFlag]:
    """Every flag on the stored declarations that `viewer` may see (of `product_id` only, when given)."""
    rows = list(session.exec(select(DeclarationRow)).all())
    snapshots = {row.id: _snapshot(session, keyring, row) for row in rows}
    current = [snapshots[row.id] for row in rows if row.superseded_by is None]
    flags = footprint_outliers(current) + same_declaration_two_organizations(list(snapshots.values()))
    anchored = anchored_datasets(session)
    windows: dict[str, tuple[int, datetime | None]] = {}
    for row in rows:
        flags += _own_flags(session, chain, row, snapshots, anchored, windows)
    by_id = {row.id: row for row in rows}
    if "regulator" not in viewer.roles:
        flags = [_without_population_statistics(flag) for flag in flags]
    shown = [
        ScannedFlag(flag, by_id[flag.declaration_id].product_id, by_id[flag.declaration_id].org_handle)
        for flag in flags
        if (product_id is None or by_id[flag.declaration_id].product_id == product_id)
        and _may_see(session, by_id[flag.declaration_id], viewer, assignments)
    ]
    return sorted(shown, key=lambda item: (item.product_id, item.flag.declaration_id, item.flag.code))


POPULATION_STATISTICS = ("median", "groupSize", "zScore")


def _without_population_statistics(flag: Flag) -> Flag:
    """An outlier flag as a non-regulator sees it: its own value and threshold, never the category's median, size or
    z-score (with its own value and a few crafted declarations, they would give away other organizations' values)."""
    if flag.code != FOOTPRINT_OUTLIER:
        return flag
    evidence = {key: value for key, value in flag.evidence.items() if key not in POPULATION_STATISTICS}
    reason = (
        f"{flag.evidence.get('value')} kgCO2e per {flag.evidence.get('unit')} is far outside its category "
        f"{flag.evidence.get('category')} (modified z-score beyond {flag.evidence.get('threshold')}; the category's "
        "statistics are shown to regulators only)"
    )
    return replace(flag, reason=reason, evidence=evidence)


def _own_flags(
    session: Session,
    chain: ChainPort,
    row: DeclarationRow,
    snapshots: dict[str, Snapshot],
    anchored: list[AnchoredDataset],
    windows: dict[str, tuple[int, datetime | None]],
) -> list[Flag]:
    """The checks of one declaration, and of it against the predecessors it names."""
    item = snapshots[row.id]
    flags = bom_mass_exceeds_product_mass(item) + primary_share_without_activity(item) + totals_mismatch(item)
    flags += unanchored_factors(item, anchored)
    if row.declarant not in windows:
        windows[row.declarant] = _retirement(session, chain, row.declarant)
    retired_block, retired_by = windows[row.declarant]
    signed_at = _created(item.payload)
    batch = session.get(BatchRow, row.batch_id) if row.batch_id is not None else None
    flags += key_retired_before_signing(
        item,
        signer=row.declarant,
        signed_at=signed_at,
        retired_by=retired_by,
        retired_block=retired_block,
        anchored_block=batch.block_number if batch is not None and batch.status == "anchored" else None,
    )
    for predecessor in directory.predecessors_of(session=session, row=row):
        flags += sharp_change_without_reason(item, snapshots[predecessor.id])
    return flags


def _retirement(session: Session, chain: ChainPort, key: str) -> tuple[int, datetime | None]:
    """(block the key was retired in, 0 if active; a moment by which it certainly was, None if unknown)."""
    window = chain.key_window(key)
    if window.retired_at_block == 0:
        return 0, None
    _, before = block_time_bounds(session, window.retired_at_block)
    return window.retired_at_block, before


def _may_see(session: Session, row: DeclarationRow, viewer: Viewer, assignments: AuditAssignments | None) -> bool:
    if SEES_ALL_FLAGS in viewer.roles:
        return True
    return access_to(session, row, viewer, assignments).full


def _snapshot(session: Session, keyring: Keyring, row: DeclarationRow) -> Snapshot:
    payload = decrypt_envelope(session, keyring, row)["payload"]
    return Snapshot(row.id, row.org_handle, row.product_id, row.digest, payload if isinstance(payload, dict) else {})


def _created(payload: dict[str, Any]) -> datetime | None:
    text = payload.get("created")
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
