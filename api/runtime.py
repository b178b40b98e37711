"""Composition root: wires a workspace's store, keys and chain into the ledger services."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session


@dataclass
class Ledger:
    """The services of one workspace, over one open chain connection."""

    home: Path
    sessions: Callable[[], Session]
    keyring: Any
    chain: Any  # chain_tools.ports.ChainAdapter
    ingest: Any  # ledger.service.ingest.IngestService
    anchoring: Any  # ledger.service.anchoring.AnchorService


def store(home: Path) -> tuple[Callable[[], Session], Any]:
    """(session factory, keyring) of the workspace's database, migrated to the newest schema."""
    from ledger.confidentiality import FileKeyProvider
    from ledger.storage.engine import database_url, make_engine, migrate
    from ledger.storage.keyring import Keyring

    engine = make_engine(database_url(home))
    migrate(engine)
    return (lambda: Session(engine, expire_on_commit=False)), Keyring(FileKeyProvider(home / "secrets" / "master.key"))


@contextmanager
def open_ledger(
    home: Path,
    *,
    batch_size: int | None = None,
    max_age: float | None = None,
    crash_hook: Callable[[str], None] | None = None,
) -> Iterator[Ledger]:
    """Open the workspace's chain and store and yield its ledger services."""
    from chain_tools.ports import ChainAdapter
    from chain_tools.workspace import Workspace
    from ledger.service.anchoring import AnchorService
    from ledger.service.ingest import IngestService
    from ledger.service.membership import MembershipCache

    workspace = Workspace(home)
    sessions, keyring = store(home)
    with workspace.connect() as tanji:
        chain = ChainAdapter(tanji, workspace.operator())
        membership = MembershipCache(chain)
        yield Ledger(
            home=home,
            sessions=sessions,
            keyring=keyring,
            chain=chain,
            ingest=IngestService(sessions, domain=tanji.signing_domain, membership=membership, keyring=keyring),
            anchoring=AnchorService(
                sessions,
                chain,
                membership=membership,
                batch_size=batch_size or int(os.environ.get("TANJI_BATCH_SIZE", "1000")),
                max_age=max_age if max_age is not None else float(os.environ.get("TANJI_BATCH_MAX_AGE", "30")),
                uri_template=os.environ.get("TANJI_BATCH_URI_TEMPLATE", ""),
                crash_hook=crash_hook,
            ),
        )


@contextmanager
def chain_for_bundle(bundle: dict[str, Any], rpc_url: str | None, home: Path) -> Iterator[Any]:
    """A ChainAdapter for the bundle's deployment: over `rpc_url`, or the workspace's chain when they match."""
    from chain_tools.deploy import Deployment
    from chain_tools.ports import ChainAdapter
    from chain_tools.tanji_chain import TanjiChain
    from chain_tools.workspace import Workspace, open_gateway
    from ledger.errors import DeclarationError

    info = bundle.get("chain") or {}
    try:
        deployment = Deployment(
            chain_id=int(info["chainId"]),
            ledger=info["ledger"],
            attestations=info["attestations"],
            labels=info["labels"],
            deployed_at_block=0,
            operator_org="",
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DeclarationError(f"bundle names no complete chain deployment ({exc!r})") from exc
    if rpc_url:
        with open_gateway(home, "rpc", rpc_url, "0x" + "00" * 20) as gateway:
            if gateway.chain_id != deployment.chain_id:
                raise DeclarationError(
                    f"{rpc_url} serves chain id {gateway.chain_id}, but the bundle was anchored on "
                    f"chain id {deployment.chain_id}; use an RPC URL of that chain"
                )
            yield ChainAdapter(TanjiChain(gateway, deployment))
        return
    workspace = Workspace(home)
    config = workspace.config()
    if config.deployment.ledger.lower() != deployment.ledger.lower():
        raise DeclarationError(
            f"the bundle's ledger {deployment.ledger} is not this workspace's "
            f"({config.deployment.ledger}); pass --rpc-url of the bundle's chain"
        )
    with workspace.connect() as tanji:
        yield ChainAdapter(tanji)
