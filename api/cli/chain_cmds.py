"""`tanji init`, `tanji chain status`, `tanji member ...` and `tanji key ...`."""

from __future__ import annotations

import argparse
from typing import Any

from api.cli.common import address_arg, emit, hexstr, settings_of


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
    helps = {
        "add": "add a signing key of ORG: with --wallet, ORG adds it itself; without, the operator proposes it and "
        "ORG accepts it with `tanji key accept`",
        "accept": "accept a key the operator proposed for ORG (signed by an active key of ORG: --wallet)",
        "retire": "retire a signing key of ORG (the operator, or ORG itself with --wallet)",
    }
    for verb, text in helps.items():
        sub = key.add_parser(verb, parents=[parent], help=text)
        sub.add_argument("org")
        sub.add_argument("--address", required=True, type=address_arg)
        sub.add_argument(
            "--wallet", required=verb == "accept", help="a wallet holding an active key of ORG (the member acts)"
        )
        sub.set_defaults(handler=cmd_key, verb=verb)


def cmd_init(args: argparse.Namespace) -> int:
    """Create the workspace and deploy the contracts."""
    from chain_tools.workspace import initialise

    settings = settings_of(args)
    home = settings.home
    config = initialise(
        home, rpc_url=args.rpc_url, confirmations=args.confirmations, operator_password=settings.operator_secret()
    )
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
    from api.compose import workspace
    from chain_tools.chain_adapter import ChainAdapter

    space = workspace(settings_of(args))
    config = space.config()
    with space.connect() as tanji:
        status = ChainAdapter(tanji).status(config.operator_address)
    data: dict[str, Any] = {
        "chain": config.rpc_url or "embedded",
        "chain_id": status.chain_id,
        "block": status.block,
        "contracts": {
            "TanjiLedger": status.anchors.ledger,
            "TanjiAttestations": status.anchors.attestations,
            "TanjiLabels": status.anchors.labels,
        },
        "operator": status.operator,
        "operator_balance_wei": status.operator_balance_wei,
    }
    text = "\n".join(
        [f"chain              {data['chain']} (chain id {data['chain_id']})", f"block              {data['block']}"]
        + [f"{name:<18} {address}" for name, address in data["contracts"].items()]
        + [f"operator           {data['operator']} balance {status.operator_balance_wei / 1e18:.6f} ETH"]
    )
    emit(data, as_json=args.json, text=text)
    return 0


def cmd_member_add(args: argparse.Namespace) -> int:
    """Register an organization."""
    from api.compose import open_chain
    from ledger.codes import Role
    from ledger.service.members import register_member

    for role in args.role:
        Role.from_name(role)  # fail before touching the chain
    with open_chain(settings_of(args)) as chain:
        assert chain.anchorer is not None  # open_chain signs as the operator
        identifier, mined = register_member(chain, args.org, args.address, args.role, chain.anchorer)
    print(
        f"registered {args.org} ({hexstr(identifier)}) key {args.address} roles {', '.join(args.role)} "
        f"in block {mined.block_number}"
    )
    return 0


def _change(args: argparse.Namespace, action: str, argument: str, *, as_member: bool = False) -> int:
    """Send a membership change signed by the operator, or (`as_member`) by the member's own --wallet."""
    from api.cli.common import load_wallet_of
    from api.compose import open_chain
    from ledger.service.members import change_member

    member = load_wallet_of(args) if as_member else None
    with open_chain(settings_of(args)) as chain:
        assert chain.anchorer is not None
        sender = member or chain.anchorer
        return change_member(chain, action, args.org, argument, sender).block_number


def cmd_member_suspend(args: argparse.Namespace) -> int:
    """Suspend an organization."""
    print(f"suspended {args.org} in block {_change(args, 'suspend', args.reason)}")
    return 0


def cmd_member_reinstate(args: argparse.Namespace) -> int:
    """Reinstate an organization."""
    print(f"reinstated {args.org} in block {_change(args, 'reinstate', '')}")
    return 0


def cmd_member_role(args: argparse.Namespace) -> int:
    """Grant or revoke a role."""
    block = _change(args, f"{args.verb}-role", args.role)
    print(f"{args.verb}ed {args.role} {'to' if args.verb == 'grant' else 'from'} {args.org} in block {block}")
    return 0


def cmd_member_show(args: argparse.Namespace) -> int:
    """Show an organization."""
    from api.compose import open_chain
    from ledger.service.members import member_info

    with open_chain(settings_of(args)) as chain:
        record = member_info(chain, args.org)
    keys = [
        {"address": k.address, "added_at_block": k.added_at_block, "retired_at_block": k.retired_at_block}
        for k in record.keys
    ]
    data: dict[str, Any] = {
        "org": record.name,
        "org_id": hexstr(record.org_id),
        "suspended": record.suspended,
        "registered_at_block": record.registered_at_block,
        "roles": list(record.roles),
        "keys": keys,
    }
    lines = [
        f"{record.name} {data['org_id']} {'SUSPENDED' if record.suspended else 'active'} since block "
        f"{record.registered_at_block}",
        f"roles: {', '.join(record.roles) or '-'}",
    ]
    lines += [
        f"key {k['address']} added {k['added_at_block']}"
        + (f" retired {k['retired_at_block']}" if k["retired_at_block"] else " active")
        for k in keys
    ]
    emit(data, as_json=args.json, text="\n".join(lines))
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    """Add (member) or propose (operator), accept (member) or retire a signing key."""
    by_member = bool(args.wallet)
    action = {"add": "add-key" if by_member else "propose-key", "accept": "accept-key", "retire": "retire-key"}
    block = _change(args, action[args.verb], args.address, as_member=by_member)
    done = {
        "add-key": "added",
        "propose-key": "proposed",
        "accept-key": "accepted",
        "retire-key": "retired",
    }[action[args.verb]]
    print(f"{done} key {args.address} of {args.org} in block {block}")
    if action[args.verb] == "propose-key":
        print(
            f"the key becomes active when {args.org} accepts it: tanji key accept {args.org} --address ... --wallet W"
        )
    return 0
