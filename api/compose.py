"""The composition root: wires a workspace's settings, store, keys and chain into the ledger services.

The CLI, the HTTP app and the pages all open the ledger here, so every use case runs over the same objects.
Heavy libraries (web3, py-evm, SQLAlchemy) are imported only when a function here is called.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from api.settings import Settings

if TYPE_CHECKING:
    from sqlmodel import Session

    from api.http.runtime import Runtime
    from chain_tools.chain_adapter import ChainAdapter
    from chain_tools.workspace import Workspace
    from ledger.chain_port import ChainPort, Sender, TrustAnchors
    from ledger.service.anchoring import AnchorService
    from ledger.service.ingest import IngestService
    from ledger.storage.keyring import Keyring


@dataclass(frozen=True)
class Store:
    """The workspace's database (a session factory) and the keyring that decrypts its payloads."""

    sessions: Callable[[], Session]
    keyring: Keyring


@dataclass(frozen=True)
class Ledger:
    """The services of one workspace, over one open chain connection."""

    settings: Settings
    home: Path
    store: Store
    chain: ChainAdapter
    operator: Sender
    ingest: IngestService
    anchoring: AnchorService

    @property
    def sessions(self) -> Callable[[], Session]:
        """The store's session factory."""
        return self.store.sessions

    @property
    def keyring(self) -> Keyring:
        """The store's keyring."""
        return self.store.keyring


def workspace(settings: Settings) -> Workspace:
    """The workspace at ``settings.home``."""
    from chain_tools.workspace import Workspace

    return Workspace(settings.home, operator_password=settings.operator_secret())


def trust_anchors(settings: Settings) -> TrustAnchors:
    """The workspace's deployment: chain id and contract addresses (read from its config, no chain needed)."""
    from ledger.chain_port import TrustAnchors

    d = workspace(settings).config().deployment
    return TrustAnchors(d.chain_id, d.ledger, d.attestations, d.labels)


def open_store(settings: Settings) -> Store:
    """The workspace's database, migrated to the newest schema, and its keyring."""
    from sqlmodel import Session

    from ledger.confidentiality import FileKeyProvider
    from ledger.storage.engine import database_url, make_engine, migrate
    from ledger.storage.keyring import Keyring

    engine = make_engine(database_url(settings.home, settings.database_url))
    migrate(engine)

    def sessions() -> Session:
        return Session(engine, expire_on_commit=False)

    return Store(sessions, Keyring(FileKeyProvider(settings.home / "secrets" / "master.key")))


@contextmanager
def open_chain(settings: Settings) -> Iterator[ChainAdapter]:
    """The workspace's chain, with the operator as anchorer (for membership administration and anchoring)."""
    from chain_tools.chain_adapter import ChainAdapter

    space = workspace(settings)
    operator = space.operator()
    with space.connect() as tanji:
        yield ChainAdapter(tanji, operator)


@contextmanager
def open_ledger(
    settings: Settings,
    *,
    batch_size: int | None = None,
    max_age: float | None = None,
    crash_hook: Callable[[str], None] | None = None,
) -> Iterator[Ledger]:
    """Open the workspace's chain and store and yield its ledger services."""
    from chain_tools.chain_adapter import ChainAdapter
    from ledger.service.anchoring import AnchorService
    from ledger.service.ingest import IngestService
    from ledger.service.membership_cache import MembershipCache

    space = workspace(settings)
    operator = space.operator()
    store = open_store(settings)
    with space.connect() as tanji:
        chain = ChainAdapter(tanji, operator)
        membership = MembershipCache(chain)
        yield Ledger(
            settings=settings,
            home=settings.home,
            store=store,
            chain=chain,
            operator=operator,
            ingest=IngestService(
                store.sessions, domain=tanji.signing_domain, membership=membership, keyring=store.keyring
            ),
            anchoring=AnchorService(
                store.sessions,
                chain,
                membership=membership,
                batch_size=batch_size or settings.batch_size,
                max_age=max_age if max_age is not None else settings.batch_max_age,
                uri_template=settings.batch_uri_template,
                crash_hook=crash_hook,
            ),
        )


