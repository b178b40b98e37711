"""`tanji pact peer add|list|remove` (the operator's PACT data recipients) and `tanji pact request list|accept|decline`
(an owner answers the footprint requests awaiting it), on the operator's workspace.

Answers are queued as outbound events; a running `tanji serve` sends them within a second. Remote owners answer
over HTTP instead (POST /v1/pact/requests/{seq}/accept or /decline).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from api.cli.common import emit, settings_of

if TYPE_CHECKING:
    from ledger.service.pact_requests import FootprintRequests

SECRET_VARIABLE = "TANJI_PACT_PEER_SECRET"


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add `pact peer ...` and `pact request ...` to the CLI."""
    pact = commands.add_parser("pact", help="PACT data recipients and footprint requests").add_subparsers(
        dest="pact_command", required=True
    )
    peer = pact.add_parser("peer", help="PACT data recipients (operator)").add_subparsers(dest="sub", required=True)
    add = peer.add_parser(
        "add",
        parents=[parent],
        help="register (or replace) member ORG as a PACT data recipient",
        description=f"The secret comes from ${SECRET_VARIABLE}, else from a prompt (or one line of stdin).",
    )
    add.add_argument("org", help="the recipient's organization handle (a member on chain)")
    add.add_argument("--url", required=True, help="base URL of its PACT API (https; http only on loopback)")
    add.add_argument("--client-id", required=True, help="the client id its token endpoint issued to Tanji")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_peer_add)
    listing = peer.add_parser("list", parents=[parent], help="registered recipients (no secrets)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_peer_list)
    remove = peer.add_parser("remove", parents=[parent], help="forget ORG's endpoint and credentials")
    remove.add_argument("org")
    remove.set_defaults(handler=cmd_peer_remove)

    request = pact.add_parser("request", help="footprint requests awaiting an owner").add_subparsers(
        dest="sub", required=True
    )
    pending = request.add_parser("list", parents=[parent], help="requests awaiting ORG's answer")
    pending.add_argument("--org", required=True, help="the owning organization")
    pending.add_argument("--json", action="store_true")
    pending.set_defaults(handler=cmd_request_list)
    for verb, help_text in (("accept", "share ORG's matching footprints"), ("decline", "decline to share")):
        answer = request.add_parser(verb, parents=[parent], help=f"{help_text} (request number SEQ)")
        answer.add_argument("seq", type=_request_number, help="the request's number (see `tanji pact request list`)")
        answer.add_argument("--org", required=True, help="the owning organization answering")
        if verb == "decline":
            answer.add_argument("--message", help="why (sent to the requester)")
        answer.set_defaults(handler=cmd_request_answer, accept=verb == "accept")


def _request_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a request number (a whole number)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"request number {value} must be at least 1")
    return value


def _peer_secret(args: argparse.Namespace) -> str:
    """The recipient-issued secret: $TANJI_PACT_PEER_SECRET, a prompt, or one line of stdin (never an argument,
    which other users could read in the process list)."""
    from ledger.errors import InvalidPeerError

    secret = settings_of(args).peer_secret() or (
        getpass.getpass("client secret issued to Tanji: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
    )
    if not secret:
        raise InvalidPeerError(f"no client secret: set ${SECRET_VARIABLE} or type it at the prompt")
    return secret


def cmd_peer_add(args: argparse.Namespace) -> int:
    """Register a recipient."""
    from api.compose import open_chain, open_store
    from ledger.service.pact_peers import add_peer

    settings = settings_of(args)
    secret = _peer_secret(args)
    store = open_store(settings)
    with open_chain(settings) as chain:
        peer = add_peer(
            store.sessions,
            store.keyring,
            chain,
            args.org,
            base_url=args.url,
            client_id=args.client_id,
            client_secret=secret,
        )
    data = {"organization": peer.org_handle, "baseUrl": peer.base_url, "clientId": peer.client_id}
    emit(data, as_json=args.json, text=f"registered {peer.org_handle}: events to {peer.base_url} as {peer.client_id}")
    return 0


def cmd_peer_list(args: argparse.Namespace) -> int:
    """List recipients."""
    from api.compose import open_store
    from ledger.service.pact_peers import list_peers

    peers = list_peers(open_store(settings_of(args)).sessions)
    rows = [{"organization": p.org_handle, "baseUrl": p.base_url, "clientId": p.client_id} for p in peers]
    text = "\n".join(f"{r['organization']}  {r['baseUrl']}  {r['clientId']}" for r in rows) or (
        "no PACT data recipients; register one with `tanji pact peer add ORG --url URL --client-id ID`"
    )
    emit(rows, as_json=args.json, text=text)
    return 0


def cmd_peer_remove(args: argparse.Namespace) -> int:
    """Remove a recipient."""
    from api.compose import open_store
    from ledger.service.pact_peers import remove_peer

    remove_peer(open_store(settings_of(args)).sessions, args.org)
    print(f"removed the PACT endpoint of {args.org}")
    return 0


@contextmanager
def _requests(args: argparse.Namespace) -> Iterator[FootprintRequests]:
    from api.compose import open_ledger
    from ledger.service.pact_exchange import PactExchange
    from ledger.service.pact_requests import FootprintRequests

    settings = settings_of(args)
    with open_ledger(settings) as ledger:
        chain = ledger.chain
        exchange = PactExchange(ledger.sessions, ledger.store.keyring, chain, chain.trust_anchors)
        yield FootprintRequests(ledger.sessions, exchange, public_url=settings.public_url)


def cmd_request_list(args: argparse.Namespace) -> int:
    """List the requests awaiting an organization."""
    from ledger.service.pact_peers import PendingRequest

    with _requests(args) as requests:
        pending = [PendingRequest.of(row) for row in requests.awaiting(args.org)]
    rows = [
        {"seq": r.seq, "requester": r.requester, "criteria": r.criteria, "comment": r.comment, "created": r.created_at}
        for r in pending
    ]
    text = "\n".join(f"{r['seq']}  from {r['requester']}  {r['criteria']}" for r in rows) or (
        f"no footprint request awaits {args.org}"
    )
    emit(rows, as_json=args.json, text=text)
    return 0


def cmd_request_answer(args: argparse.Namespace) -> int:
    """Accept or decline a request."""
    with _requests(args) as requests:
        outcome = requests.answer_request(
            args.org, args.seq, accept=args.accept, message=getattr(args, "message", None)
        )
    print(f"request {outcome.seq}: {outcome.status} (the answer is sent by the running server)")
    return 0
