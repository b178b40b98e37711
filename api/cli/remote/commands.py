"""Client-mode handlers: each command's remote twin (called by the command when ``--server``/TANJI_SERVER is set)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from api.cli.common import load_wallet_of, present_submissions, settings_of
from api.cli.remote.connection import ServerConnection
from api.cli.remote.declarations import DeclarationsApi
from api.cli.remote.errors import RemoteNotAllowedError
from api.cli.remote.sign_in import WalletSignIn, session_cache
from api.cli.remote.transactions import TransactionsApi

if TYPE_CHECKING:
    from api.settings import Settings


def server_of(args: argparse.Namespace) -> str | None:
    """The server URL of client mode (--server over TANJI_SERVER), or None for the local workspace."""
    settings: Settings = settings_of(args)
    return settings.server


@contextmanager
def connect(args: argparse.Namespace, *, organization: str | None, wallet: str | None) -> Iterator[ServerConnection]:
    """A connection to the server, signed in as `organization` with `wallet` when both are given."""
    settings = settings_of(args)
    assert settings.server is not None
    authenticator = None
    if organization and wallet:
        authenticator = WalletSignIn(
            organization=organization,
            unlock=lambda: load_wallet_of(args, wallet),
            cache=session_cache(settings.home / "wallets", wallet),
        )
    with ServerConnection(settings.server, authenticator=authenticator) as connection:
        yield connection


def _need(args: argparse.Namespace, command: str, **values: str | None) -> None:
    missing = [f"--{name.replace('_', '-')}" for name, value in values.items() if not value]
    if missing:
        from ledger.errors import InvalidOrganizationError

        raise InvalidOrganizationError(
            f"client mode: `tanji {command}` signs in to the server and needs {' and '.join(missing)} "
            "(your wallet and its organization's handle)"
        )


def submit(args: argparse.Namespace) -> int:
    """Submit locally signed envelopes; exit 1 when any is rejected."""
    from api.cli.remote.declarations import Submitted
    from ledger.canonical import loads_exact
    from ledger.errors import InvalidInputError

    _need(args, "declare submit", wallet=args.wallet, org=args.org)
    with connect(args, organization=args.org, wallet=args.wallet) as connection:
        api = DeclarationsApi(connection)
        results = []
        for path in args.files:
            try:
                envelope = loads_exact(path.read_bytes())
            except InvalidInputError as exc:  # a file that is not JSON is rejected here, like any refused envelope
                results.append(Submitted(None, None, "rejected", False, str(exc), ()))
                continue
            results.append(api.submit(envelope))
    return present_submissions(args.files, results, as_json=args.json)


def show(args: argparse.Namespace) -> int:
    """Print a declaration's payload, read as organization --as."""
    _need(args, "declare show", wallet=args.wallet, **{"as": args.reader})
    with connect(args, organization=args.reader, wallet=args.wallet) as connection:
        facts = DeclarationsApi(connection).get(args.key)
    if "payload" not in facts or facts["payload"] is None:
        raise RemoteNotAllowedError(
            f"the server shows {args.reader!r} only the public facts of {args.key} (status {facts.get('status')}); "
            "its declarant must grant read access first (`tanji declare grant KEY --to ORG`)",
            status=403,
        )
    print(json.dumps(facts["payload"], indent=2, ensure_ascii=False))
    return 0


def grant(args: argparse.Namespace) -> int:
    """Let another organization read a declaration (signed in as the declarant --by)."""
    _need(args, "declare grant", wallet=args.wallet, by=args.by)
    with connect(args, organization=args.by, wallet=args.wallet) as connection:
        answer = DeclarationsApi(connection).grant(args.key, args.to)
    print(f"{answer.get('recipient', args.to)} may now read {answer.get('declarationId', args.key)}")
    return 0


def _anchor_of(facts: dict[str, Any], key: str) -> tuple[bytes, bytes, str, list[bytes]]:
    """(root, digest, declarant, proof) from a declaration's public facts, as revokeDeclaration and
    supersedeDeclaration take them (no read access needed: a regulator can act on any declaration)."""
    from api.cli.remote.errors import RemoteConflictError

    anchor = facts.get("anchor")
    if not anchor or anchor.get("block") is None:
        raise RemoteConflictError(
            f"declaration {key} is not anchored yet (status {facts.get('status')}); wait for its batch to be anchored",
            status=409,
        )
    return (
        bytes.fromhex(anchor["root"][2:]),
        bytes.fromhex(facts["digest"][2:]),
        str(facts["declarant"]),
        [bytes.fromhex(item[2:]) for item in anchor["proof"]],
    )


