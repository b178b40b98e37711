"""Product ownership: which organization may declare a product id.

Rules (docs/trust-model.md, "Product ownership"):

- an id under ``urn:tanji:<org>:`` belongs to ``<org>`` by its name, from the start;
- any other id (a GTIN, another URN scheme) belongs to the first organization whose declaration of it was fixed
  into a batch for anchoring (a prepared batch is always anchored, exactly once); the claim is recorded in
  ``product_owners`` in the same transaction as the batch;
- ownership binds the primary product id (``productIds[0]``), the id this ledger indexes and rolls up by.

Ingest refuses a declaration of a product owned by another organization; anchoring refuses one whose product
was claimed by another organization between its ingest and its batch. So no organization can give another's
product a second current declaration.
"""

from __future__ import annotations

from sqlmodel import Session

from ledger.errors import ProductOwnedElsewhereError
from ledger.organizations import org_id
from ledger.storage import repository
from ledger.storage.tables import ProductOwnerRow

NAMESPACE = "urn:tanji:"


def namespace_owner(product_id: str) -> str | None:
    """The organization named by an ``urn:tanji:<org>:<name>`` id, or None for other schemes."""
    if not product_id.startswith(NAMESPACE):
        return None
    org, separator, name = product_id[len(NAMESPACE) :].partition(":")
    return org if separator and org and name else None


def owner_of(session: Session, product_id: str, claimed: dict[str, str] | None = None) -> str | None:
    """The organization `product_id` belongs to: its namespace, a recorded claim, or one in `claimed`."""
    named = namespace_owner(product_id)
    if named is not None:
        return named
    if claimed and product_id in claimed:
        return claimed[product_id]
    row = repository.product_owner(session=session, product_id=product_id)
    return None if row is None else row.org_handle


def require_may_declare(
    session: Session, product_id: str, org: str, claimed: dict[str, str] | None = None
) -> str | None:
    """Refuse (ProductOwnedElsewhereError) a declaration of `product_id` by `org` when another organization owns it;
    return the owner (None: nobody yet)."""
    owner = owner_of(session, product_id, claimed)
    if owner is not None and org_id(owner) != org_id(org):
        how = "by its urn:tanji namespace" if namespace_owner(product_id) else "by the first anchored declaration"
        raise ProductOwnedElsewhereError(
            f"product {product_id!r} belongs to organization {owner!r} ({how}), not to {org!r}; declare your own "
            f"product under urn:tanji:{org}:... or another id you own"
        )
    return owner


def claim(session: Session, product_id: str, org: str, declaration_id: str) -> None:
    """Record `org` as owner of `product_id` (in the caller's transaction)."""
    session.add(ProductOwnerRow(product_id=product_id, org_handle=org, declaration_id=declaration_id))
