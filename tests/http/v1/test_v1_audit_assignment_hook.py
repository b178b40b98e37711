"""The audit-assignment hook of the visibility rules: an auditor assigned to a declaration reads it in full; the same
auditor unassigned, or an assigned organization without the auditor role, sees the public facts only."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from ledger.service.declaration_reads import view_declaration
from ledger.service.visibility import Viewer


class Assigned:
    """audit is assigned to exactly one declaration."""

    def __init__(self, declaration_id: str) -> None:
        self.declaration_id = declaration_id

    def assigned(self, session: Session, auditor: str, declaration_id: str) -> bool:
        return auditor == "audit" and declaration_id == self.declaration_id


def test_an_assigned_auditor_reads_what_it_audits_and_nothing_else(v1_world: Any) -> None:
    runtime, hook = v1_world.runtime, Assigned(v1_world.own)
    auditor, unranked = Viewer("audit", frozenset({"auditor"})), Viewer("audit", frozenset())
    with runtime.sessions() as session:
        keyring, chain = runtime.store.keyring, runtime.chain
        assigned = view_declaration(session, keyring, chain, v1_world.own, auditor, hook)
        other = view_declaration(session, keyring, chain, v1_world.other, auditor, hook)
        without_role = view_declaration(session, keyring, chain, v1_world.own, unranked, hook)
        unhooked = view_declaration(session, keyring, chain, v1_world.own, auditor)
    assert assigned.access == "assigned" and assigned.payload is not None
    assert assigned.payload["id"] == v1_world.envelopes["own"]["payload"]["id"]
    assert (other.access, other.payload) == ("public", None)
    assert (without_role.access, without_role.payload) == ("public", None)
    assert (unhooked.access, unhooked.payload) == ("public", None)
