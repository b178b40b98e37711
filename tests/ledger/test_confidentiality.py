"""Payload encryption: one cipher per data key gives what the one-shot functions give, and names tampering."""

from __future__ import annotations

import pytest

from ledger.confidentiality import PayloadCipher, decrypt, encrypt, new_data_key, payload_context
from ledger.errors import ConfidentialityError

CONTEXT = payload_context("decl-1", "0x" + "ab" * 32)


def test_a_reused_cipher_and_the_one_shot_functions_read_each_other() -> None:
    key = new_data_key()
    cipher = PayloadCipher(key)
    nonce, ciphertext = cipher.encrypt(b"payload one", context=CONTEXT)
    assert decrypt(key, nonce, ciphertext, context=CONTEXT) == b"payload one"
    nonce, ciphertext = encrypt(key, b"payload two", context=CONTEXT)
    assert cipher.decrypt(nonce, ciphertext, context=CONTEXT) == b"payload two"


@pytest.mark.parametrize("where", ["ciphertext", "context", "key"])
def test_an_altered_or_moved_payload_does_not_authenticate(where: str) -> None:
    key = new_data_key()
    nonce, ciphertext = PayloadCipher(key).encrypt(b"payload", context=CONTEXT)
    if where == "ciphertext":
        ciphertext = bytes([ciphertext[0] ^ 1]) + ciphertext[1:]
    context = payload_context("decl-2", "0x" + "ab" * 32) if where == "context" else CONTEXT
    cipher = PayloadCipher(new_data_key() if where == "key" else key)
    with pytest.raises(ConfidentialityError, match="altered or moved"):
        cipher.decrypt(nonce, ciphertext, context=context)
