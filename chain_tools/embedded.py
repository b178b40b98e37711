"""The embedded default chain: an in-process py-evm chain whose state persists in the workspace.

py-evm keeps its whole chain in a key-value database; :class:`SqliteKV` stores it in one SQLite file, and
every mined block's keys are committed in one SQLite transaction (a crash loses at most the block being
written, never half of one). On restart the chain object is rebuilt over the same database and continues
from its canonical head; genesis is written only when the database is new. A lock file keeps a second
process from opening the same chain (two writers would fork it).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from chain_tools.errors import ChainConnectionError, ChainDatabaseError
from ledger.private_files import private_database

EMBEDDED_CHAIN_ID = 131277322940537
GENESIS_BALANCE = 10**30
GAS_LIMIT = 30_000_000


class SqliteKV:
    """A py-evm key-value database in one SQLite file (WAL); writes wait for :meth:`commit`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        private_database(path)  # 0600; SQLite gives its -wal and -shm files the same mode
        self.conn = sqlite3.connect(str(path), check_same_thread=False)
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
            self.conn.commit()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise ChainDatabaseError(
                f"the embedded chain database {path} is damaged ({exc}); restore it from a backup taken with the "
                "workspace's tanji.sqlite3 (see docs/operations.md)"
            ) from exc

    def __getitem__(self, key: bytes) -> bytes:
        row = self.conn.execute("SELECT v FROM kv WHERE k = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return bytes(row[0])

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self.conn.execute("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", (key, value))

    def __delitem__(self, key: bytes) -> None:
        if self.conn.execute("DELETE FROM kv WHERE k = ?", (key,)).rowcount == 0:
            raise KeyError(key)

    def _exists(self, key: bytes) -> bool:
        return self.conn.execute("SELECT 1 FROM kv WHERE k = ?", (key,)).fetchone() is not None

    def commit(self) -> None:
        """Make every write since the last commit durable, atomically."""
        self.conn.commit()

    def close(self) -> None:
        """Commit and close the file."""
        self.conn.commit()
        self.conn.close()


def _kv_class() -> Any:
    from eth.db.backends.base import BaseDB

    class _SqliteDB(SqliteKV, BaseDB):  # BaseDB supplies get/set/exists/delete on top of our item methods
        pass

    return _SqliteDB


def _chain_class() -> Any:
    from eth.chains.base import MiningChain
    from eth.vm.forks import PragueVM
    from eth_utils.toolz import assoc

    class TanjiEmbeddedChain(MiningChain):  # type: ignore[misc]
        chain_id = EMBEDDED_CHAIN_ID
        vm_configuration = ((0, PragueVM),)  # type: ignore[assignment]

        def create_header_from_parent(self, parent_header: Any, **header_params: Any) -> Any:
            return super().create_header_from_parent(
                parent_header, **assoc(header_params, "gas_limit", parent_header.gas_limit)
            )

        def get_transaction_builder(self) -> Any:
            return super().get_vm().get_transaction_builder()

    return TanjiEmbeddedChain


def _backend_class() -> Any:
    from eth_tester.backends.pyevm.main import PyEVMBackend
    from eth_tester.backends.pyevm.serializers import serialize_transaction, serialize_transaction_receipt
    from eth_tester.exceptions import TransactionNotFound
    from eth_utils import encode_hex

    class IndexedPyEVMBackend(PyEVMBackend):  # type: ignore[misc]
        """PyEVMBackend that finds transactions through py-evm's index instead of scanning every block."""

        def _locate(self, transaction_hash: bytes) -> tuple[Any, Any, int]:
            try:
                number, index = self.chain.chaindb.get_transaction_index(transaction_hash)
            except Exception as exc:  # py-evm raises TransactionNotFound of its own
                raise TransactionNotFound(f"No transaction found for hash {encode_hex(transaction_hash)}") from exc
            block = self.chain.get_canonical_block_by_number(number)
            return block, block.transactions[index], index

        def get_transaction_by_hash(self, transaction_hash: bytes) -> Any:
            block, transaction, index = self._locate(transaction_hash)
            return serialize_transaction(block, transaction, index, False)

        def get_transaction_receipt(self, transaction_hash: bytes) -> Any:
            block, transaction, index = self._locate(transaction_hash)
            receipts = block.get_receipts(self.chain.chaindb)
            return serialize_transaction_receipt(block, receipts, transaction, index, False, self.chain.get_vm())

    return IndexedPyEVMBackend


class EmbeddedChain:
    """An in-process chain persisted under `directory` (``chain.sqlite3`` plus a lock file)."""

    def __init__(self, directory: Path, *, funded: list[str] | None = None, create: bool = True) -> None:
        database = directory / "chain.sqlite3"
        if not create and not _has_content(database):
            raise ChainDatabaseError(
                f"the embedded chain database {database} is missing or empty, but the workspace records contracts "
                "deployed on it (every anchored proof lives there). Restore it from a backup taken with "
                f"tanji.sqlite3, or start over deliberately: move {directory.parent} aside and run `tanji init` "
                "(see docs/operations.md)"
            )
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.directory = directory
        self._lock_file = open(directory / "chain.lock", "a+")  # noqa: SIM115 - held for the object's life
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self._lock_file.close()
            raise ChainConnectionError(
                f"the embedded chain in {directory} is open in another process; stop that process "
                "(or run a node and use --rpc-url) before starting another"
            ) from exc
        self._lock_file.seek(0)
        self._lock_file.truncate()
        self._lock_file.write(str(os.getpid()))
        self._lock_file.flush()
        try:
            self.kv = _kv_class()(database)
        except BaseException:
            self._release()
            raise
        try:
            self.chain = self._open_chain(funded or [], create=create)
        except BaseException:
            self.kv.conn.close()
            self._release()
            raise
        self.kv.commit()
        self._provider: Any = None

    def _open_chain(self, funded: list[str], *, create: bool) -> Any:
        from eth.db.atomic import AtomicDB
        from eth.db.chain import ChainDB
        from eth.exceptions import CanonicalHeadNotFound
        from eth_tester.backends.pyevm.main import get_default_genesis_params
        from eth_utils import to_canonical_address

        atomic = AtomicDB(self.kv)
        chain_class = _chain_class()
        try:
            ChainDB(atomic).get_canonical_head()
        except sqlite3.DatabaseError as exc:
            raise ChainDatabaseError(
                f"the embedded chain database {self.kv.path} is damaged ({exc}); restore it from a backup "
                "(see docs/operations.md)"
            ) from exc
        except CanonicalHeadNotFound:
            if not create:
                raise ChainDatabaseError(
                    f"the embedded chain database {self.kv.path} holds no chain (no genesis block); restore it from "
                    "a backup, or start over deliberately: move the workspace aside and run `tanji init`"
                ) from None
            params = get_default_genesis_params({"gas_limit": GAS_LIMIT, "timestamp": int(time.time())})
            state = {
                to_canonical_address(address): {"balance": GENESIS_BALANCE, "nonce": 0, "code": b"", "storage": {}}
                for address in funded
            }
            return chain_class.from_genesis(atomic, params, state)
        return chain_class(atomic)

    def provider(self) -> Any:
        """Return a web3 provider over this chain that commits after every mined transaction."""
        if self._provider is None:
            from eth_tester import EthereumTester
            from web3 import EthereumTesterProvider

            backend = _backend_class().__new__(_backend_class())
            backend.chain = self.chain
            backend.account_keys = ()
            tester = EthereumTester(backend=backend, auto_mine_transactions=True)
            kv = self.kv

            class CommittingProvider(EthereumTesterProvider):  # type: ignore[misc]
                def make_request(self, method: Any, params: Any) -> Any:
                    try:
                        return super().make_request(method, params)
                    finally:
                        if method in ("eth_sendRawTransaction", "eth_sendTransaction", "evm_mine"):
                            kv.commit()

            self._provider = CommittingProvider(ethereum_tester=tester)
        return self._provider

    def close(self) -> None:
        """Commit, close the database and release the lock."""
        self.kv.close()
        self._release()

    def _release(self) -> None:
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False
