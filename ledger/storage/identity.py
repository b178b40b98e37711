"""Queries over the HTTP API's identity tables: clients, bearer tokens and sign-in nonces (keyword-only functions).

Secrets and tokens arrive here already hashed; nothing in this module sees a clear secret.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, delete, update
from sqlmodel import Session, col, select

from ledger.storage.tables import ApiClientRow, ApiTokenRow, SiweNonceRow


def add_client(*, session: Session, client_id: str, org_handle: str, secret_hash: str) -> ApiClientRow:
    """Insert a client (the caller commits)."""
    row = ApiClientRow(client_id=client_id, org_handle=org_handle, secret_hash=secret_hash)
    session.add(row)
    return row


def get_client(*, session: Session, client_id: str) -> ApiClientRow | None:
    """A client by id, revoked or not."""
    return session.get(ApiClientRow, client_id)


def list_clients(*, session: Session, org_handle: str | None = None) -> list[ApiClientRow]:
    """Every client (of `org_handle` when given), oldest first."""
    query = select(ApiClientRow).order_by(col(ApiClientRow.created_at), col(ApiClientRow.client_id))
    if org_handle is not None:
        query = query.where(ApiClientRow.org_handle == org_handle)
    return list(session.exec(query))


def add_token(
    *, session: Session, token_hash: str, org_handle: str, method: str, subject: str, expires_at: int
) -> ApiTokenRow:
    """Insert a bearer token record (the caller commits)."""
    row = ApiTokenRow(
        token_hash=token_hash, org_handle=org_handle, method=method, subject=subject, expires_at=expires_at
    )
    session.add(row)
    return row


def get_token(*, session: Session, token_hash: str) -> ApiTokenRow | None:
    """A token record by the SHA-256 of the token."""
    return session.get(ApiTokenRow, token_hash)


def revoke_tokens_of(*, session: Session, subject: str, now: datetime) -> int:
    """Revoke every live token issued to `subject` (a client id or an address); returns how many."""
    result = session.exec(
        update(ApiTokenRow)
        .where(col(ApiTokenRow.subject) == subject, col(ApiTokenRow.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    return int(result.rowcount)


def add_nonce(*, session: Session, nonce: str, expires_at: int) -> SiweNonceRow:
    """Insert a sign-in nonce (the caller commits)."""
    row = SiweNonceRow(nonce=nonce, expires_at=expires_at)
    session.add(row)
    return row


def consume_nonce(*, session: Session, nonce: str, now: int, used_at: datetime) -> bool:
    """Mark `nonce` used if it is unused and unexpired, in one statement (so two racing sign-ins cannot both win)."""
    result: CursorResult[tuple[()]] = session.exec(  # type: ignore[call-overload]
        update(SiweNonceRow)
        .where(
            col(SiweNonceRow.nonce) == nonce,
            col(SiweNonceRow.used_at).is_(None),
            col(SiweNonceRow.expires_at) > now,
        )
        .values(used_at=used_at)
    )
    return int(result.rowcount) == 1


def purge_expired(*, session: Session, before: int) -> None:
    """Delete nonces and tokens that expired before `before` (Unix time); they can never be accepted again."""
    session.exec(delete(SiweNonceRow).where(col(SiweNonceRow.expires_at) < before))  # type: ignore[call-overload]
    session.exec(delete(ApiTokenRow).where(col(ApiTokenRow.expires_at) < before))  # type: ignore[call-overload]
