"""Supersession consents carried in an envelope: the declarant's own signature that its new declaration replaces
an earlier one, so the anchoring service can relay ``supersedeWithConsent`` without holding any member key.

An envelope may carry, next to its signed content (the consents are not part of the declaration digest)::

    "supersessions": [{"predecessor": "0x<digest of the replaced declaration>", "signature": "0x<65 bytes>"}]

Each signature is the EIP-712 ``Supersession(bytes32 predecessor,bytes32 successor)`` of the ledger's domain
(ledger.signing.sign_supersession) with the envelope's own digest as successor, made by the same wallet as the
declaration. The contract re-checks everything when the consent is relayed (the signer is an active key of the
predecessor's organization, both declarations anchored and current), so a relayer cannot forge or redirect one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger.canonical import hex32, unhex32
from ledger.errors import LedgerError, SupersessionConsentError
from ledger.signing import SigningDomain, recover_hash_signer, sign_supersession, supersession_hash

MAX_CONSENTS = 16


@dataclass(frozen=True)
class SupersessionConsent:
    """A signed consent that the envelope's declaration supersedes `predecessor` (a digest)."""

    predecessor: bytes
    signature: bytes

    def as_dict(self) -> dict[str, str]:
        """JSON form, as carried in the envelope."""
        return {"predecessor": hex32(self.predecessor), "signature": "0x" + self.signature.hex()}


def sign_consents(
    domain: SigningDomain, predecessors: list[bytes], successor: bytes, private_key: bytes
) -> list[dict[str, str]]:
    """The envelope's ``supersessions`` section: one consent per predecessor digest, signed with `private_key`."""
    unique = list(dict.fromkeys(predecessors))
    return [SupersessionConsent(p, sign_supersession(domain, p, successor, private_key)).as_dict() for p in unique]


def consents_of(
    data: dict[str, Any], domain: SigningDomain, successor: bytes, declarant: str
) -> tuple[SupersessionConsent, ...]:
    """Parse and check the ``supersessions`` section of an envelope (absent: none).

    Every consent must be signed by `declarant` for this `successor` in `domain`; SupersessionConsentError names
    the first that is not.
    """
    section = data.get("supersessions")
    if section is None:
        return ()
    if not isinstance(section, list) or len(section) > MAX_CONSENTS:
        raise SupersessionConsentError(
            f"envelope 'supersessions' must be a list of at most {MAX_CONSENTS} consents; re-sign with "
            "`tanji declare sign`"
        )
    consents: list[SupersessionConsent] = []
    for index, item in enumerate(section):
        where = f"supersessions[{index}]"
        try:
            if not isinstance(item, dict) or set(item) != {"predecessor", "signature"}:
                raise SupersessionConsentError("must be an object with exactly 'predecessor' and 'signature'")
            predecessor = unhex32(item["predecessor"], what="predecessor digest")
            signature_text = item["signature"]
            if not isinstance(signature_text, str) or not signature_text.startswith("0x"):
                raise SupersessionConsentError("signature must be 0x-prefixed hex")
            signature = bytes.fromhex(signature_text[2:])
            signer = recover_hash_signer(supersession_hash(domain, predecessor, successor), signature)
        except (LedgerError, ValueError) as exc:
            raise SupersessionConsentError(f"{where}: {exc}; re-sign with `tanji declare sign`") from exc
        if signer.lower() != declarant.lower():
            raise SupersessionConsentError(
                f"{where} is signed by {signer}, not by the declarant {declarant}; a supersession consent is "
                "signed with the same wallet as the declaration"
            )
        if any(c.predecessor == predecessor for c in consents):
            raise SupersessionConsentError(f"{where} repeats predecessor {hex32(predecessor)}")
        consents.append(SupersessionConsent(predecessor, signature))
    return tuple(consents)
