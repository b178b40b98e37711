"""`tanji demo`: an EV battery-pack supply chain on the embedded defaults, then the server.

Seeds (once per home) sixteen organizations with their own wallets, the chain's declarations signed by their
owners with numbers from the roll-up engine, a revoked and superseded version, attestations, labels and API
clients (api.demo); prints a summary read back from the ledger; then serves http://127.0.0.1:8000 with a short
walkthrough, unless `--no-serve`. `--verify-only` re-verifies the seeded declarations in a fresh process.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from api.cli.common import settings_of


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the demo command."""
    demo = commands.add_parser(
        "demo", parents=[parent], help="seed an EV battery supply chain on the embedded defaults and serve it"
    )
    demo.add_argument("--no-serve", action="store_true", help="seed and print the summary only")
    demo.add_argument("--verify-only", action="store_true", help="re-verify the seeded declarations and exit")
    demo.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    """Seed (unless seeded), summarize, then serve (unless --no-serve / --verify-only)."""
    from api.compose import workspace
    from api.demo.run import seed, state_path
    from api.demo.summary import label_statuses, pack_rollup, summary_text, verify_all
    from chain_tools.workspace import initialise
    from ledger.errors import NotFoundError

    settings = settings_of(args)
    path = state_path(settings)
    if path.exists():
        state = json.loads(path.read_text(encoding="utf-8"))
        print(f"demo already seeded in {settings.home} ({path}); remove the home to seed again")
        if not (args.no_serve or args.verify_only):
            return _serve(settings, state, args.host, args.port)
    elif args.verify_only:
        raise NotFoundError(f"no demo in {settings.home}: run `tanji --home {settings.home} demo --no-serve` first")
    else:
        if not workspace(settings).config_path.exists():
            config = initialise(settings.home, operator_password=settings.operator_secret())
            deployment = config.deployment
            print(f"workspace {settings.home}: embedded chain {deployment.chain_id}, ledger {deployment.ledger}")
        state = seed(settings)
        print(f"seeded in {state['seconds']} s")
    problems = verify_all(settings, state)
    if args.verify_only:
        total = len(state["declarations"])
        print(f"{total - len(problems)} of {total} declarations verify as expected")
        for problem in problems:
            print(f"UNEXPECTED {problem}")
        return 1 if problems else 0
    print(summary_text(state, pack_rollup(settings, state), label_statuses(settings, state), problems))
    if args.no_serve or problems:
        return 1 if problems else 0
    return _serve(settings, state, args.host, args.port)


def served_settings(settings: Any, host: str, port: int) -> Any:
    """`settings` with the public URL of the address served (label QR codes and wallet sign-in name it), unless
    TANJI_PUBLIC_URL set one."""
    if "public_url" in settings.model_fields_set:
        return settings
    return settings.model_copy(update={"public_url": f"http://{host}:{port}"})


def _serve(settings: Any, state: dict[str, Any], host: str, port: int) -> int:
    """Run `tanji serve`'s server on the seeded home until interrupted, after printing the walkthrough."""
    import uvicorn

    from api.cli.serve_cmds import server_config
    from api.demo.walkthrough import walkthrough

    settings = served_settings(settings, host, port)
    config = server_config(settings, host=host, port=port, workers=1, tls_cert=None, tls_key=None)
    print(walkthrough(state, f"http://{host}:{port}", config.app), flush=True)
    uvicorn.Server(config).run()
    return 0
