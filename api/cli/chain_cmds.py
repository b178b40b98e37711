"""`tanji init`, `tanji chain status`, `tanji member ...` and `tanji key ...`."""

from __future__ import annotations

import argparse
from typing import Any

from api.cli.common import address_arg, emit, hexstr, home_of

DEV_MEMBER_FUNDING = 10 * 10**18


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the chain and membership commands to `commands`."""
    init = commands.add_parser("init", parents=[parent], help="create a workspace, start or connect a chain, deploy")
    init.add_argument("--rpc-url", help="JSON-RPC URL of a node (default: the embedded py-evm chain)")
    init.add_argument("--confirmations", type=int, default=1, help="blocks to wait after each transaction")
    init.set_defaults(handler=cmd_init)

    chain = commands.add_parser("chain", help="chain information").add_subparsers(dest="sub", required=True)
    status = chain.add_parser("status", parents=[parent], help="chain id, block, contracts, operator balance")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_chain_status)

    member = commands.add_parser("member", help="consortium members").add_subparsers(dest="sub", required=True)
    add = member.add_parser("add", parents=[parent], help="register organization ORG with a first key and roles")
    add.add_argument("org")
    add.add_argument("--role", action="append", required=True, help="role (repeatable): supplier, chain-leader, ...")
    add.add_argument("--address", required=True, type=address_arg, help="first signing key (0x address)")
    add.set_defaults(handler=cmd_member_add)
    for verb, helptext in (("suspend", "suspend ORG (its keys lose every role)"), ("reinstate", "reinstate ORG")):
        sub = member.add_parser(verb, parents=[parent], help=helptext)
        sub.add_argument("org")
        if verb == "suspend":
            sub.add_argument("--reason", default="suspended by operator", help="reason (stored as its hash)")
        sub.set_defaults(handler=cmd_member_suspend if verb == "suspend" else cmd_member_reinstate)
    for verb in ("grant", "revoke"):
        sub = member.add_parser(verb, parents=[parent], help=f"{verb} a role of ORG")
        sub.add_argument("org")
        sub.add_argument("--role", required=True)
        sub.set_defaults(handler=cmd_member_role, verb=verb)
    show = member.add_parser("show", parents=[parent], help="name, suspension, roles and keys of ORG")
    show.add_argument("org")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_member_show)

    key = commands.add_parser("key", help="signing keys of members").add_subparsers(dest="sub", required=True)
    for verb in ("add", "retire"):
        sub = key.add_parser(verb, parents=[parent], help=f"{verb} a signing key of ORG")
        sub.add_argument("org")
        sub.add_argument("--address", required=True, type=address_arg)
        sub.set_defaults(handler=cmd_key, verb=verb)


def _workspace(args: argparse.Namespace) -> Any:
    from chain_tools.workspace import Workspace

    return Workspace(home_of(args))


def cmd_init(args: argparse.Namespace) -> int:
    """Create the workspace and deploy the contracts."""
    from chain_tools.workspace import initialise

    home = home_of(args)
    config = initialise(home, rpc_url=args.rpc_url, confirmations=args.confirmations)
    d = config.deployment
    print(f"workspace      {home}")
    print(f"chain          {config.rpc_url or 'embedded py-evm (' + str(home / 'chain') + ')'} (chain id {d.chain_id})")
    print(f"operator       {config.operator_address} (org '{d.operator_org}', keystore {home / 'keystore'})")
    print(f"TanjiLedger    {d.ledger}")
    print(f"Attestations   {d.attestations}")
    print(f"Labels         {d.labels}")
    return 0


def cmd_chain_status(args: argparse.Namespace) -> int:
    """Print chain id, block number, contract addresses and operator balance."""
    workspace = _workspace(args)
    config = workspace.config()
    with workspace.connect() as tanji:
        gw = tanji.gateway
        data = {
            "chain": config.rpc_url or "embedded",
            "chain_id": gw.chain_id,
            "block": gw.block_number(),
            "contracts": {
                "TanjiLedger": tanji.deployment.ledger,
                "TanjiAttestations": tanji.deployment.attestations,
                "TanjiLabels": tanji.deployment.labels,
            },
            "operator": config.operator_address,
            "operator_balance_wei": gw.balance(config.operator_address),
        }
    text = "\n".join(
        [f"chain              {data['chain']} (chain id {data['chain_id']})", f"block              {data['block']}"]
        + [f"{name:<18} {address}" for name, address in data["contracts"].items()]
        + [f"operator           {data['operator']} balance {data['operator_balance_wei'] / 1e18:.6f} ETH"]
    )
    emit(data, as_json=args.json, text=text)
    return 0


def fund_if_dev(tanji: Any, operator: Any, address: str) -> None:
    """On dev chains, give a new member key gas money so it can send its own transactions."""
    from chain_tools.gateway import DEV_CHAIN_IDS

    gw = tanji.gateway
    if gw.chain_id in DEV_CHAIN_IDS and gw.balance(address) < DEV_MEMBER_FUNDING // 10:
        gw.transfer(address, DEV_MEMBER_FUNDING, sender=operator)


def cmd_member_add(args: argparse.Namespace) -> int:
    """Register an organization."""
    from ledger.membership import org_id, role_id

    for role in args.role:
        role_id(role)  # fail before touching the chain
    workspace = _workspace(args)
    operator = workspace.operator()
    with workspace.connect() as tanji:
        receipt = tanji.register_member(args.org, args.address, args.role, sender=operator)
        fund_if_dev(tanji, operator, args.address)
    print(
        f"registered {args.org} ({hexstr(org_id(args.org))}) key {args.address} roles {', '.join(args.role)} "
        f"in block {receipt.block_number}"
    )
    return 0


def cmd_member_suspend(args: argparse.Namespace) -> int:
    """Suspend an organization."""
    workspace = _workspace(args)
    with workspace.connect() as tanji:
        receipt = tanji.suspend_member(args.org, args.reason, sender=workspace.operator())
    print(f"suspended {args.org} in block {receipt.block_number}")
    return 0


def cmd_member_reinstate(args: argparse.Namespace) -> int:
    """Reinstate an organization."""
    workspace = _workspace(args)
    with workspace.connect() as tanji:
        receipt = tanji.reinstate_member(args.org, sender=workspace.operator())
    print(f"reinstated {args.org} in block {receipt.block_number}")
    return 0


def cmd_member_role(args: argparse.Namespace) -> int:
    """Grant or revoke a role."""
    workspace = _workspace(args)
    with workspace.connect() as tanji:
        action = tanji.grant_role if args.verb == "grant" else tanji.revoke_role
        receipt = action(args.org, args.role, sender=workspace.operator())
    print(
        f"{args.verb}ed {args.role} {'to' if args.verb == 'grant' else 'from'} {args.org} "
        f"in block {receipt.block_number}"
    )
    return 0


def cmd_member_show(args: argparse.Namespace) -> int:
    """Show an organization."""
    from chain_tools.errors import WorkspaceError
    from ledger.membership import ROLE_IDS, org_id

    workspace = _workspace(args)
    with workspace.connect() as tanji:
        name, suspended, registered = tanji.member_info(args.org)
        if registered == 0:
            raise WorkspaceError(f"organization {args.org!r} is not registered; add it with `tanji member add`")
        roles = [role for role in ROLE_IDS if tanji.member_has_role(args.org, role)]
        keys = []
        for key in tanji.member_keys(args.org):
            info = tanji.key_info(key)
            keys.append(
                {"address": key, "added_at_block": info.added_at_block, "retired_at_block": info.retired_at_block}
            )
    data = {
        "org": name,
        "org_id": hexstr(org_id(args.org)),
        "suspended": suspended,
        "registered_at_block": registered,
        "roles": roles,
        "keys": keys,
    }
    lines = [
        f"{name} {data['org_id']} {'SUSPENDED' if suspended else 'active'} since block {registered}",
        f"roles: {', '.join(roles) or '-'}",
    ]
    lines += [
        f"key {k['address']} added {k['added_at_block']}"
        + (f" retired {k['retired_at_block']}" if k["retired_at_block"] else " active")
        for k in keys
    ]
    emit(data, as_json=args.json, text="\n".join(lines))
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    """Add or retire a signing key."""
    workspace = _workspace(args)
    operator = workspace.operator()
    with workspace.connect() as tanji:
        if args.verb == "add":
            receipt = tanji.add_key(args.org, args.address, sender=operator)
            fund_if_dev(tanji, operator, args.address)
        else:
            receipt = tanji.retire_key(args.org, args.address, sender=operator)
    print(
        f"{'added' if args.verb == 'add' else 'retired'} key {args.address} of {args.org} "
        f"in block {receipt.block_number}"
    )
    return 0