def revoke(args: argparse.Namespace) -> int:
    """revokeDeclaration, built and signed here, relayed by the server."""
    from ledger.codes import Reason

    _need(args, "declare revoke", wallet=args.wallet, org=args.org)
    reason = Reason.from_name(args.reason)
    account = load_wallet_of(args)
    with connect(args, organization=args.org, wallet=args.wallet) as connection:
        facts = DeclarationsApi(connection).get(args.key)
        root, digest, declarant, proof = _anchor_of(facts, args.key)
        mined = TransactionsApi(connection).send(
            account, "TanjiLedger", "revokeDeclaration", [root, digest, declarant, proof, int(reason)]
        )
    print(
        f"revoked {facts.get('id', args.key)} (reason {int(reason)}) in block {mined.block_number}, "
        f"signed by {account.address} (tx {mined.tx_hash})"
    )
    return 0


def supersede(args: argparse.Namespace) -> int:
    """supersedeDeclaration, built and signed here, relayed by the server."""
    _need(args, "declare supersede", wallet=args.wallet, org=args.org)
    account = load_wallet_of(args)
    with connect(args, organization=args.org, wallet=args.wallet) as connection:
        declarations = DeclarationsApi(connection)
        facts = declarations.get(args.key)
        successor = declarations.get(args.by)
        root, digest, declarant, proof = _anchor_of(facts, args.key)
        _anchor_of(successor, args.by)  # the successor must be anchored too
        mined = TransactionsApi(connection).send(
            account,
            "TanjiLedger",
            "supersedeDeclaration",
            [root, digest, declarant, proof, bytes.fromhex(successor["digest"][2:])],
        )
    print(
        f"superseded {facts.get('id', args.key)} by {successor.get('id', args.by)} in block "
        f"{mined.block_number}, signed by {account.address} (tx {mined.tx_hash})"
    )
    return 0


def export_proof(args: argparse.Namespace) -> int:
    """Write the server's proof bundle of a declaration."""
    reveal = [name.strip() for name in args.disclose.split(",")] if args.disclose else None
    with connect(args, organization=args.org, wallet=args.wallet) as connection:
        bundle = DeclarationsApi(connection).proof(args.key, reveal)
    args.output.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    kind = f"disclosing {', '.join(reveal)}" if reveal else "with the full payload"
    print(f"wrote {args.output}: proof bundle of {bundle.get('declarationId', args.key)} {kind}")
    return 0


def verification(args: argparse.Namespace) -> Any:
    """The verification report of a stored declaration: checked here against --rpc-url and the trust anchors
    (--trust) from the server's proof bundle (no trust in the server), or the server's own report without --rpc-url."""
    from ledger.service.verify import Check, VerificationReport

    with connect(args, organization=args.org, wallet=args.wallet) as connection:
        if args.rpc_url:
            bundle = DeclarationsApi(connection).proof(args.target)
        else:
            data = DeclarationsApi(connection).verification(args.target)
    if args.rpc_url:  # against the deployment the verifier trusts (--trust, or its workspace), never the bundle's
        from api.compose import verifier_chain
        from ledger.service.bundle import verify_bundle

        with verifier_chain(settings_of(args), rpc_url=args.rpc_url, trust=args.trust) as (chain, anchors):
            return verify_bundle(bundle, chain, anchors, as_of=args.as_of)
    return VerificationReport(
        declaration_id=data.get("declarationId"),
        digest=data.get("digest"),
        checks=[Check(str(c["name"]), c.get("ok"), str(c.get("detail", ""))) for c in data.get("checks") or []],
        info={**(data.get("info") or {}), "reportedBy": connection.base_url},
    )


def signing_domain(args: argparse.Namespace) -> tuple[int, str]:
    """(chain id, ledger address) the server's declarations are signed for (its public health route)."""
    with connect(args, organization=None, wallet=None) as connection:
        health = connection.get("/v1/health", signed_in=False)
    return int(health["chainId"]), str(health["contracts"]["ledger"])
