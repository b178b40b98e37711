"""Sign-In with Ethereum (EIP-4361): a strict message parser, nonces, and the sign-in use case.

A wallet signs a plain-text message (EIP-191 ``personal_sign``) naming this server's domain, the deployment's
chain id and a single-use nonce the server issued. The server checks every field, recovers the signer, consumes
the nonce (so a replayed message is refused), requires the signer to be an active key of the organization it names
on chain, and issues a session token bound to that organization.

The message grammar (EIP-4361 ABNF; lines end with LF)::

    [scheme "://"] domain " wants you to sign in with your Ethereum account:"
    address                      EIP-55 checksummed
    (empty line)
    [statement]                  then an empty line (or just one empty line when there is no statement)
    "URI: " URI
    "Version: 1"
    "Chain ID: " 1*DIGIT
    "Nonce: " 8*(ALPHA / DIGIT)
    "Issued At: " RFC 3339 date-time
    ["Expiration Time: " date-time] ["Not Before: " date-time] ["Request ID: " *pchar]
    ["Resources:" *(LF "- " URI)]
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from eth_account import Account
from eth_account.messages import encode_defunct
from sqlmodel import Session

from ledger.addresses import checksum
from ledger.errors import SignInRejectedError
from ledger.service.identity import SIWE, IdentityService, IssuedToken, OrganizationDirectory, require_standing
from ledger.storage import identity as store

_HEADER = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<domain>[A-Za-z0-9\-._~!$&'()*+,;=:@\[\]%]+)"
    r" wants you to sign in with your Ethereum account:"
)
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_STATEMENT = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;= ]*")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")
_NONCE = re.compile(r"[A-Za-z0-9]{8,}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
_REQUEST_ID = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@%]*")
_FIELDS = (  # tag, required, pattern
    ("URI", True, _URI),
    ("Version", True, re.compile("1")),
    ("Chain ID", True, re.compile(r"[0-9]+")),
    ("Nonce", True, _NONCE),
    ("Issued At", True, _DATE_TIME),
    ("Expiration Time", False, _DATE_TIME),
    ("Not Before", False, _DATE_TIME),
    ("Request ID", False, _REQUEST_ID),
)
MAX_MESSAGE_LENGTH = 4096


@dataclass(frozen=True)
class SiweMessage:
    """A parsed EIP-4361 message."""

    domain: str
    address: str
    uri: str
    chain_id: int
    nonce: str
    issued_at: datetime
    scheme: str | None = None
    statement: str | None = None
    version: str = "1"
    expiration_time: datetime | None = None
    not_before: datetime | None = None
    request_id: str | None = None
    resources: tuple[str, ...] = ()

    def text(self) -> str:
        """The message as the wallet signs it."""
        prefix = f"{self.scheme}://" if self.scheme else ""
        lines = [f"{prefix}{self.domain} wants you to sign in with your Ethereum account:"]
        lines += [self.address, ""]
        lines += [self.statement, ""] if self.statement is not None else [""]
        lines += [f"URI: {self.uri}", f"Version: {self.version}", f"Chain ID: {self.chain_id}", f"Nonce: {self.nonce}"]
        lines.append(f"Issued At: {_iso(self.issued_at)}")
        if self.expiration_time is not None:
            lines.append(f"Expiration Time: {_iso(self.expiration_time)}")
        if self.not_before is not None:
            lines.append(f"Not Before: {_iso(self.not_before)}")
        if self.request_id is not None:
            lines.append(f"Request ID: {self.request_id}")
        if self.resources:
            lines += ["Resources:", *(f"- {resource}" for resource in self.resources)]
        return "\n".join(lines)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _reject(line: int, problem: str) -> SignInRejectedError:
    return SignInRejectedError(f"malformed Sign-In with Ethereum message, line {line}: {problem} (see EIP-4361)")


def parse_siwe_message(text: str) -> SiweMessage:
    """Parse `text` strictly by the EIP-4361 grammar; SignInRejectedError names the first line that breaks it."""
    if len(text) > MAX_MESSAGE_LENGTH:
        raise SignInRejectedError(f"Sign-In with Ethereum message longer than {MAX_MESSAGE_LENGTH} characters")
    if "\r" in text:
        raise _reject(1, "lines must end with LF only, not CR LF")
    lines = text.split("\n")
    if len(lines) < 9:
        raise _reject(len(lines), f"only {len(lines)} lines; the message needs at least the address and five fields")
    header = _HEADER.fullmatch(lines[0])
    if header is None:
        raise _reject(1, "expected '<domain> wants you to sign in with your Ethereum account:'")
    if _ADDRESS.fullmatch(lines[1]) is None or checksum(lines[1]) != lines[1]:
        raise _reject(2, f"{lines[1]!r} is not an EIP-55 checksummed Ethereum address")
    if lines[2] != "":
        raise _reject(3, "expected an empty line after the address")
    statement, index = None, 4
    if lines[3] != "":
        if _STATEMENT.fullmatch(lines[3]) is None:
            raise _reject(4, "the statement may hold only URI characters and spaces")
        if lines[4] != "":
            raise _reject(5, "expected an empty line after the statement")
        statement, index = lines[3], 5
    values: dict[str, str] = {}
    for tag, required, pattern in _FIELDS:
        line = lines[index] if index < len(lines) else ""
        if line.startswith(tag + ": "):
            value = line[len(tag) + 2 :]
            if pattern.fullmatch(value) is None:
                raise _reject(index + 1, f"{tag} {value!r} is malformed")
            values[tag] = value
            index += 1
        elif required:
            raise _reject(index + 1, f"expected '{tag}: ...'")
    resources: list[str] = []
    if index < len(lines) and lines[index] == "Resources:":
        index += 1
        while index < len(lines) and lines[index].startswith("- ") and _URI.fullmatch(lines[index][2:]):
            resources.append(lines[index][2:])
            index += 1
    if index != len(lines):
        raise _reject(index + 1, f"unexpected text {lines[index][:40]!r} after the last field")
    return SiweMessage(
        scheme=header["scheme"],
        domain=header["domain"],
        address=lines[1],
        statement=statement,
        uri=values["URI"],
        chain_id=int(values["Chain ID"]),
        nonce=values["Nonce"],
        issued_at=_when(values["Issued At"]),
        expiration_time=_when(values["Expiration Time"]) if "Expiration Time" in values else None,
        not_before=_when(values["Not Before"]) if "Not Before" in values else None,
        request_id=values.get("Request ID"),
        resources=tuple(resources),
    )


def _when(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SignInRejectedError(f"malformed date-time {text!r} in the sign-in message: {exc}") from exc


@dataclass(frozen=True)
class NonceGrant:
    """A fresh nonce and when it stops being accepted (Unix time)."""

    nonce: str
    expires_at: int


class SiweSignIn:
    """Issues nonces and turns signed EIP-4361 messages into session tokens bound to an organization."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        identity: IdentityService,
        directory: OrganizationDirectory,
        *,
        domain: str,
        scheme: str,
        chain_id: int,
        nonce_ttl: int,
        clock: Callable[[], float] = time.time,
        skew: int = 60,
    ) -> None:
        self.sessions = sessions
        self.identity = identity
        self.directory = directory
        self.domain, self.scheme, self.chain_id = domain, scheme, chain_id
        self.nonce_ttl = nonce_ttl
        self.clock = clock
        self.skew = skew

    def new_nonce(self) -> NonceGrant:
        """A single-use nonce valid for the configured lifetime (expired ones are purged)."""
        now = int(self.clock())
        grant = NonceGrant(secrets.token_hex(16), now + self.nonce_ttl)
        with self.sessions() as session:
            store.purge_expired(session=session, before=now - 3600)
            store.add_nonce(session=session, nonce=grant.nonce, expires_at=grant.expires_at)
            session.commit()
        return grant

    def sign_in(self, *, message: str, signature: str, organization: str) -> IssuedToken:
        """A session token for `organization` if `message` passes every check and its signer is an active key."""
        organization = organization.strip()
        parsed = parse_siwe_message(message)
        self._check_fields(parsed)
        now = self.clock()
        signer = _recover(message, signature)
        if signer != parsed.address:
            raise SignInRejectedError(f"the signature was made by {signer}, not by {parsed.address}")
        with self.sessions() as session:
            consumed = store.consume_nonce(
                session=session, nonce=parsed.nonce, now=int(now), used_at=datetime.fromtimestamp(now, UTC)
            )
            session.commit()
        if not consumed:
            raise SignInRejectedError(
                f"nonce {parsed.nonce!r} is unknown, expired or already used; get a fresh one from /auth/siwe/nonce"
            )
        require_standing(self.directory.record(organization, fresh=True), organization, parsed.address)
        lifetime = self.identity.token_ttl
        if parsed.expiration_time is not None:
            lifetime = min(lifetime, int(parsed.expiration_time.timestamp() - now))
        return self.identity.issue_token(org=organization, method=SIWE, subject=parsed.address, ttl=lifetime)

    def _check_fields(self, parsed: SiweMessage) -> None:
        now = self.clock()
        if parsed.domain != self.domain:
            raise SignInRejectedError(f"the message is for domain {parsed.domain!r}, this server is {self.domain!r}")
        if parsed.scheme is not None and parsed.scheme != self.scheme:
            raise SignInRejectedError(f"the message is for scheme {parsed.scheme!r}, this server uses {self.scheme!r}")
        if parsed.chain_id != self.chain_id:
            raise SignInRejectedError(f"the message is for chain id {parsed.chain_id}, this ledger is {self.chain_id}")
        if parsed.issued_at.timestamp() > now + self.skew:
            raise SignInRejectedError(f"the message is issued in the future ({_iso(parsed.issued_at)})")
        if parsed.expiration_time is not None and parsed.expiration_time.timestamp() <= now:
            raise SignInRejectedError(f"the message expired at {_iso(parsed.expiration_time)}; sign a new one")
        if parsed.not_before is not None and parsed.not_before.timestamp() > now:
            raise SignInRejectedError(f"the message is not valid before {_iso(parsed.not_before)}")


def _recover(message: str, signature: str) -> str:
    """The address that signed `message` (EIP-191); SignInRejectedError for a malformed signature."""
    text = signature.removeprefix("0x")
    if len(text) != 130 or re.fullmatch(r"[0-9a-fA-F]+", text) is None:
        raise SignInRejectedError("the signature must be 65 bytes as 0x followed by 130 hex digits")
    try:
        recovered: str = Account.recover_message(encode_defunct(text=message), signature=bytes.fromhex(text))
    except Exception as exc:  # eth-account raises several types for unrecoverable signatures
        raise SignInRejectedError(f"the signature cannot be recovered: {exc}") from exc
    return checksum(recovered)