def load_trust_anchors(path: Path) -> TrustAnchors:
    """The trust anchors file `path` (as written by ``tanji trust export``)."""
    from ledger.canonical import loads_exact
    from ledger.chain_port import TrustAnchors
    from ledger.errors import InvalidTrustAnchorsError

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidTrustAnchorsError(
            f"cannot read trust anchors file {path}: {exc.strerror}; pass the file the consortium operator published"
        ) from exc
    try:
        document = loads_exact(raw)
    except ValueError as exc:
        raise InvalidTrustAnchorsError(f"trust anchors file {path} is not JSON: {exc}") from exc
    return TrustAnchors.from_dict(document, source=str(path))


@contextmanager
def open_runtime(settings: Settings) -> Iterator[Runtime]:
    """The long-lived objects of a server process (`tanji serve`): store, serialized chain, services, identity."""
    from api.http.runtime import build_runtime
    from chain_tools.chain_adapter import ChainAdapter

    space = workspace(settings)
    operator = space.operator()
    store = open_store(settings)
    with space.connect() as tanji:
        yield build_runtime(settings, store=store, chain=ChainAdapter(tanji, operator), operator=operator)


@contextmanager
def verifier_chain(
    settings: Settings, *, rpc_url: str | None = None, trust: Path | None = None
) -> Iterator[tuple[ChainPort, TrustAnchors]]:
    """A read-only chain over the deployment the verifier trusts, with that deployment's anchors.

    The anchors are the `trust` file's (published by the consortium operator) or the workspace's deployment, never
    the document being verified. The chain is `rpc_url`, or the workspace's chain. A node (an RPC URL given, or a
    workspace in rpc mode) is read over plain JSON-RPC without importing web3; only the embedded chain needs py-evm.
    """
    from ledger.errors import WrongSigningDomainError

    anchors = load_trust_anchors(trust) if trust is not None else trust_anchors(settings)
    if not rpc_url:
        own = workspace(settings).config()
        if (own.deployment.chain_id, own.deployment.ledger.lower()) != (anchors.chain_id, anchors.ledger.lower()):
            raise WrongSigningDomainError(
                f"the trusted deployment (chain {anchors.chain_id}, ledger {anchors.ledger}) is not this workspace's "
                f"(chain {own.deployment.chain_id}, ledger {own.deployment.ledger}); pass --rpc-url of the trusted "
                "deployment's chain"
            )
        if own.mode == "embedded":
            with _embedded_verifier_chain(settings, anchors) as chain:
                yield chain, anchors
            return
        rpc_url = own.rpc_url
    from chain_tools.rpc_reader import RpcChainReader

    reader = RpcChainReader(rpc_url or "", anchors)
    served = reader.chain_id()
    if served != anchors.chain_id:
        raise WrongSigningDomainError(
            f"{rpc_url} serves chain id {served}, but the trusted deployment is on chain id {anchors.chain_id}; use "
            "an RPC URL of that chain"
        )
    yield reader, anchors


@contextmanager
def _embedded_verifier_chain(settings: Settings, anchors: TrustAnchors) -> Iterator[ChainPort]:
    """The workspace's embedded chain (py-evm) as a chain port over the trusted deployment."""
    from chain_tools.chain_adapter import ChainAdapter
    from chain_tools.deploy import Deployment
    from chain_tools.tanji_chain import TanjiChain

    deployment = Deployment(
        chain_id=anchors.chain_id,
        ledger=anchors.ledger,
        attestations=anchors.attestations,
        labels=anchors.labels,
        deployed_at_block=0,
        operator_org="",
    )
    with workspace(settings).connect() as tanji:
        yield ChainAdapter(TanjiChain(tanji.gateway, deployment))
