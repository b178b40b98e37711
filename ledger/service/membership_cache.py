"""A short-lived cache of on-chain membership answers, so ingest does not make one chain call per declaration."""

from __future__ import annotations

import time
from collections.abc import Callable

from ledger.chain_port import MembershipPort
from ledger.errors import ChainRejectedError, ChainUnavailableError, NotAMemberError
from ledger.organizations import org_id


class MembershipCache:
    """Remembers for `ttl` seconds that a key is an active supplier of an organization; refusals are re-asked."""

    def __init__(self, port: MembershipPort, *, ttl: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.port = port
        self.ttl = ttl
        self.clock = clock
        self._ok: dict[tuple[str, str], float] = {}

    def check(self, declarant: str, org_handle: str) -> bool:
        """True when verified now; False when the chain is unreachable (check later); NotAMemberError when refused."""
        key = (declarant, org_handle)
        seen = self._ok.get(key)
        if seen is not None and self.clock() - seen < self.ttl:
            return True
        try:
            on_chain_org = self._declarant_org(declarant)
        except ChainUnavailableError:
            return False
        except ChainRejectedError as exc:
            raise NotAMemberError(
                f"declarant {declarant} may not declare: chain says {exc.name} {exc.arguments}; "
                "ask the consortium operator to register the key with the supplier role"
            ) from exc
        if on_chain_org != org_id(org_handle):
            raise NotAMemberError(
                f"declarant {declarant} is a key of organization 0x{on_chain_org.hex()}, not of "
                f"{org_handle!r} named in the declaration; fix declarant.org in the Tanji extension"
            )
        self._ok[key] = self.clock()
        return True

    def _declarant_org(self, declarant: str) -> bytes:
        """Organization of a key that may declare: a supplier, or a chain leader declaring its computed footprint."""
        try:
            return self.port.require_active(declarant, "supplier")
        except ChainRejectedError as exc:
            if exc.name != "TanjiMissingRole":
                raise
            try:
                return self.port.require_active(declarant, "chain-leader")
            except ChainRejectedError:
                raise exc from None

    def forget(self) -> None:
        """Drop every cached answer (after a membership change)."""
        self._ok.clear()
