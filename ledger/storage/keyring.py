"""Per-organization data keys, stored wrapped in the database and cached unwrapped in memory."""

from __future__ import annotations

from sqlmodel import Session, select

from ledger.confidentiality import KeyProvider, key_context, new_data_key
from ledger.errors import ConfidentialityError
from ledger.storage.tables import DataKeyRow


class Keyring:
    """Gets (creating on first use) each organization's current data key."""

    def __init__(self, provider: KeyProvider) -> None:
        self.provider = provider
        self._cache: dict[tuple[str, int], bytes] = {}
        self._current: dict[str, int] = {}

    def current(self, session: Session, org: str) -> tuple[int, bytes]:
        """(version, key) of `org`'s newest data key; created (inside `session`'s transaction) if none exists."""
        if org in self._current:
            version = self._current[org]
            return version, self.get(session, org, version)
        row = session.exec(
            select(DataKeyRow).where(DataKeyRow.org_handle == org).order_by(DataKeyRow.key_version.desc())  # type: ignore[attr-defined]
        ).first()
        if row is None:
            key = new_data_key()
            row = DataKeyRow(
                org_handle=org, key_version=1, wrapped_key=self.provider.wrap(key, context=key_context(org, 1))
            )
            session.add(row)
            session.flush()
            self._cache[(org, 1)] = key
            return 1, key
        self._current[org] = row.key_version
        return row.key_version, self.get(session, org, row.key_version)

    def forget(self) -> None:
        """Drop cached keys; call after a rolled-back transaction (a key created in it no longer exists)."""
        self._cache.clear()
        self._current.clear()

    def get(self, session: Session, org: str, version: int) -> bytes:
        """The data key `version` of `org`."""
        cached = self._cache.get((org, version))
        if cached is not None:
            return cached
        row = session.get(DataKeyRow, (org, version))
        if row is None:
            raise ConfidentialityError(f"no data key version {version} for organization {org!r}; restore the database")
        key = self.provider.unwrap(row.wrapped_key, context=key_context(org, version))
        self._cache[(org, version)] = key
        return key
