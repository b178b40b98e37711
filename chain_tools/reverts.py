"""Decode revert data into named errors with arguments, the same way on every backend.

Nodes (Hardhat, anvil, Besu) surface reverts through web3's ``ContractCustomError`` / ``ContractLogicError``
with the raw data; py-evm through eth-tester raises its own ``TransactionFailed``. Both end up here as
:class:`~chain_tools.errors.ContractReverted` with the error name and decoded arguments from the ABIs.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from typing import Any

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from chain_tools.artifacts import artifact_names, load_artifact
from chain_tools.errors import ContractReverted

ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")
PANIC_SELECTOR = bytes.fromhex("4e487b71")


def abi_type(item: dict[str, Any]) -> str:
    """The canonical ABI type of an ABI input or output (tuples spelled out)."""
    kind = str(item["type"])
    if kind.startswith("tuple"):
        inner = ",".join(abi_type(component) for component in item["components"])
        return f"({inner}){kind[5:]}"
    return kind


@cache
def error_table() -> dict[bytes, tuple[str, list[str], list[str]]]:
    """Map each 4-byte selector to (error name, argument names, argument types) over all artifacts."""
    table: dict[bytes, tuple[str, list[str], list[str]]] = {}
    for name in artifact_names():
        for item in load_artifact(name)["abi"]:
            if item.get("type") != "error":
                continue
            types = [abi_type(arg) for arg in item["inputs"]]
            selector = function_signature_to_4byte_selector(f"{item['name']}({','.join(types)})")
            table[selector] = (item["name"], [arg["name"] or f"arg{i}" for i, arg in enumerate(item["inputs"])], types)
    return table


def _normalise(value: Any, abi_type: str) -> Any:
    if abi_type == "address":
        return to_checksum_address(value)
    return value


def decode_revert(data: bytes, *, context: str = "") -> ContractReverted:
    """Return the ContractReverted that `data` (raw revert bytes) describes."""
    selector, payload = data[:4], data[4:]
    if selector == ERROR_STRING_SELECTOR:
        return ContractReverted("Error", {"message": decode(["string"], payload)[0]}, data, context=context)
    if selector == PANIC_SELECTOR:
        return ContractReverted("Panic", {"code": decode(["uint256"], payload)[0]}, data, context=context)
    entry = error_table().get(selector)
    if entry is None:
        return ContractReverted("Unknown", {"data": data}, data, context=context)
    name, arg_names, types = entry
    values = decode(types, payload)
    args = {key: _normalise(value, t) for key, value, t in zip(arg_names, values, types, strict=True)}
    return ContractReverted(name, args, data, context=context)


def revert_data_from(exc: BaseException) -> bytes | None:
    """Extract raw revert bytes from a web3 or eth-tester exception; None if `exc` is not a revert."""
    from web3.exceptions import ContractCustomError, ContractLogicError, ContractPanicError

    if isinstance(exc, ContractCustomError | ContractPanicError | ContractLogicError):
        data = exc.data
        if isinstance(data, str) and data.startswith("0x"):
            return bytes.fromhex(data[2:])
        if isinstance(data, bytes):
            return data
        if isinstance(exc, ContractLogicError) and exc.message and "revert" in exc.message.lower():
            return b""
        return None
    try:
        from eth_tester.exceptions import TransactionFailed as TesterTransactionFailed
    except ImportError:  # eth-tester is only needed for the embedded chain
        return None
    if isinstance(exc, TesterTransactionFailed):
        return _tester_revert_data(exc)
    return None


_BYTES_LITERAL = re.compile(r"b'(?:[^'\\]|\\.)*'|b\"(?:[^\"\\]|\\.)*\"")


def _tester_revert_data(exc: BaseException) -> bytes:
    """eth-tester reports reverts as text: the repr of the raw bytes, or a decoded Error(string) message."""
    cause: BaseException | None = exc
    while cause is not None:  # py-evm's Revert carries the raw bytes when it is chained
        if type(cause).__name__ == "Revert" and cause.args and isinstance(cause.args[0], bytes):
            return cause.args[0]
        cause = cause.__cause__ or cause.__context__
    raw = exc.args[0] if exc.args else b""
    if isinstance(raw, bytes):
        return raw
    text = str(raw)
    literal = _BYTES_LITERAL.search(text)
    if literal:
        value = ast.literal_eval(literal.group(0))
        return value if isinstance(value, bytes) else b""
    message = text.removeprefix("execution reverted: ").removeprefix("execution reverted")
    return ERROR_STRING_SELECTOR + encode(["string"], [message]) if message else b""
