"""The identity tables on SQLite and PostgreSQL: nonces are consumed once, revocation reaches every token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from ledger.storage import identity as store


def test_a_nonce_is_consumed_exactly_once_and_never_after_expiry(engine: Any) -> None:
    now = datetime.now(UTC)
    with Session(engine) as session:
        store.add_nonce(session=session, nonce="fresh12345", expires_at=1_000)
        store.add_nonce(session=session, nonce="stale12345", expires_at=500)
        session.commit()
        assert store.consume_nonce(session=session, nonce="fresh12345", now=900, used_at=now)
        assert not store.consume_nonce(session=session, nonce="fresh12345", now=900, used_at=now)
        assert not store.consume_nonce(session=session, nonce="stale12345", now=900, used_at=now)
        assert not store.consume_nonce(session=session, nonce="unknown123", now=900, used_at=now)
        session.commit()


def test_revoking_a_subject_revokes_all_its_live_tokens_only(engine: Any) -> None:
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session:
        for token_hash, subject in (("a" * 64, "tc_one"), ("b" * 64, "tc_one"), ("c" * 64, "tc_two")):
            store.add_token(
                session=session,
                token_hash=token_hash,
                org_handle="acme",
                method="client_credentials",
                subject=subject,
                expires_at=2_000,
            )
        session.commit()
        assert store.revoke_tokens_of(session=session, subject="tc_one", now=now) == 2
        session.commit()
        revoked = {h: store.get_token(session=session, token_hash=h) for h in ("a" * 64, "c" * 64)}
        assert revoked["a" * 64] is not None and revoked["a" * 64].revoked_at is not None
        assert revoked["c" * 64] is not None and revoked["c" * 64].revoked_at is None


def test_expired_nonces_and_tokens_are_purged(engine: Any) -> None:
    with Session(engine) as session:
        store.add_nonce(session=session, nonce="old1234567", expires_at=10)
        store.add_token(
            session=session, token_hash="d" * 64, org_handle="acme", method="siwe", subject="0xabc", expires_at=10
        )
        store.add_nonce(session=session, nonce="new1234567", expires_at=10_000)
        session.commit()
        store.purge_expired(session=session, before=100)
        session.commit()
        assert store.get_token(session=session, token_hash="d" * 64) is None
        assert store.consume_nonce(session=session, nonce="new1234567", now=100, used_at=datetime.now(UTC))
        assert not store.consume_nonce(session=session, nonce="old1234567", now=5, used_at=datetime.now(UTC))
