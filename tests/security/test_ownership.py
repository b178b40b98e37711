"""Attacks on product ownership: declaring another organization's product to break its roll-ups."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from ledger.graph.build import build_supply_chain
from ledger.service.supply_chain import load_declared_products
from ledger.storage.tables import DeclarationRow, ProductOwnerRow

GTIN = "urn:gtin:04012345678901"


def test_a_supplier_cannot_declare_another_orgs_namespaced_product(env: Any) -> None:
    result = env.submit(env.rival, org="rival", product="urn:tanji:acme:hot-rolled-coil")
    assert result.status == "rejected" and result.error.startswith("ProductOwnedElsewhereError")
    assert "belongs to organization 'acme'" in result.error and "urn:tanji:rival:" in result.error
    with env.sessions() as session:
        assert session.exec(select(DeclarationRow)).all() == []


def test_the_first_anchored_declarant_owns_a_product_id_of_another_scheme(env: Any) -> None:
    first = env.submit(product=GTIN)
    env.flush()
    late = env.submit(env.rival, org="rival", product=GTIN)
    assert late.status == "rejected" and "ProductOwnedElsewhereError" in late.error
    assert "by the first anchored declaration" in late.error
    with env.sessions() as session:
        owner = session.get(ProductOwnerRow, GTIN)
        assert (owner.org_handle, owner.declaration_id) == ("acme", first.id)
    assert env.submit(product=GTIN).status == "pending"  # the owner declares it again freely


def test_a_foreign_declaration_queued_before_ownership_is_refused_at_anchoring(env: Any) -> None:
    mine = env.submit(product=GTIN)
    theirs = env.submit(env.rival, org="rival", product=GTIN)
    assert (mine.status, theirs.status) == ("pending", "pending")  # nobody owned the GTIN yet
    report = env.flush()
    assert (report.anchored_declarations, report.rejected) == (1, 1)
    refused = env.row(theirs.id)
    assert refused.status == "rejected" and refused.reason.startswith("ProductOwnedElsewhereError")
    assert env.row(mine.id).status == "anchored"


def test_a_foreign_declaration_cannot_make_two_current_declarations_of_a_product(env: Any) -> None:
    env.submit(product=GTIN)
    env.submit(env.rival, org="rival", product=GTIN)
    env.submit(env.rival, org="rival", product="urn:tanji:rival:ore")
    env.flush()
    with env.sessions() as session:
        products = load_declared_products(session, env.keyring, env.chain)
    assert sorted(p.product_id for p in products) == [GTIN, "urn:tanji:rival:ore"]
    assert build_supply_chain(products).failures == {}
