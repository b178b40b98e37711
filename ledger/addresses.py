"""Ethereum address helpers with memoised EIP-55 checksums (the same few addresses recur on every declaration)."""

from __future__ import annotations

from functools import lru_cache

from eth_utils import is_address as _is_address
from eth_utils import to_checksum_address as _to_checksum_address


@lru_cache(maxsize=65_536)
def checksum(address: str | bytes) -> str:
    """EIP-55 checksummed form of `address` (hex string or 20 bytes)."""
    return str(_to_checksum_address(address))


@lru_cache(maxsize=65_536)
def is_address(value: str) -> bool:
    """True for a 20-byte hex address (mixed case must carry a valid checksum)."""
    return bool(_is_address(value))
