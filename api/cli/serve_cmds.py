"""`tanji serve` (the HTTP API under uvicorn) and `tanji client ...` (the API's OAuth2 clients, for the operator)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli.common import emit, settings_of

if TYPE_CHECKING:
    import uvicorn

    from api.settings import Settings
    from ledger.chain_port import MemberRecord
    from ledger.service.identity import IdentityService, IssuedClient


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add `serve` and `client` to the CLI."""
    serve = commands.add_parser("serve", parents=[parent], help="serve the HTTP API (HTTPS with --tls-cert/--tls-key)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=_positive, default=1, help="processes (more than 1 needs PostgreSQL and RPC)")
    serve.add_argument("--tls-cert", type=Path, help="PEM certificate: serve HTTPS only")
    serve.add_argument("--tls-key", type=Path, help="PEM private key of --tls-cert")
    serve.set_defaults(handler=cmd_serve)

    client = commands.add_parser("client", help="OAuth2 clients of the HTTP API").add_subparsers(
        dest="sub", required=True
    )
    create = client.add_parser("create", parents=[parent], help="a new client of registered organization ORG")
    create.add_argument("org")
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=cmd_client_create)
    rotate = client.add_parser("rotate", parents=[parent], help="a new secret for CLIENT_ID (the old one stops)")
    rotate.add_argument("client_id")
    rotate.add_argument("--json", action="store_true")
    rotate.set_defaults(handler=cmd_client_rotate)
    revoke = client.add_parser("revoke", parents=[parent], help="revoke CLIENT_ID and its tokens")
    revoke.add_argument("client_id")
    revoke.set_defaults(handler=cmd_client_revoke)
    listing = client.add_parser("list", parents=[parent], help="every client (no secrets)")
    listing.add_argument("--org", help="only the clients of this organization")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_client_list)


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"port {value} is above 65535")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def server_config(
    settings: Settings, *, host: str, port: int, workers: int, tls_cert: Path | None, tls_key: Path | None
) -> uvicorn.Config:
    """The uvicorn configuration of `tanji serve`; ServerConfigurationError when it cannot run as asked."""
    import uvicorn

    from api.errors import ServerConfigurationError
    from api.http.app import create_app
    from api.settings import export_to_environment

    if (tls_cert is None) != (tls_key is None):
        raise ServerConfigurationError("give both --tls-cert and --tls-key (HTTPS), or neither (plain HTTP)")
    for path in (tls_cert, tls_key):
        if path is not None and not path.is_file():
            raise ServerConfigurationError(f"TLS file {path} does not exist; pass the PEM certificate and its key")
    tls: dict[str, Any] = {"ssl_certfile": str(tls_cert), "ssl_keyfile": str(tls_key)} if tls_cert else {}
    common: dict[str, Any] = {"host": host, "port": port, "log_level": "info", "proxy_headers": False, **tls}
    if workers == 1:
        return uvicorn.Config(create_app(settings), **common)
    _require_shared_state(settings, workers)
    export_to_environment(settings)
    return uvicorn.Config("api.http.app:create_app_from_environment", factory=True, workers=workers, **common)


def _require_shared_state(settings: Settings, workers: int) -> None:
    """Several processes need a database and a chain they all share: PostgreSQL and a JSON-RPC node."""
    from api.compose import workspace
    from api.errors import ServerConfigurationError

    problems = []
    if not (settings.database_url or "").startswith("postgresql"):
        problems.append("a PostgreSQL database (set TANJI_DATABASE_URL=postgresql://...; SQLite is per process)")
    if workspace(settings).config().mode != "rpc":
        problems.append(
            "a JSON-RPC chain (create the workspace with `tanji init --rpc-url URL`; the embedded chain "
            "belongs to one process)"
        )
    if problems:
        raise ServerConfigurationError(f"--workers {workers} needs {' and '.join(problems)}; or serve with --workers 1")


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the server until interrupted."""
    import uvicorn

    config = server_config(
        settings_of(args),
        host=args.host,
        port=args.port,
        workers=args.workers,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
    )
    uvicorn.Server(config).run()
    return 0


@contextmanager
def _identity(args: argparse.Namespace, *, with_chain: bool) -> Iterator[IdentityService]:
    """An IdentityService over the workspace's store, and over its chain when organizations must be looked up."""
    from api.compose import open_chain, open_store
    from ledger.service.identity import IdentityService, OrganizationDirectory

    settings = settings_of(args)
    sessions = open_store(settings).sessions
    if not with_chain:
        yield IdentityService(sessions, OrganizationDirectory(_NoChain(), ttl=0), token_ttl=settings.token_ttl_seconds)
        return
    with open_chain(settings) as chain:
        yield IdentityService(sessions, OrganizationDirectory(chain, ttl=0), token_ttl=settings.token_ttl_seconds)


class _NoChain:
    """The membership view of commands that never look an organization up (rotate, revoke, list)."""

    def member(self, org: str) -> MemberRecord | None:
        raise AssertionError(f"no chain was opened to look up {org!r}")


def _print_secret(issued: IssuedClient, as_json: bool) -> None:
    data = {"clientId": issued.client_id, "organization": issued.org_handle, "clientSecret": issued.secret}
    text = (
        f"client id:     {issued.client_id}\norganization:  {issued.org_handle}\nclient secret: {issued.secret}\n"
        "(the secret is shown only now: store it; `tanji client rotate` makes a new one)"
    )
    emit(data, as_json=as_json, text=text)


def cmd_client_create(args: argparse.Namespace) -> int:
    """Create a client and print its secret once."""
    with _identity(args, with_chain=True) as identity:
        _print_secret(identity.create_client(args.org), args.json)
    return 0


def cmd_client_rotate(args: argparse.Namespace) -> int:
    """Give a client a new secret and print it once."""
    with _identity(args, with_chain=False) as identity:
        _print_secret(identity.rotate_client(args.client_id), args.json)
    return 0


def cmd_client_revoke(args: argparse.Namespace) -> int:
    """Revoke a client."""
    with _identity(args, with_chain=False) as identity:
        identity.revoke_client(args.client_id)
    print(f"revoked client {args.client_id} and its tokens")
    return 0


def cmd_client_list(args: argparse.Namespace) -> int:
    """List clients."""
    with _identity(args, with_chain=False) as identity:
        clients = identity.clients(args.org)
    rows = [
        {
            "clientId": c.client_id,
            "organization": c.org_handle,
            "created": c.created_at.isoformat(),
            "rotated": c.rotated_at.isoformat() if c.rotated_at else None,
            "revoked": c.revoked,
        }
        for c in clients
    ]
    text = (
        "\n".join(
            f"{r['clientId']}  {r['organization']}  created {r['created']}{'  REVOKED' if r['revoked'] else ''}"
            for r in rows
        )
        or "no API clients; create one with `tanji client create ORG`"
    )
    emit(rows, as_json=args.json, text=text)
    return 0
