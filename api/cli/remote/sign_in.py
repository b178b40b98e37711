"""Sign-In with Ethereum from the CLI: the wallet signs an EIP-4361 message locally (the key never leaves this
machine) and the session token is kept, with its expiry, in a 0600 file beside the wallet.

The cache lives at ``wallets/sessions/NAME.json``, one entry per server and organization. A cached token is reused
until 30 s before its expiry; when the server refuses it, the wallet signs in again once.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from api.cli.remote.errors import RemoteNotAuthenticatedError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from api.cli.remote.connection import ServerConnection

REUSE_MARGIN_SECONDS = 30.0
STATEMENT = "Sign in to Tanji"


@dataclass(frozen=True)
class CachedSession:
    """A session token of one organization on one server, and when it expires (Unix time)."""

    token: str
    expires_at: float
    organization: str
    address: str


class SessionCache:
    """Session tokens of one wallet, per server and organization, in a file only its owner can read."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @staticmethod
    def _key(server: str, organization: str) -> str:
        return f"{server} {organization}"

    def _entries(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):  # a missing or damaged cache only costs a new sign-in
            return {}
        return data if isinstance(data, dict) else {}

    def load(self, server: str, organization: str, *, now: float) -> CachedSession | None:
        """The cached session, when it has more than the reuse margin to live."""
        entry = self._entries().get(self._key(server, organization))
        try:
            session = CachedSession(**entry) if isinstance(entry, dict) else None
        except TypeError:
            return None
        if session is None or session.expires_at - REUSE_MARGIN_SECONDS <= now:
            return None
        return session

    def store(self, server: str, session: CachedSession) -> None:
        """Remember `session` (the file is written atomically, mode 0600)."""
        entries = self._entries()
        entries[self._key(server, session.organization)] = asdict(session)
        self._write(entries)

    def forget(self, server: str, organization: str) -> None:
        """Drop the session of `organization` on `server`."""
        entries = self._entries()
        if entries.pop(self._key(server, organization), None) is not None:
            self._write(entries)

    def _write(self, entries: dict[str, Any]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(entries, handle)
        os.replace(tmp, self.path)


def session_cache(wallets_dir: Path, wallet: str) -> SessionCache:
    """The session cache of wallet `wallet` (beside its keystore, never listed as a wallet)."""
    return SessionCache(wallets_dir / "sessions" / f"{wallet}.json")


class WalletSignIn:
    """An Authenticator: signs in as `organization` with the wallet `unlock()` decrypts (only when needed)."""

    def __init__(
        self,
        *,
        organization: str,
        unlock: Callable[[], LocalAccount],
        cache: SessionCache | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.organization = organization
        self.unlock = unlock
        self.cache = cache
        self.clock = clock

    def token(self, connection: ServerConnection) -> str:
        """A cached session token, or a new one."""
        cached = self.cache.load(connection.base_url, self.organization, now=self.clock()) if self.cache else None
        return cached.token if cached else self.renew(connection)

    def renew(self, connection: ServerConnection) -> str:
        """Sign a fresh EIP-4361 message with the wallet and exchange it for a session token."""
        from eth_account import Account
        from eth_account.messages import encode_defunct

        from ledger.service.siwe import SiweMessage

        if self.cache:
            self.cache.forget(connection.base_url, self.organization)
        offer = _fields(connection.get("/auth/siwe/nonce", signed_in=False), "nonce", "domain", "uri", "chainId")
        expected = urlsplit(connection.base_url)
        if offer.get("domain") != expected.netloc:
            raise RemoteNotAuthenticatedError(
                f"the server asks to sign in for domain {offer.get('domain')!r}, not {expected.netloc!r} (the host "
                "of --server); refusing to sign a message for another site: use the server's public URL as --server"
            )
        account = self.unlock()
        message = SiweMessage(
            scheme=expected.scheme,
            domain=offer["domain"],
            address=account.address,
            statement=STATEMENT,
            uri=offer["uri"],
            chain_id=int(offer["chainId"]),
            nonce=offer["nonce"],
            issued_at=datetime.fromtimestamp(self.clock(), UTC),
        )
        text = message.text()
        signature = Account.sign_message(encode_defunct(text=text), account.key).signature.to_0x_hex()
        answer = _fields(
            connection.post(
                "/auth/siwe",
                {"message": text, "signature": signature, "organization": self.organization},
                signed_in=False,
            ),
            "access_token",
            "expires_in",
        )
        session = CachedSession(
            token=str(answer["access_token"]),
            expires_at=self.clock() + float(answer["expires_in"]),
            organization=str(answer.get("organization", self.organization)),
            address=str(answer.get("address", account.address)),
        )
        if self.cache:
            self.cache.store(connection.base_url, session)
        return session.token


def _fields(answer: Any, *names: str) -> dict[str, Any]:
    """`answer` when it is an object holding `names`; else RemoteServerError saying what is missing."""
    from api.cli.remote.errors import RemoteServerError

    if not isinstance(answer, dict) or any(name not in answer for name in names):
        raise RemoteServerError(f"the server's sign-in answer lacks {', '.join(names)} (got {answer!r:.200})")
    return answer
