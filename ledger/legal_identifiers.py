"""Legal identifiers of organizations, with their check characters validated, and their PACT `companyIds` URNs.

- The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters over the 31-character alphabet
  ``0-9`` and ``A-Y`` without I, O, S, V and Z. Characters 3-8 are the administrative division code (digits);
  the 18th is a check character: with character values c1..c17 and weights w_i = 3^(i-1) mod 31,
  ``check = 31 - (sum(c_i * w_i) mod 31)``, where 31 reads as ``0``.
- The Legal Entity Identifier (LEI, ISO 17442): 20 characters, ``[0-9A-Z]{18}`` then two check digits, valid when
  the string read as a number (A=10 .. Z=35) is 1 modulo 97 (ISO 7064 MOD 97-10, as for IBANs).

PACT v3 requires each `companyIds` entry to be a URN (RFC 8141, pattern ``^urn:``) and names no namespace for these
two registries, so Tanji writes ``urn:lei:<LEI>`` and ``urn:uscc:<code>`` (upper case, no spaces).
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.errors import InvalidLegalIdentifierError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
SCHEMES = ("uscc", "lei")


def _cleaned(value: str) -> str:
    return value.strip().upper()


def uscc_check_character(first17: str) -> str:
    """The 18th character of a unified social credit code whose first 17 characters are `first17`."""
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """The unified social credit code `value`, upper-cased; InvalidLegalIdentifierError naming what is wrong."""
    code = _cleaned(value)
    if len(code) != 18:
        raise InvalidLegalIdentifierError(
            f"unified social credit code {value!r} has {len(code)} characters; GB 32100-2015 codes have 18"
        )
    bad = [char for char in code if char not in USCC_ALPHABET]
    if bad:
        raise InvalidLegalIdentifierError(
            f"unified social credit code {value!r} contains {''.join(sorted(set(bad)))!r}; only 0-9 and A-Y "
            "without I, O, S, V, Z occur in GB 32100-2015 codes"
        )
    if not code[2:8].isdigit():
        raise InvalidLegalIdentifierError(
            f"unified social credit code {value!r}: characters 3-8 ({code[2:8]!r}) must be the digits of an "
            "administrative division code"
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise InvalidLegalIdentifierError(
            f"unified social credit code {value!r} fails its check character: the 18th character is "
            f"{code[17]!r}, the first 17 give {expected!r}; check the code for a typing error"
        )
    return code


def _lei_number(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text))


def lei_check_digits(first18: str) -> str:
    """The two check digits of an LEI whose first 18 characters are `first18` (ISO 7064 MOD 97-10)."""
    return f"{98 - _lei_number(first18 + '00') % 97:02d}"


def validate_lei(value: str) -> str:
    """The LEI `value`, upper-cased; InvalidLegalIdentifierError naming what is wrong."""
    code = _cleaned(value)
    if len(code) != 20:
        raise InvalidLegalIdentifierError(f"LEI {value!r} has {len(code)} characters; ISO 17442 LEIs have 20")
    if not (code.isascii() and code.isalnum()):
        raise InvalidLegalIdentifierError(f"LEI {value!r} may contain only the letters A-Z and the digits 0-9")
    if not code[18:].isdigit():
        raise InvalidLegalIdentifierError(f"LEI {value!r}: the last two characters must be check digits")
    if _lei_number(code) % 97 != 1:
        raise InvalidLegalIdentifierError(
            f"LEI {value!r} fails its check digits (ISO 7064 MOD 97-10): the first 18 characters give "
            f"{lei_check_digits(code[:18])}, not {code[18:]}; check the LEI for a typing error"
        )
    return code


@dataclass(frozen=True)
class LegalIdentifier:
    """A validated legal identifier: its scheme (``uscc`` or ``lei``) and normalized value."""

    scheme: str
    value: str

    @property
    def urn(self) -> str:
        """The PACT `companyIds` entry: ``urn:lei:...`` or ``urn:uscc:...``."""
        return f"urn:{self.scheme}:{self.value}"


def legal_identifier(scheme: str, value: str) -> LegalIdentifier:
    """Validate `value` under `scheme` (``uscc`` or ``lei``)."""
    name = scheme.strip().lower()
    if name == "uscc":
        return LegalIdentifier(name, validate_uscc(value))
    if name == "lei":
        return LegalIdentifier(name, validate_lei(value))
    raise InvalidLegalIdentifierError(f"unknown identifier scheme {scheme!r}; use one of: {', '.join(SCHEMES)}")
