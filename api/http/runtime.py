"""The server's long-lived objects: store, chain (one call at a time), ledger and identity services.

`api.compose.open_runtime(settings)` opens one over a workspace; tests build one over a prepared workspace the same
way, or replace a service with `dataclasses.replace(runtime, identity=...)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.chain_port import (
    ActingChainPort,
    ChainStatus,
    KeyWindow,
    LabelRecord,
    LeafState,
    MemberRecord,
    Sender,
    TrustAnchors,
    TxResult,
)
from ledger.codes import Reason
from ledger.signing import SigningDomain

if TYPE_CHECKING:
    from sqlmodel import Session

    from api.compose import Store
    from api.settings import Settings
    from ledger.service.anchoring import AnchorService
    from ledger.service.identity import IdentityService, OrganizationDirectory
    from ledger.service.ingest import IngestService
    from ledger.service.siwe import SiweSignIn


class SerializedChain:
    """An ActingChainPort that lets one call at a time through to `inner`.

    The embedded py-evm chain is not thread-safe, and FastAPI runs sync routes in a thread pool beside the
    anchoring thread; every chain call of the server goes through this lock (one call = one whole transaction:
    nonce, send and receipt, so the operator's nonces never race either).
    """

    def __init__(self, inner: ActingChainPort, lock: threading.RLock) -> None:
        self.inner = inner
        self.lock = lock
        self._domain = inner.signing_domain
        self._anchors = inner.trust_anchors

    def _call(self, method: Callable[..., Any], *args: Any) -> Any:
        with self.lock:
            return method(*args)

    @property
    def signing_domain(self) -> SigningDomain:
        """EIP-712 domain of the deployment (fixed: read once)."""
        return self._domain

    @property
    def trust_anchors(self) -> TrustAnchors:
        """Chain id and contract addresses (fixed: read once)."""
        return self._anchors

    def require_active(self, account: str, role: str) -> bytes:
        """See ledger.chain_port.MembershipPort."""
        result: bytes = self._call(self.inner.require_active, account, role)
        return result

    def key_window(self, account: str) -> KeyWindow:
        """See ledger.chain_port.MembershipPort."""
        result: KeyWindow = self._call(self.inner.key_window, account)
        return result

    def anchored_block(self, root: bytes) -> int | None:
        """See ledger.chain_port.AnchorPort."""
        result: int | None = self._call(self.inner.anchored_block, root)
        return result

    def anchor_batch(self, root: bytes, leaf_count: int, metadata_uri: str) -> tuple[str, int]:
        """See ledger.chain_port.AnchorPort."""
        result: tuple[str, int] = self._call(self.inner.anchor_batch, root, leaf_count, metadata_uri)
        return result

    def leaf_states(self, leaves: list[bytes]) -> list[LeafState]:
        """See ledger.chain_port.AnchorPort."""
        result: list[LeafState] = self._call(self.inner.leaf_states, leaves)
        return result

    def attestations(self, digest: bytes) -> list[dict[str, object]]:
        """See ledger.chain_port.AnchorPort."""
        result: list[dict[str, object]] = self._call(self.inner.attestations, digest)
        return result

    def labels(self, digest: bytes) -> list[dict[str, object]]:
        """See ledger.chain_port.AnchorPort."""
        result: list[dict[str, object]] = self._call(self.inner.labels, digest)
        return result

    def revoke_declaration(
        self, root: bytes, digest: bytes, declarant: str, proof: list[bytes], reason: Reason, sender: Sender
    ) -> TxResult:
        """See ledger.chain_port.ActingChainPort."""
        result: TxResult = self._call(self.inner.revoke_declaration, root, digest, declarant, proof, reason, sender)
        return result

    def supersede_declaration(
        self, root: bytes, digest: bytes, declarant: str, proof: list[bytes], successor: bytes, sender: Sender
    ) -> TxResult:
        """See ledger.chain_port.ActingChainPort."""
        result: TxResult = self._call(
            self.inner.supersede_declaration, root, digest, declarant, proof, successor, sender
        )
        return result

    def attest(self, digest: bytes, result: int, assurance: int, report_hash: bytes, sender: Sender) -> TxResult:
        """See ledger.chain_port.ActingChainPort."""
        mined: TxResult = self._call(self.inner.attest, digest, result, assurance, report_hash, sender)
        return mined

    def issue_label(
        self, serial: bytes, product_id_hash: bytes, digest: bytes, grade: bytes, valid: tuple[int, int], sender: Sender
    ) -> TxResult:
        """See ledger.chain_port.ActingChainPort."""
        result: TxResult = self._call(self.inner.issue_label, serial, product_id_hash, digest, grade, valid, sender)
        return result

    def change_label(self, action: str, serial: bytes, reason: int, sender: Sender) -> TxResult:
        """See ledger.chain_port.ActingChainPort."""
        result: TxResult = self._call(self.inner.change_label, action, serial, reason, sender)
        return result

    def label(self, serial: bytes) -> LabelRecord | None:
        """See ledger.chain_port.ActingChainPort."""
        result: LabelRecord | None = self._call(self.inner.label, serial)
        return result

    def register_member(self, org: str, first_key: str, roles: list[str], sender: Sender) -> TxResult:
        """See ledger.chain_port.ActingChainPort."""
        result: TxResult = self._call(self.inner.register_member, org, first_key, roles, sender)
        return result

    def change_member(self, action: str, org: str, argument: str, sender: Sender) -> TxResult:
        """See ledger.chain_port.ActingChainPort."""
        result: TxResult = self._call(self.inner.change_member, action, org, argument, sender)
        return result

    def member(self, org: str) -> MemberRecord | None:
        """See ledger.chain_port.ActingChainPort."""
        result: MemberRecord | None = self._call(self.inner.member, org)
        return result

    def fund_if_dev(self, address: str, sender: Sender) -> None:
        """See ledger.chain_port.ActingChainPort."""
        self._call(self.inner.fund_if_dev, address, sender)

    def status(self, operator: str) -> ChainStatus:
        """See ledger.chain_port.ActingChainPort."""
        result: ChainStatus = self._call(self.inner.status, operator)
        return result


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
    serialized = SerializedChain(chain, lock)
    membership = MembershipCache(serialized)
    directory = OrganizationDirectory(serialized, ttl=settings.principal_cache_seconds)
    identity = IdentityService(store.sessions, directory, token_ttl=settings.token_ttl_seconds)
    return Runtime(
        settings=settings,
        store=store,
        chain=serialized,
        operator=operator,
        ingest=IngestService(
            store.sessions, domain=serialized.signing_domain, membership=membership, keyring=store.keyring, workers=1
        ),
        anchoring=AnchorService(
            store.sessions,
            serialized,
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
            chain_id=serialized.trust_anchors.chain_id,
            nonce_ttl=settings.siwe_nonce_ttl_seconds,
        ),
        chain_lock=lock,
    )
