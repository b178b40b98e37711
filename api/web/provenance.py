"""The provenance tree an auditor reviews: a declaration, its checks (envelope, signature, anchor, status ...: the
verification use case's report), and the same for each input it cites, down the supply chain.

A node's inputs are read from its payload, so they are listed only where the viewer may read that payload in full
(ledger.service.visibility); elsewhere the node says its inputs are not shown. Checks of any node are shown: they
are verdicts over public facts (who signed, where it is anchored, its status), never payload values. Where the
payload may be read, the node also gets the arithmetic check of the audit work view (the PCF totals equal the sum of
their components); for a rolled-up footprint (one that carries a provenance record) the whole roll-up is re-derived
by the audit use case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from ledger.chain_port import ChainPort
from ledger.declarations.extension_parse import parse_extension
from ledger.graph.model import EmissionFactor
from ledger.service.audit import AuditReport, audit, current_row
from ledger.service.audit_work import totals_check
from ledger.service.supply_chain import stored_payload
from ledger.service.verify import Check
from ledger.service.verify_stored import verify_stored
from ledger.service.visibility import Viewer, access_to
from ledger.storage import repository
from ledger.storage.keyring import Keyring
from ledger.storage.tables import DeclarationRow

MAX_DEPTH = 8
MAX_NODES = 200


@dataclass
class ProvenanceNode:
    """One declaration (or an input nothing in this ledger declares) and its checks."""

    product_id: str
    declaration_id: str | None
    org: str
    verdict: str
    checks: list[Check] = field(default_factory=list)
    children: list[ProvenanceNode] = field(default_factory=list)
    inputs_hidden: bool = False


@dataclass
class ProvenanceTree:
    """The root node and, for a rolled-up footprint, the re-derivation of its arithmetic."""

    root: ProvenanceNode
    arithmetic: AuditReport | None = None


def _rolled_up(payload: dict[str, object]) -> bool:
    extensions = payload.get("extensions")
    return isinstance(extensions, list) and any(
        isinstance(item, dict) and "provenance" in (item.get("data") or {}) for item in extensions
    )


def arithmetic_check(payload: dict[str, Any]) -> Check:
    """The audit work view's arithmetic: do the stated PCF totals equal the sum of the stated components?"""
    found = totals_check(payload["pcf"])
    if found["passed"]:
        return Check("arithmetic", True, "the PCF totals equal the sum of their components")
    return Check("arithmetic", False, "; ".join(f"{d['location']}: {d['message']}" for d in found["discrepancies"]))


class _Builder:
    def __init__(self, session: Session, keyring: Keyring, chain: ChainPort, viewer: Viewer) -> None:
        self.session, self.keyring, self.chain, self.viewer = session, keyring, chain, viewer
        self.seen: set[str] = set()

    def node(self, row: DeclarationRow, depth: int) -> ProvenanceNode:
        report = verify_stored(self.session, self.keyring, self.chain, row.id)
        verdict, checks = (report.verdict, report.checks) if report else ("INVALID", [])
        node = ProvenanceNode(row.product_id, row.id, row.org_handle, verdict, checks)
        self.seen.add(row.id)
        if depth >= MAX_DEPTH or len(self.seen) >= MAX_NODES:
            return node
        if not access_to(self.session, row, self.viewer).full:
            node.inputs_hidden = True
            return node
        payload = stored_payload(self.session, self.keyring, row)
        node.checks = [*node.checks, arithmetic_check(payload)]
        for line in parse_extension(payload).bill_of_materials:
            reference = line.declaration_id or line.declaration_digest
            upstream = repository.get_declaration(session=self.session, key=reference) if reference else None
            upstream = upstream or current_row(self.session, line.product_id)
            if upstream is None:
                node.children.append(ProvenanceNode(line.product_id, None, "", "MISSING"))
            elif upstream.id not in self.seen:
                node.children.append(self.node(upstream, depth + 1))
        return node


def provenance_tree(
    session: Session, keyring: Keyring, chain: ChainPort, key: str, viewer: Viewer, factors: list[EmissionFactor]
) -> ProvenanceTree:
    """The tree of declaration `key` as `viewer` may see it; the arithmetic audit when it is a rolled-up one."""
    row = repository.require_declaration(session=session, key=key)
    tree = ProvenanceTree(_Builder(session, keyring, chain, viewer).node(row, 0))
    if access_to(session, row, viewer).full and _rolled_up(stored_payload(session, keyring, row)):
        tree.arithmetic = audit(session, keyring, chain, row.product_id, factors)
    return tree
