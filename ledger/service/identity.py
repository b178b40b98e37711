"""Who is calling the HTTP API: OAuth2 client credentials, bearer tokens and the principal a token stands for.

- Clients belong to one organization and are created, rotated and revoked by the operator. Only a salted scrypt
  hash of a secret is stored; the clear secret is shown once, when it is made.
- Bearer tokens are random; only their SHA-256 is stored, with the organization, the sign-in method, the subject
  (client id or wallet address) and an expiry.
- A token resolves to a :class:`Principal` whose roles come from on-chain membership (read through
  :class:`OrganizationDirectory`, cached briefly), so suspending an organization or retiring a key on chain shuts
  its sessions within the cache lifetime.
- Token records are remembered in-process (:class:`TokenCache`, keyed by the token's SHA-256, bounded) for at most
  `token_cache_seconds`: revoking or rotating a client through this service forgets its tokens at once; a revocation
  made by another process (the operator's `tanji client revoke`, another server) takes effect within that bound.
  Expiry is checked on every request, cached or not.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlmodel import Session

from ledger.chain_port import MemberRecord
from ledger.errors import (
    ConflictError,
    InvalidClientError,
    InvalidTokenError,
    NotAMemberError,
    NotFoundError,
    TokenExpiredError,
)
from ledger.organizations import org_id
from ledger.service.token_cache import TOKEN_CACHE_SECONDS, TokenCache, TokenRecord
from ledger.storage import identity as store
from ledger.storage.tables import ApiClientRow

CLIENT_CREDENTIALS, SIWE = "client_credentials", "siwe"
# Secrets are 256 random bits, so no work factor is needed against guessing; scrypt with a per-secret salt is defence
# in depth for a stolen table. 2**12 keeps the token endpoint near 10-40 ms a check; stored hashes carry their
# parameters, so raising it later leaves existing secrets valid.
_SCRYPT = {"n": 2**12, "r": 8, "p": 1}
_MAX_TOKEN_LENGTH = 256


def hash_secret(secret: str) -> str:
    """``scrypt$n$r$p$salt$hash`` of `secret` with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, dklen=32, **_SCRYPT)
    params = "$".join(str(_SCRYPT[k]) for k in ("n", "r", "p"))
    return f"scrypt${params}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def secret_matches(secret: str, stored: str) -> bool:
    """Does `secret` hash to `stored`? Constant-time in the comparison; False for a malformed record."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(secret.encode(), salt=base64.b64decode(salt), dklen=32, n=int(n), r=int(r), p=int(p))
        return hmac.compare_digest(actual, base64.b64decode(digest))
    except ValueError:
        return False


_DUMMY_HASH = hash_secret("no client has this secret")  # unknown clients cost the same time as known ones


def token_digest(token: str) -> str:
    """The SHA-256 (hex) under which a bearer token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """The organization a request speaks for, its on-chain roles, and how it signed in."""

    org_handle: str
    org_id: bytes
    roles: frozenset[str]
    method: str
    subject: str
    expires_at: int

    @property
    def client_id(self) -> str | None:
        """The API client, when signed in with client credentials."""
        return self.subject if self.method == CLIENT_CREDENTIALS else None

    @property
    def address(self) -> str | None:
        """The wallet address, when signed in with Ethereum."""
        return self.subject if self.method == SIWE else None

    def has_any_role(self, roles: Sequence[str] | frozenset[str]) -> bool:
        """Does the organization hold at least one of `roles`?"""
        return not self.roles.isdisjoint(roles)


@dataclass(frozen=True)
class IssuedClient:
    """A client with its clear secret (shown once)."""

    client_id: str
    org_handle: str
    secret: str


@dataclass(frozen=True)
class ClientInfo:
    """A client as listed (no secret)."""

    client_id: str
    org_handle: str
    created_at: datetime
    rotated_at: datetime | None
    revoked: bool


@dataclass(frozen=True)
class IssuedToken:
    """A bearer token with its lifetime in seconds."""

    token: str
    expires_in: int
    org_handle: str
    method: str
    subject: str


class MemberView(Protocol):
    """The membership view a directory reads (ledger.chain_port.ActingChainPort has it)."""

    def member(self, org: str) -> MemberRecord | None:
        """Organization `org`, or None when not registered."""
        ...


