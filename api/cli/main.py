"""Entry point of the `tanji` console script: argument parsing, dispatch and error reporting."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

SERVER_HELP = (
    "client mode: the Tanji server URL (default: $TANJI_SERVER); declaration commands then sign here and talk to it"
)


def _home_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--home", type=Path, default=argparse.SUPPRESS, help="workspace directory (default: $TANJI_HOME or ~/.tanji)"
    )
    parent.add_argument("--server", default=argparse.SUPPRESS, help=SERVER_HELP)
    return parent


def build_parser() -> argparse.ArgumentParser:
    """Return the full `tanji` argument parser."""
    from api.cli import (
        bench_cmds,
        chain_cmds,
        claim_cmds,
        declare_cmds,
        demo_cmds,
        export_cmds,
        factor_cmds,
        flag_cmds,
        label_cmds,
        pact_cmds,
        request_cmds,
        rollup_cmds,
        serve_cmds,
        verify_cmds,
        wallet_cmds,
    )

    parser = argparse.ArgumentParser(
        prog="tanji",
        description="Tanji (碳迹): traceable product carbon footprints anchored on a permissioned EVM chain.",
    )
    parser.add_argument(
        "--home", type=Path, default=None, help="workspace directory (default: $TANJI_HOME or ~/.tanji)"
    )
    parser.add_argument("--server", default=None, help=SERVER_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    parent = _home_parent()
    chain_cmds.register(commands, parent)
    wallet_cmds.register(commands, parent)
    declare_cmds.register(commands, parent)
    verify_cmds.register(commands, parent)
    rollup_cmds.register(commands, parent)
    export_cmds.register(commands, parent)
    label_cmds.register(commands, parent)
    request_cmds.register(commands, parent)
    factor_cmds.register(commands, parent)
    claim_cmds.register(commands, parent)
    flag_cmds.register(commands, parent)
    bench_cmds.register(commands, parent)
    demo_cmds.register(commands, parent)
    serve_cmds.register(commands, parent)
    pact_cmds.register(commands, parent)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `tanji`; return the process exit code (see api.errors: 0 ok, 1 a check said no, 2 usage, 3-7 errors)."""
    settings_module = sys.modules.get("api.settings")  # not imported for --help: pydantic is slow to import
    if settings_module is not None:  # each run reads the environment afresh (main() may run many times in a process)
        settings_module.get_settings.cache_clear()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # every error prints one clear line, never a trace (TANJI_DEBUG=1 shows it)
        return _report(exc)


def _report(exc: Exception) -> int:
    """Print one line for `exc` and return its exit code from the error table."""
    from pydantic import ValidationError

    from api.cli.common import known_error
    from api.errors import EXIT_USAGE, response_for
    from api.settings import get_settings

    if isinstance(exc, ValidationError):  # a TANJI_* variable is malformed: settings are read before anything else
        problems = "; ".join(f"TANJI_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        print(f"error: invalid setting: {problems}", file=sys.stderr)
        return EXIT_USAGE
    if get_settings().debug:
        raise exc
    shown = known_error(exc)  # a missing file or a damaged database is told as such, not as a bug
    response = response_for(shown)
    if response.kind == "unexpected":
        print(
            f"error: unexpected {type(shown).__name__}: {shown} (a Tanji bug: please report it with the output "
            "of the same command run with TANJI_DEBUG=1)",
            file=sys.stderr,
        )
    else:
        print(f"error: {shown}", file=sys.stderr)
    return response.exit_code


def run() -> None:
    """Console-script wrapper."""
    sys.exit(main())


if __name__ == "__main__":
    run()
