"""ChainGateway: deploy, send locally signed transactions, call views, decode reverts, on any backend.

Every transaction is signed locally with an explicit chain id and a tracked nonce, priced from the latest
block (EIP-1559 where the chain has a base fee), simulated first so that a revert is reported by name
without spending a nonce (Hardhat mines reverting raw transactions), then sent and awaited to the
configured confirmation depth.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from chain_tools.artifacts import load_artifact
from chain_tools.errors import ChainConnectionError, ContractReverted, TransactionFailed
from chain_tools.reverts import decode_revert, revert_data_from

DEV_CHAIN_IDS = frozenset({31337, 1337, 131277322940537})


@dataclass(frozen=True)
class Receipt:
    """What Tanji keeps of a mined transaction."""

    tx_hash: str
    block_number: int
    gas_used: int
    contract_address: str | None = None
    logs: tuple[Any, ...] = field(default=(), repr=False)


class TransactionRefused(TransactionFailed):
    """The node refused a transaction signed elsewhere before running it (gas limit, fees, funds)."""


class Signer(Protocol):
    """A local account (eth-account LocalAccount satisfies it)."""

    @property
    def address(self) -> str: ...

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> Any: ...


class ChainGateway(Protocol):
    """The seam between Tanji and an EVM chain."""

    @property
    def chain_id(self) -> int: ...

    def deploy(self, name: str, args: list[Any], *, sender: Signer) -> Receipt: ...

    def transact(self, fn: Any, *, sender: Signer, context: str = "") -> Receipt: ...

    def call(self, fn: Any, *, context: str = "") -> Any: ...

    def contract(self, name: str, address: str) -> Any: ...


class Web3Gateway:
    """ChainGateway over a web3 instance (embedded py-evm, Hardhat, anvil, Besu)."""

    def __init__(
        self,
        w3: Any,
        *,
        confirmations: int = 1,
        timeout: float = 120.0,
        poll_interval: float = 0.05,
        priority_fee: int | None = None,
        call_from: str | None = None,
    ) -> None:
        if confirmations < 1:
            raise ValueError(f"confirmations must be >= 1, got {confirmations}")
        self.w3 = w3
        self.confirmations = confirmations
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.priority_fee = priority_fee
        self._nonces: dict[str, int] = {}
        self._chain_id: int | None = None
        # eth-tester refuses calls without a sender and charges it gas: the embedded chain passes a funded one
        self.call_from = call_from or "0x" + "00" * 20

    @property
    def chain_id(self) -> int:
        """The chain id, read once from the chain (never hard-coded)."""
        if self._chain_id is None:
            try:
                self._chain_id = int(self.w3.eth.chain_id)
            except Exception as exc:
                raise ChainConnectionError(f"cannot read the chain id: {exc}") from exc
        return self._chain_id

    def contract(self, name: str, address: str) -> Any:
        """Return a web3 contract object for artifact `name` at `address`."""
        return self.w3.eth.contract(address=address, abi=load_artifact(name)["abi"])

    def deploy(self, name: str, args: list[Any], *, sender: Signer) -> Receipt:
        """Deploy artifact `name` with constructor `args`; the receipt carries the address."""
        artifact = load_artifact(name)
        factory = self.w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
        receipt = self.transact(factory.constructor(*args), sender=sender, context=f"deploy {name}")
        if not receipt.contract_address:
            raise TransactionFailed(f"deploying {name} produced no contract address (tx {receipt.tx_hash})")
        return receipt

    def call(self, fn: Any, *, context: str = "") -> Any:
        """Run a view function; a revert becomes ContractReverted."""
        try:
            return fn.call({"from": self.call_from})
        except Exception as exc:
            raise self._translate(exc, context) from exc

    def transact(self, fn: Any, *, sender: Signer, context: str = "", gas: int | None = None) -> Receipt:
        """Simulate, sign, send and await a contract call or constructor from `sender`.

        Without `gas` the limit comes from eth_estimateGas (which also simulates); with a known `gas` limit the
        call is simulated once with eth_call instead (cheaper on py-evm, same revert reporting).
        """
        base = {"from": sender.address, "chainId": self.chain_id}
        try:
            if gas is None:
                gas = self._gas_limit(fn.estimate_gas(base))
            else:
                fn.call({"from": sender.address, "gas": gas})
        except Exception as exc:
            raise self._translate(exc, context) from exc
        tx = fn.build_transaction({**base, **self._fees(), "gas": gas})
        return self.send(tx, sender=sender, context=context)

    def transfer(self, to: str, value: int, *, sender: Signer) -> Receipt:
        """Send `value` wei from `sender` to `to`."""
        tx = {"from": sender.address, "to": to, "value": value, "chainId": self.chain_id, "gas": 21_000}
        return self.send({**tx, **self._fees()}, sender=sender, context=f"transfer to {to}")

    def send(self, tx: dict[str, Any], *, sender: Signer, context: str = "") -> Receipt:
        """Sign `tx` with the tracked nonce of `sender`, send it and wait for the receipt."""
        address = sender.address
        nonce = self._next_nonce(address)
        signed = sender.sign_transaction({**tx, "nonce": nonce})
        try:
            tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
        except Exception as exc:
            self._nonces.pop(address, None)
            raise self._translate(exc, context) from exc
        self._nonces[address] = nonce + 1
        return self._await(tx_hash, tx, context)

    def relay(self, raw: bytes, call: dict[str, Any], *, context: str) -> Receipt:
        """Simulate `call`, then send a transaction signed elsewhere (`raw`) unchanged and await its receipt.

        A revert is ContractReverted; anything else the node refuses (gas above the block limit, fees below the base
        fee, no funds for gas) is TransactionRefused, the signer's to fix; an unreachable node ChainConnectionError.
        """
        try:
            self.w3.eth.call(call)
            self._nonces.pop(call["from"], None)  # the sender's next nonce is now the chain's to tell
            tx_hash = self.w3.eth.send_raw_transaction(raw)
        except Exception as exc:
            error = self._translate(exc, context)
            if type(error) is TransactionFailed:
                raise TransactionRefused(str(error)) from exc
            raise error from exc
        return self._await(tx_hash, call, context)

    def pending_nonce(self, address: str) -> int:
        """The next nonce of `address` as the chain sees it (pending transactions included)."""
        return int(self.w3.eth.get_transaction_count(address, "pending"))

    def fee_hints(self) -> dict[str, int]:
        """The fee fields this gateway would put on a transaction now."""
        return self._fees()

    def balance(self, address: str) -> int:
        """Return the balance of `address` in wei."""
        return int(self.w3.eth.get_balance(address))

    def block_number(self) -> int:
        """Return the latest block number."""
        return int(self.w3.eth.block_number)

    def _next_nonce(self, address: str) -> int:
        # another process (a second `tanji serve` sharing the operator key) may have sent since: never reuse a nonce
        pending = int(self.w3.eth.get_transaction_count(address, "pending"))
        self._nonces[address] = max(self._nonces.get(address, 0), pending)
        return self._nonces[address]

    def _fees(self) -> dict[str, int]:
        latest = self.w3.eth.get_block("latest")
        base_fee = latest.get("baseFeePerGas")
        if base_fee is None:
            return {"gasPrice": int(self.w3.eth.gas_price)}
        tip = self.priority_fee if self.priority_fee is not None else (10**9 if base_fee else 0)
        return {"maxFeePerGas": 2 * int(base_fee) + tip, "maxPriorityFeePerGas": tip}

    def _gas_limit(self, estimate: int) -> int:
        return int(estimate * 1.2) + 10_000

    def _await(self, tx_hash: Any, tx: dict[str, Any], context: str) -> Receipt:
        try:
            raw = self.w3.eth.wait_for_transaction_receipt(
                tx_hash, timeout=self.timeout, poll_latency=self.poll_interval
            )
        except Exception as exc:
            raise TransactionFailed(f"{context}: no receipt for {tx_hash.hex()} within {self.timeout}s") from exc
        if raw["status"] != 1:
            raise self._replay_failure(tx, raw, context)
        self._await_depth(int(raw["blockNumber"]), context)
        return Receipt(
            tx_hash="0x" + bytes(raw["transactionHash"]).hex(),
            block_number=int(raw["blockNumber"]),
            gas_used=int(raw["gasUsed"]),
            contract_address=raw.get("contractAddress"),
            logs=tuple(raw["logs"]),
        )

    def _await_depth(self, block_number: int, context: str) -> None:
        target = block_number + self.confirmations - 1
        deadline = time.monotonic() + self.timeout
        while self.block_number() < target:
            if time.monotonic() > deadline:
                raise TransactionFailed(
                    f"{context}: block {block_number} not {self.confirmations} blocks deep within {self.timeout}s"
                )
            time.sleep(self.poll_interval)

    def _replay_failure(self, tx: dict[str, Any], raw: Any, context: str) -> Exception:
        call = {key: tx[key] for key in ("from", "to", "data", "value") if key in tx}
        try:
            self.w3.eth.call(call, int(raw["blockNumber"]) - 1)
        except Exception as exc:
            return self._translate(exc, context)
        return TransactionFailed(f"{context}: transaction 0x{bytes(raw['transactionHash']).hex()} failed")

    def _translate(self, exc: Exception, context: str) -> Exception:
        if isinstance(exc, ContractReverted):
            return exc
        data = revert_data_from(exc)
        if data is not None:
            return decode_revert(data, context=context)
        if isinstance(exc, ConnectionError | OSError) or type(exc).__name__ in {"ConnectionError", "Timeout"}:
            return ChainConnectionError(f"{context}: chain unreachable: {exc}")
        return TransactionFailed(f"{context}: {type(exc).__name__}: {exc}")
