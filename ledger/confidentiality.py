"""Encryption at rest: AES-256-GCM under per-organization data keys, wrapped by a master key.

    master key (KeyProvider: a file by default; an HSM/KMS plugs in behind the same interface)
      └── wraps one data key per organization and key version (AES-GCM, AAD = "tanji.dek" | org | version)
            └── encrypts each declaration's payload + salts (AES-GCM, AAD = "tanji.payload" | id | digest)

Binding the AAD to the declaration id and digest means a ciphertext moved to another row does not decrypt.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ledger.errors import ConfidentialityError

NONCE_BYTES = 12


class KeyProvider(Protocol):
    """Wraps and unwraps data keys with a master key it never reveals."""

    def wrap(self, data_key: bytes, *, context: bytes) -> bytes: ...

    def unwrap(self, wrapped: bytes, *, context: bytes) -> bytes: ...


class FileKeyProvider:
    """Master key in a 0600 file (32 random bytes, created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(AESGCM.generate_key(bit_length=256))
        key = path.read_bytes()
        if len(key) != 32:
            raise ConfidentialityError(f"master key file {path} holds {len(key)} bytes, expected 32; restore it")
        self._aead = AESGCM(key)

    def wrap(self, data_key: bytes, *, context: bytes) -> bytes:
        """Encrypt `data_key` bound to `context`."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data_key, context)

    def unwrap(self, wrapped: bytes, *, context: bytes) -> bytes:
        """Decrypt a wrapped data key."""
        try:
            return self._aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], context)
        except InvalidTag:
            raise ConfidentialityError("a data key does not unwrap: wrong master key or tampered key row") from None


def key_context(org: str, version: int) -> bytes:
    """AAD of a wrapped data key."""
    return b"tanji.dek|" + org.encode() + b"|" + str(version).encode()


def payload_context(declaration_id: str, digest: str) -> bytes:
    """AAD of an encrypted payload."""
    return b"tanji.payload|" + declaration_id.encode() + b"|" + digest.encode()


def new_data_key() -> bytes:
    """A fresh 256-bit data key."""
    return AESGCM.generate_key(bit_length=256)


class PayloadCipher:
    """AES-GCM under one data key, set up once for many payloads (setting it up costs about one encryption)."""

    def __init__(self, data_key: bytes) -> None:
        self._aead = AESGCM(data_key)

    def encrypt(self, plaintext: bytes, *, context: bytes) -> tuple[bytes, bytes]:
        """Return (nonce, ciphertext)."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce, self._aead.encrypt(nonce, plaintext, context)

    def decrypt(self, nonce: bytes, ciphertext: bytes, *, context: bytes) -> bytes:
        """Decrypt and authenticate; ConfidentialityError names tampering."""
        try:
            return self._aead.decrypt(nonce, ciphertext, context)
        except InvalidTag:
            raise ConfidentialityError("stored payload does not authenticate: it was altered or moved") from None


def encrypt(data_key: bytes, plaintext: bytes, *, context: bytes) -> tuple[bytes, bytes]:
    """Return (nonce, ciphertext)."""
    return PayloadCipher(data_key).encrypt(plaintext, context=context)


def decrypt(data_key: bytes, nonce: bytes, ciphertext: bytes, *, context: bytes) -> bytes:
    """Decrypt and authenticate; ConfidentialityError names tampering."""
    return PayloadCipher(data_key).decrypt(nonce, ciphertext, context=context)
