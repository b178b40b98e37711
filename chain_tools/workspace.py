"""A Tanji workspace: config, operator keystore and (embedded mode) the chain database.

Layout of ``$TANJI_HOME`` (default ``~/.tanji``)::

    config.json              chain mode, RPC URL, chain id, contract addresses (written last, atomically)
    keystore/operator.json   operator key, Web3 Secret Storage (scrypt + AES-128-CTR)
    secrets/operator.password  password of that keystore (0600), unless TANJI_OPERATOR_PASSWORD is set
    wallets/NAME.json        local wallets (supplier keys: they never leave this machine)
    chain/                   embedded py-evm chain (embedded mode only)
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chain_tools.deploy import Deployment, deploy_tanji
from chain_tools.errors import (
    ChainConnectionError,
    ChainDatabaseError,
    OperatorKeyError,
    WorkspaceDamagedError,
    WorkspaceExistsError,
    WorkspaceMismatchError,
    WorkspaceMissingError,
)
from chain_tools.gateway import DEV_CHAIN_IDS, Web3Gateway
from chain_tools.tanji_chain import TanjiChain
from ledger.errors import InvalidInputError
from ledger.safe_json import read_json

CONFIG_VERSION = 1
DEV_FUNDING = 10**21  # 1,000 ETH on dev chains; Besu production networks run with zero gas price


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` readable by the owner only, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def encrypt_key(private_key: bytes, password: str) -> dict[str, Any]:
    """Return a Web3 Secret Storage keystore of `private_key`."""
    from eth_account import Account

    return dict(Account.encrypt(private_key, password))


def decrypt_key(keystore_path: Path, password: str) -> Any:
    """Return the LocalAccount stored at `keystore_path`."""
    from eth_account import Account

    try:
        keystore = read_json(keystore_path)
    except FileNotFoundError as exc:
        raise WorkspaceMissingError(f"no keystore at {keystore_path}; run `tanji init`") from exc
    except InvalidInputError as exc:
        raise WorkspaceDamagedError(f"the operator keystore is damaged: {exc}; restore it from a backup") from exc
    try:
        return Account.from_key(Account.decrypt(keystore, password))
    except ValueError as exc:
        raise OperatorKeyError(f"cannot decrypt {keystore_path}: wrong password ({exc})") from exc


@dataclass(frozen=True)
class WorkspaceConfig:
    """What config.json holds."""

    mode: str
    rpc_url: str | None
    confirmations: int
    operator_address: str
    deployment: Deployment

    def as_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "version": CONFIG_VERSION,
            "mode": self.mode,
            "rpc_url": self.rpc_url,
            "confirmations": self.confirmations,
            "operator_address": self.operator_address,
            "deployment": self.deployment.as_dict(),
        }


class Workspace:
    """A workspace directory; `connect()` opens its chain.

    `operator_password` unlocks the operator keystore; when None, the password file the workspace was created with
    (``secrets/operator.password``) is read.
    """

    def __init__(self, home: Path, *, operator_password: str | None = None) -> None:
        self.home = home
        self._operator_password = operator_password

    @property
    def config_path(self) -> Path:
        """Path of config.json."""
        return self.home / "config.json"

    def config(self) -> WorkspaceConfig:
        """Load config.json; raise WorkspaceError naming the remedy when missing."""
        try:
            data = read_json(self.config_path)
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise WorkspaceMissingError(
                f"no Tanji workspace at {self.home}; run `tanji init --home {self.home}`"
            ) from exc
        except InvalidInputError as exc:
            raise WorkspaceDamagedError(f"the workspace config is damaged: {exc}; restore it from a backup") from exc
        if not isinstance(data, dict) or data.get("version") != CONFIG_VERSION:
            version = data.get("version") if isinstance(data, dict) else None
            raise WorkspaceMismatchError(f"{self.config_path} has version {version}, expected {CONFIG_VERSION}")
        try:
            return WorkspaceConfig(
                mode=data["mode"],
                rpc_url=data["rpc_url"],
                confirmations=int(data["confirmations"]),
                operator_address=data["operator_address"],
                deployment=Deployment.from_dict(data["deployment"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise WorkspaceDamagedError(
                f"{self.config_path} lacks or garbles {exc}; restore it from a backup (see docs/operations.md)"
            ) from exc

    def operator_password(self) -> str:
        """Return the operator keystore password (the one given, else the workspace's secrets file)."""
        if self._operator_password:
            return self._operator_password
        path = self.home / "secrets" / "operator.password"
        try:
            return path.read_text(encoding="utf-8").strip()
        except FileNotFoundError as exc:
            self.config()  # no workspace at all says so first
            raise WorkspaceMissingError(f"set TANJI_OPERATOR_PASSWORD or restore {path}") from exc

    def operator(self) -> Any:
        """Return the operator's LocalAccount (decrypted from the keystore)."""
        return decrypt_key(self.home / "keystore" / "operator.json", self.operator_password())

    @contextmanager
    def connect(self) -> Iterator[TanjiChain]:
        """Open the workspace's chain and yield a TanjiChain over its deployment."""
        config = self.config()
        with open_gateway(self.home, config.mode, config.rpc_url, config.operator_address, config.confirmations) as gw:
            if gw.chain_id != config.deployment.chain_id:
                raise WorkspaceMismatchError(
                    f"{config.rpc_url or 'embedded chain'} has chain id {gw.chain_id}, but this workspace was deployed "
                    f"on chain id {config.deployment.chain_id}; point --rpc-url at the right network"
                )
            _require_deployment(gw, config, self.home)
            yield TanjiChain(gw, config.deployment)


def _require_deployment(gateway: Web3Gateway, config: WorkspaceConfig, home: Path) -> None:
    """Refuse a chain that does not hold the workspace's contracts (a replaced chain database, a reset node)."""
    deployment = config.deployment
    for name in ("ledger", "attestations", "labels"):
        address = getattr(deployment, name)
        if gateway.w3.eth.get_code(address):
            continue
        if config.mode == "embedded":
            raise ChainDatabaseError(
                f"the embedded chain database {home / 'chain' / 'chain.sqlite3'} does not hold this workspace's "
                f"{name} contract ({address}): it was replaced or reset. Restore it from a backup taken with "
                f"tanji.sqlite3, or start over deliberately: move {home} aside and run `tanji init` "
                "(see docs/operations.md)"
            )
        raise WorkspaceMismatchError(
            f"{config.rpc_url} has no {name} contract at {address}: the node was reset or is another network. "
            f"Restart it with its state, or start over deliberately: move {home} aside and run `tanji init --rpc-url`"
        )


@contextmanager
def open_gateway(
    home: Path, mode: str, rpc_url: str | None, call_from: str, confirmations: int = 1, *, create_chain: bool = False
) -> Iterator[Web3Gateway]:
    """Yield a gateway to the embedded chain under `home` or to `rpc_url`.

    The embedded chain database is created only with `create_chain` (by `tanji init`); otherwise a missing or empty
    one is refused, never replaced by a new chain.
    """
    from web3 import HTTPProvider, Web3

    if mode == "embedded":
        from chain_tools.embedded import EmbeddedChain

        chain = EmbeddedChain(home / "chain", funded=[call_from], create=create_chain)
        try:
            yield Web3Gateway(Web3(chain.provider()), call_from=call_from)
        finally:
            chain.close()
        return
    if not rpc_url:
        raise WorkspaceMismatchError("rpc mode needs an RPC URL; re-run `tanji init --rpc-url URL`")
    w3 = Web3(HTTPProvider(rpc_url, cache_allowed_requests=True, request_kwargs={"timeout": 30}))
    try:
        w3.eth.chain_id  # noqa: B018 - connectivity probe
    except Exception as exc:
        raise ChainConnectionError(f"cannot reach {rpc_url}: {exc}; is the node running?") from exc
    yield Web3Gateway(w3, confirmations=confirmations)


def initialise(
    home: Path, *, rpc_url: str | None = None, confirmations: int = 1, operator_password: str | None = None
) -> WorkspaceConfig:
    """Create a workspace: operator key, chain (embedded or `rpc_url`), deployed contracts, config.json.

    Without `operator_password`, a random one is written to ``secrets/operator.password`` (0600).
    """
    from eth_account import Account

    workspace = Workspace(home, operator_password=operator_password)
    if workspace.config_path.exists():
        raise WorkspaceExistsError(f"{home} is already a Tanji workspace; use another --home or remove {home}")
    home.mkdir(parents=True, exist_ok=True)
    keystore = home / "keystore" / "operator.json"
    if not keystore.exists():  # a previous init that failed before writing config.json left a reusable key
        if not operator_password:
            write_private(home / "secrets" / "operator.password", secrets.token_urlsafe(32) + "\n")
        account = Account.create()
        write_private(keystore, json.dumps(encrypt_key(account.key, workspace.operator_password())))
    operator = workspace.operator()
    mode = "rpc" if rpc_url else "embedded"
    with open_gateway(home, mode, rpc_url, operator.address, confirmations, create_chain=True) as gateway:
        ensure_funded(gateway, operator.address)
        deployment = deploy_tanji(gateway, operator=operator)
    config = WorkspaceConfig(mode, rpc_url, confirmations, operator.address, deployment)
    write_private(workspace.config_path, json.dumps(config.as_dict(), indent=2) + "\n")
    return config


def ensure_funded(gateway: Web3Gateway, address: str) -> None:
    """Give `address` gas money on dev chains; on others require a balance or a zero gas price."""
    if gateway.balance(address) > 0:
        return
    if gateway.chain_id in DEV_CHAIN_IDS:
        for method in ("hardhat_setBalance", "anvil_setBalance"):
            try:
                gateway.w3.provider.make_request(method, [address, hex(DEV_FUNDING)])
            except Exception:
                continue
            if gateway.balance(address) > 0:
                return
    if int(gateway.w3.eth.gas_price) == 0:
        return
    raise WorkspaceMismatchError(
        f"account {address} has no balance on chain id {gateway.chain_id}; fund it, or run the network "
        "with a zero gas price (Besu: --min-gas-price=0, see deploy/besu/README.md)"
    )
