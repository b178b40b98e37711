"""Consortium membership administration by the operator: organizations, their keys, roles and suspension."""

from __future__ import annotations

from ledger.chain_port import ActingChainPort, MemberRecord, Sender, TxResult
from ledger.codes import Role
from ledger.errors import InvalidInputError, NotFoundError
from ledger.organizations import org_handle, org_id

# sent by the operator; "add-key" and "accept-key" are sent by an active key of the member itself (key consent)
MEMBER_ACTIONS = (
    "propose-key",
    "accept-key",
    "add-key",
    "retire-key",
    "grant-role",
    "revoke-role",
    "suspend",
    "reinstate",
)


def register_member(
    chain: ActingChainPort, org: str, first_key: str, roles: list[str], operator: Sender
) -> tuple[bytes, TxResult]:
    """Register `org` with its first key and roles (checked before the chain is touched); fund it on dev chains."""
    names = [Role.from_name(role).cli_name for role in roles]
    org = org_handle(org)  # the name stored on chain is the normalized one its id is computed from
    identifier = org_id(org)
    mined = chain.register_member(org, first_key, names, operator)
    chain.fund_if_dev(first_key, operator)
    return identifier, mined


def change_member(chain: ActingChainPort, action: str, org: str, argument: str, operator: Sender) -> TxResult:
    """propose-key / retire-key (argument: address), grant-role / revoke-role (role), suspend (reason), reinstate
    by the operator; add-key / accept-key (address) by `operator` being an active key of the member itself."""
    if action not in MEMBER_ACTIONS:
        raise InvalidInputError(f"unknown member action {action!r}; use one of: {', '.join(MEMBER_ACTIONS)}")
    if action in ("grant-role", "revoke-role"):
        argument = Role.from_name(argument).cli_name
    org_id(org)
    mined = chain.change_member(action, org, argument, operator)
    if action in ("propose-key", "add-key"):
        chain.fund_if_dev(argument, operator)
    return mined


def member_info(chain: ActingChainPort, org: str) -> MemberRecord:
    """Organization `org` as the chain holds it; NotFoundError when it is not registered."""
    org_id(org)
    record = chain.member(org)
    if record is None:
        raise NotFoundError(f"organization {org!r} is not registered; add it with `tanji member add`")
    return record
