"""Queries for the native API: organizations' legal identifiers, grants, a viewer's declarations, versions."""

from __future__ import annotations

import json

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from ledger.storage.tables import (
    AccessGrantRow,
    DeclarationRow,
    DisclosureGrantRow,
    OrgIdentifierRow,
)


def identifiers_of(*, session: Session, handle: str) -> list[OrgIdentifierRow]:
    """The legal identifiers recorded for `handle`, by scheme."""
    query = select(OrgIdentifierRow).where(OrgIdentifierRow.org_handle == handle).order_by(col(OrgIdentifierRow.scheme))
    return list(session.exec(query).all())


def identifier_holder(*, session: Session, scheme: str, value: str) -> str | None:
    """The organization that holds identifier `value` of `scheme`, if any."""
    query = select(OrgIdentifierRow.org_handle).where(
        OrgIdentifierRow.scheme == scheme, OrgIdentifierRow.value == value
    )
    return session.exec(query).first()


def disclosure_of(*, session: Session, declaration_id: str, recipient: str) -> list[str] | None:
    """The field pointers `recipient` may see of a declaration, or None without a disclosure grant."""
    row = session.get(DisclosureGrantRow, (declaration_id, recipient))
    return None if row is None else list(json.loads(row.fields))


def disclosure_grants_of(*, session: Session, declaration_id: str) -> list[DisclosureGrantRow]:
    """Every disclosure grant of a declaration."""
    query = select(DisclosureGrantRow).where(DisclosureGrantRow.declaration_id == declaration_id)
    return list(session.exec(query).all())


def access_grants_of(*, session: Session, declaration_id: str) -> list[AccessGrantRow]:
    """Every full read grant of a declaration."""
    query = select(AccessGrantRow).where(AccessGrantRow.declaration_id == declaration_id)
    return list(session.exec(query).all())


def readable_ids(*, session: Session, org: str) -> tuple[set[str], set[str]]:
    """Ids of declarations `org` was granted in full, and of those it was granted a disclosure of."""
    full = set(session.exec(select(AccessGrantRow.declaration_id).where(AccessGrantRow.recipient == org)).all())
    partial = set(
        session.exec(select(DisclosureGrantRow.declaration_id).where(DisclosureGrantRow.recipient == org)).all()
    )
    return full, partial - full


def declarations_page(
    *,
    session: Session,
    org: str,
    granted: set[str],
    status: str | None,
    product_id: str | None,
    offset: int,
    limit: int,
) -> tuple[list[DeclarationRow], int]:
    """Declarations of `org` or among `granted`, newest first, filtered; (page, total)."""
    condition = or_(col(DeclarationRow.org_handle) == org, col(DeclarationRow.id).in_(sorted(granted)))
    query = select(DeclarationRow).where(condition)
    count = select(func.count()).select_from(DeclarationRow).where(condition)
    if status is not None:
        query, count = query.where(DeclarationRow.status == status), count.where(DeclarationRow.status == status)
    if product_id is not None:
        query = query.where(DeclarationRow.product_id == product_id)
        count = count.where(DeclarationRow.product_id == product_id)
    query = query.order_by(col(DeclarationRow.created_at).desc(), col(DeclarationRow.id)).offset(offset).limit(limit)
    return list(session.exec(query).all()), int(session.exec(count).one())


def predecessors_of(*, session: Session, row: DeclarationRow) -> list[DeclarationRow]:
    """The stored declarations `row` names in precedingPfIds."""
    ids = list(json.loads(row.preceding_ids or "[]"))
    if not ids:
        return []
    return list(session.exec(select(DeclarationRow).where(col(DeclarationRow.id).in_(ids))).all())


def direct_successors_of(*, session: Session, row: DeclarationRow) -> list[DeclarationRow]:
    """The stored declarations that supersede `row` (it names them in superseded_by, or by digest on chain)."""
    if row.superseded_by is None:
        return []
    successor = session.get(DeclarationRow, row.superseded_by)
    return [successor] if successor is not None else []