class OrganizationDirectory:
    """On-chain membership records by organization handle, remembered for `ttl` seconds."""

    def __init__(self, chain: MemberView, *, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.chain = chain
        self.ttl = ttl
        self.clock = clock
        self._seen: dict[str, tuple[float, MemberRecord | None]] = {}
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()

    def record(self, org: str, *, fresh: bool = False) -> MemberRecord | None:
        """The chain's record of `org` (None when not registered); `fresh` bypasses the cache.

        One thread reads an expired record while the others wait for its answer (rather than all queueing on the
        chain with the same question)."""
        if not fresh:
            known, record = self.cached(org)
            if known:
                return record
        with self._refreshing:
            if not fresh:
                known, record = self.cached(org)
                if known:
                    return record
            record = self.chain.member(org)
            with self._lock:
                self._seen[org] = (self.clock(), record)
            return record

    def cached(self, org: str) -> tuple[bool, MemberRecord | None]:
        """(True, record) when `org`'s record was read within `ttl` seconds, else (False, None): no chain call."""
        with self._lock:
            seen = self._seen.get(org)
        if seen is not None and self.clock() - seen[0] < self.ttl:
            return True, seen[1]
        return False, None

    def forget(self) -> None:
        """Drop every remembered record."""
        with self._lock:
            self._seen.clear()


class IdentityService:
    """Client credentials, bearer tokens and principals over one store and one directory."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        directory: OrganizationDirectory,
        *,
        token_ttl: int,
        clock: Callable[[], float] = time.time,
        token_cache_seconds: float = TOKEN_CACHE_SECONDS,
    ) -> None:
        self.sessions = sessions
        self.directory = directory
        self.token_ttl = token_ttl
        self.clock = clock
        self.token_cache = TokenCache(ttl=token_cache_seconds)

    # clients (the operator) ----------------------------------------------------------------------------------------
    def create_client(self, org: str) -> IssuedClient:
        """A new client of registered organization `org`; NotFoundError when the chain does not know it."""
        org_id(org)
        if self.directory.record(org, fresh=True) is None:
            raise NotFoundError(f"organization {org!r} is not registered on chain; register it with `tanji member add`")
        client_id, secret = "tc_" + secrets.token_hex(8), secrets.token_urlsafe(32)
        with self.sessions() as session:
            store.add_client(session=session, client_id=client_id, org_handle=org, secret_hash=hash_secret(secret))
            session.commit()
        return IssuedClient(client_id, org, secret)

    def rotate_client(self, client_id: str) -> IssuedClient:
        """A new secret for `client_id`; the old secret and every token issued with it stop working."""
        secret = secrets.token_urlsafe(32)
        with self.sessions() as session:
            row = self._live_client(session, client_id)
            row.secret_hash, row.rotated_at = hash_secret(secret), self._now()
            session.add(row)
            org = row.org_handle
            store.revoke_tokens_of(session=session, subject=client_id, now=self._now())
            session.commit()
        self.token_cache.forget_subject(client_id)
        return IssuedClient(client_id, org, secret)

    def revoke_client(self, client_id: str) -> None:
        """Revoke `client_id` and every token issued to it."""
        with self.sessions() as session:
            row = self._live_client(session, client_id)
            row.revoked_at = self._now()
            session.add(row)
            store.revoke_tokens_of(session=session, subject=client_id, now=self._now())
            session.commit()
        self.token_cache.forget_subject(client_id)

    def clients(self, org: str | None = None) -> list[ClientInfo]:
        """Every client (of `org` when given)."""
        with self.sessions() as session:
            rows = store.list_clients(session=session, org_handle=org)
        return [
            ClientInfo(r.client_id, r.org_handle, r.created_at, r.rotated_at, r.revoked_at is not None) for r in rows
        ]

    def _live_client(self, session: Session, client_id: str) -> ApiClientRow:
        row = store.get_client(session=session, client_id=client_id)
        if row is None:
            raise NotFoundError(f"no API client {client_id!r}; list them with `tanji client list`")
        if row.revoked_at is not None:
            raise ConflictError(f"API client {client_id!r} is revoked; create a new one with `tanji client create ORG`")
        return row

    # tokens --------------------------------------------------------------------------------------------------------
    def token_for_client(self, client_id: str, secret: str) -> IssuedToken:
        """A bearer token for a client whose secret matches; InvalidClientError (saying no more) otherwise."""
        with self.sessions() as session:
            row = store.get_client(session=session, client_id=client_id)
        matches = secret_matches(secret, row.secret_hash if row else _DUMMY_HASH)
        if row is None or row.revoked_at is not None or not matches:
            raise InvalidClientError("client authentication failed")
        return self.issue_token(org=row.org_handle, method=CLIENT_CREDENTIALS, subject=client_id)

    def issue_token(self, *, org: str, method: str, subject: str, ttl: int | None = None) -> IssuedToken:
        """Store and return a new bearer token for `org` (lifetime `ttl`, at most the configured one)."""
        lifetime = max(1, min(ttl if ttl is not None else self.token_ttl, self.token_ttl))
        token = "tt_" + secrets.token_urlsafe(32)
        with self.sessions() as session:
            store.add_token(
                session=session,
                token_hash=token_digest(token),
                org_handle=org,
                method=method,
                subject=subject,
                expires_at=int(self.clock()) + lifetime,
            )
            session.commit()
        return IssuedToken(token, lifetime, org, method, subject)

    def authenticate(self, token: str) -> Principal:
        """The principal of a bearer token; InvalidTokenError, TokenExpiredError or NotAMemberError saying why not."""
        _check_shape(token)
        row = self._token_record(token_digest(token))
        return self._principal(row, self.directory.record(row.org_handle))

    def cached_principal(self, token: str) -> Principal | None:
        """The principal of `token` from this process's caches alone, or None when the store or the chain must be
        read (then call :meth:`authenticate`); the same errors as :meth:`authenticate` for what the caches know."""
        _check_shape(token)
        row = self.token_cache.get(token_digest(token))
        if row is None:
            return None
        known, record = self.directory.cached(row.org_handle)
        return self._principal(row, record) if known else None

    def _principal(self, row: TokenRecord, record: MemberRecord | None) -> Principal:
        if self.clock() >= row.expires_at:
            expired = datetime.fromtimestamp(row.expires_at, UTC).isoformat()
            raise TokenExpiredError(f"bearer token expired at {expired}; obtain a new one from /auth/token")
        require_standing(record, row.org_handle, row.subject if row.method == SIWE else None)
        assert record is not None
        return Principal(
            org_handle=row.org_handle,
            org_id=record.org_id,
            roles=frozenset(record.roles),
            method=row.method,
            subject=row.subject,
            expires_at=row.expires_at,
        )

    def _token_record(self, token_hash: str) -> TokenRecord:
        """The live record of a token (from the cache when read recently); InvalidTokenError when unknown or revoked."""
        cached = self.token_cache.get(token_hash)
        if cached is not None:
            return cached
        with self.sessions() as session:
            row = store.get_token(session=session, token_hash=token_hash)
        if row is None or row.revoked_at is not None:
            raise InvalidTokenError("invalid bearer token (unknown or revoked); obtain a new one from /auth/token")
        record = TokenRecord(row.org_handle, row.method, row.subject, row.expires_at)
        self.token_cache.put(token_hash, record)
        return record

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)


def _check_shape(token: str) -> None:
    if not token or len(token) > _MAX_TOKEN_LENGTH or not token.isascii():
        raise InvalidTokenError("malformed bearer token; obtain one from /auth/token or /auth/siwe")


def require_standing(record: MemberRecord | None, org: str, address: str | None) -> None:
    """NotAMemberError unless `org` is registered, not suspended, and (for a wallet) `address` an active key of it."""
    if record is None:
        raise NotAMemberError(f"organization {org!r} is not registered on chain; ask the consortium operator")
    if record.suspended:
        raise NotAMemberError(f"organization {org!r} is suspended on chain; ask the operator to reinstate it")
    if address is not None and not any(
        key.address.lower() == address.lower() and key.retired_at_block == 0 for key in record.keys
    ):
        raise NotAMemberError(f"{address} is not an active key of organization {org!r} on chain")
