"""The organization directory of the native API: public facts of members, registration by the operator, legal
identifiers (check characters validated, mapped to PACT companyIds) and keys proposed by the operator.

Roles, keys and suspension are read from the chain (the handles from its MemberRegistered events); the store keeps the
legal identifiers. A key a member adds, accepts or retires is a transaction the member signs (ledger.service.relay).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ledger.addresses import checksum, is_address
from ledger.chain_port import ActingChainPort, MemberKey, Sender, TxResult
from ledger.codes import Role
from ledger.errors import (
    IdentifierTakenError,
    InvalidWalletError,
    NotFoundError,
    OrganizationExistsError,
)
from ledger.legal_identifiers import LegalIdentifier, legal_identifier
from ledger.organizations import org_id
from ledger.service.members import change_member, register_member
from ledger.storage import directory
from ledger.storage.tables import OrgIdentifierRow


@dataclass(frozen=True)
class OrganizationFacts:
    """What anyone may know of a member: chain facts and its legal identifiers."""

    handle: str
    org_id: str
    name: str
    suspended: bool
    registered_at_block: int
    roles: tuple[str, ...]
    keys: tuple[MemberKey, ...]
    identifiers: tuple[LegalIdentifier, ...]

    @property
    def company_ids(self) -> list[str]:
        """The PACT companyIds of the organization (its legal identifiers as URNs)."""
        return [identifier.urn for identifier in self.identifiers]


def organization_facts(session: Session, chain: ActingChainPort, handle: str) -> OrganizationFacts:
    """The public facts of organization `handle`; NotFoundError when it is not registered on chain."""
    org_id(handle)
    record = chain.member(handle)
    if record is None:
        raise NotFoundError(f"organization {handle!r} is not registered; list members at GET /v1/organizations")
    identifiers = tuple(
        LegalIdentifier(row.scheme, row.value) for row in directory.identifiers_of(session=session, handle=handle)
    )
    return OrganizationFacts(
        handle,
        "0x" + record.org_id.hex(),
        record.name,
        record.suspended,
        record.registered_at_block,
        tuple(sorted(record.roles)),
        record.keys,
        identifiers,
    )


def company_ids(session: Session, handle: str) -> list[str]:
    """The PACT companyIds of organization `handle` from its recorded legal identifiers (no chain call), e.g. for
    the `companyIds` of footprints it declares; empty when none are recorded."""
    return [
        LegalIdentifier(row.scheme, row.value).urn for row in directory.identifiers_of(session=session, handle=handle)
    ]


def list_organizations(
    session: Session, chain: ActingChainPort, *, offset: int, limit: int
) -> tuple[list[OrganizationFacts], int]:
    """A page of the organizations registered on chain (MemberRegistered events), by handle; (page, total)."""
    registered = sorted(set(chain.member_names()))
    page = registered[offset : offset + limit]
    return [organization_facts(session, chain, handle) for handle in page], len(registered)


def _validated(identifiers: dict[str, str]) -> list[LegalIdentifier]:
    return [legal_identifier(scheme, value) for scheme, value in sorted(identifiers.items())]


def _require_free(session: Session, handle: str, identifiers: list[LegalIdentifier]) -> None:
    for identifier in identifiers:
        holder = directory.identifier_holder(session=session, scheme=identifier.scheme, value=identifier.value)
        if holder is not None and holder != handle:
            raise IdentifierTakenError(
                f"{identifier.scheme} {identifier.value} is already recorded for organization {holder!r}; "
                "one legal entity is one member"
            )


def _store_identifiers(session: Session, handle: str, identifiers: list[LegalIdentifier], by: str) -> None:
    for identifier in identifiers:
        row = session.get(OrgIdentifierRow, (handle, identifier.scheme))
        if row is None:
            row = OrgIdentifierRow(org_handle=handle, scheme=identifier.scheme, value=identifier.value, recorded_by=by)
        else:
            row.value, row.recorded_by = identifier.value, by
        session.add(row)


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise IdentifierTakenError(
            f"a legal identifier was recorded concurrently for another member: {exc.orig}"
        ) from None


def require_address(value: str, what: str) -> str:
    """`value` as a checksummed address; InvalidWalletError naming `what` otherwise."""
    if not isinstance(value, str) or not is_address(value):
        raise InvalidWalletError(f"{what} {value!r} is not an Ethereum address (0x and 40 hex digits)")
    return checksum(value)


def register_organization(
    sessions: Callable[[], Session],
    chain: ActingChainPort,
    operator: Sender,
    *,
    handle: str,
    first_key: str,
    roles: list[str],
    identifiers: dict[str, str],
    by: str,
) -> OrganizationFacts:
    """Register `handle` on chain (sent by the operator's key) and record its legal identifiers.

    Everything that can be refused is checked before the chain is touched: roles, the key, each identifier's check
    characters and that no other member holds it, and that the handle is not registered yet.
    """
    key = require_address(first_key, "first key")
    role_names = [Role.from_name(role).cli_name for role in roles]
    validated = _validated(identifiers)
    with sessions() as session:
        _require_free(session, handle, validated)
    if chain.member(handle) is not None:
        raise OrganizationExistsError(f"organization {handle!r} is already registered; choose another handle")
    register_member(chain, handle, key, role_names, operator)
    with sessions() as session:
        _store_identifiers(session, handle, validated, by)
        _commit(session)
        return organization_facts(session, chain, handle)


def record_identifiers(
    sessions: Callable[[], Session], chain: ActingChainPort, *, handle: str, identifiers: dict[str, str], by: str
) -> OrganizationFacts:
    """Record (or replace, per scheme) the legal identifiers of a registered organization."""
    validated = _validated(identifiers)
    with sessions() as session:
        organization_facts(session, chain, handle)  # NotFoundError first
        _require_free(session, handle, validated)
        _store_identifiers(session, handle, validated, by)
        _commit(session)
        return organization_facts(session, chain, handle)


def propose_key(chain: ActingChainPort, operator: Sender, *, handle: str, key: str) -> TxResult:
    """The operator proposes `key` for `handle`; it acts only once an active key of the member accepts it."""
    address = require_address(key, "proposed key")
    if chain.member(handle) is None:
        raise NotFoundError(f"organization {handle!r} is not registered; list members at GET /v1/organizations")
    return change_member(chain, "propose-key", handle, address, operator)
