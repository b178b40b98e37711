"""The server's long-lived objects: store, chain (one call at a time), ledger and identity services.

`api.compose.open_runtime(settings)` opens one over a workspace; tests build one over a prepared workspace the same
way, or replace a service with `dataclasses.replace(runtime, identity=...)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from ledger.chain_port import (
    ActingChainPort,
    Sender,
    TrustAnchors,
)
from ledger.signing import SigningDomain

if TYPE_CHECKING:
    from sqlmodel import Session

    from api.compose import Store
    from api.settings import Settings
    from ledger.service.anchoring import AnchorService
    from ledger.service.identity import IdentityService, OrganizationDirectory
    from ledger.service.ingest import IngestService
    from ledger.service.siwe import SiweSignIn


READ_METHODS = frozenset(
    {
        "require_active",
        "key_window",
        "was_key_usable_at",
        "anchored_block",
        "leaf_states",
        "attestations",
        "labels",
        "label",
        "member",
        "member_names",
        "status",
        "transaction_params",
    }
)


class SerializedChain:
    """Lets one call at a time through to an ActingChainPort (build it with :func:`serialized`).

    The embedded py-evm chain is not thread-safe, and FastAPI runs sync routes in a thread pool beside the
    anchoring thread; every chain call of the server goes through this lock (one call = one whole transaction:
    nonce, send and receipt, so the operator's nonces never race either). Every method of the port is wrapped, so a
    method added to the port is serialized without a change here.

    `writes` counts the calls that may change the chain (every method but the reads in :data:`READ_METHODS`): a
    cache of chain reads that remembers the count it read at is stale once the count moves, so a transaction this
    server mined (a revocation, a registration) shows on the very next request.
    """

    def __init__(self, inner: ActingChainPort, lock: threading.RLock) -> None:
        self._inner = inner
        self._lock = lock
        self.writes = 0
        self.signing_domain: SigningDomain = inner.signing_domain  # fixed for a deployment: read once
        self.trust_anchors: TrustAnchors = inner.trust_anchors

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if not callable(attribute):
            return attribute
        lock = self._lock
        if name in READ_METHODS:

            def read(*args: Any, **kwargs: Any) -> Any:
                with lock:
                    return attribute(*args, **kwargs)

            return read

        def write(*args: Any, **kwargs: Any) -> Any:
            with lock:
                try:
                    return attribute(*args, **kwargs)
                finally:
                    self.writes += 1

        return write


def chain_writes(chain: ActingChainPort) -> int:
    """How many possibly state-changing calls `chain` (a :class:`SerializedChain`) has made; 0 for another port."""
    return int(getattr(chain, "writes", 0))


def serialized(inner: ActingChainPort, lock: threading.RLock) -> ActingChainPort:
    """`inner` behind `lock`, typed as the port it serves."""
    return cast("ActingChainPort", SerializedChain(inner, lock))


@dataclass(frozen=True)
class Runtime:
    """Everything a request handler or the anchoring thread needs, opened once per server process."""

    settings: Settings
    store: Store
    chain: ActingChainPort
    operator: Sender
    ingest: IngestService
    anchoring: AnchorService
    directory: OrganizationDirectory
    identity: IdentityService
    siwe: SiweSignIn
    chain_lock: threading.RLock

    @property
    def sessions(self) -> Callable[[], Session]:
        """The store's session factory."""
        return self.store.sessions


def build_runtime(settings: Settings, *, store: Store, chain: ActingChainPort, operator: Sender) -> Runtime:
    """Wire the services of a server process over `store` and `chain` (wrapped so calls are serialized)."""
    from ledger.service.anchoring import AnchorService
    from ledger.service.identity import IdentityService, OrganizationDirectory
    from ledger.service.ingest import IngestService
    from ledger.service.membership_cache import MembershipCache
    from ledger.service.siwe import SiweSignIn

    lock = threading.RLock()
    serialized_chain = serialized(chain, lock)
    membership = MembershipCache(serialized_chain)
    directory = OrganizationDirectory(serialized_chain, ttl=settings.principal_cache_seconds)
    identity = IdentityService(store.sessions, directory, token_ttl=settings.token_ttl_seconds)
    return Runtime(
        settings=settings,
        store=store,
        chain=serialized_chain,
        operator=operator,
        ingest=IngestService(
            store.sessions,
            domain=serialized_chain.signing_domain,
            membership=membership,
            keyring=store.keyring,
            workers=1,
        ),
        anchoring=AnchorService(
            store.sessions,
            serialized_chain,
            membership=membership,
            batch_size=settings.batch_size,
            max_age=settings.batch_max_age,
            uri_template=settings.batch_uri_template,
        ),
        directory=directory,
        identity=identity,
        siwe=SiweSignIn(
            store.sessions,
            identity,
            directory,
            domain=settings.public_authority,
            scheme=settings.public_scheme,
            chain_id=serialized_chain.trust_anchors.chain_id,
            nonce_ttl=settings.siwe_nonce_ttl_seconds,
        ),
        chain_lock=lock,
    )
