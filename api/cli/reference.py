"""The CLI reference (docs/cli.md), generated from the argument parser so it cannot drift from the code.

Run ``python -m api.cli.reference > docs/cli.md``; a test fails when the committed file differs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

HEADER = """# CLI reference

Generated from the argument parser by `python -m api.cli.reference > docs/cli.md` (a test keeps it current).
Every command accepts `--home DIR` (workspace, default `$TANJI_HOME` or `~/.tanji`) and `--server URL` (client
mode, default `$TANJI_SERVER`). Exit codes: 0 ok, 1 a check said no, 2 invalid input, 3 not found, 4 conflict,
5 not allowed, 6 unavailable, 7 broken state, 70 a bug (see `api/errors.py`).
"""

HIDDEN_OPTIONS = frozenset({"-h", "--help", "--home", "--server"})


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _help_of(parser: argparse.ArgumentParser, name: str) -> str:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.dest == name:
                    return choice.help or ""
    return ""


def _argument_line(action: argparse.Action) -> str | None:
    if action.help == argparse.SUPPRESS:
        return None
    if action.option_strings:
        if set(action.option_strings) <= HIDDEN_OPTIONS:
            return None
        names = ", ".join(f"`{option}`" for option in action.option_strings)
        metavar = "" if action.nargs == 0 else f" {action.metavar or action.dest.upper()}"
        names = names if not metavar else names[:-1] + f"{metavar}`"
    elif isinstance(action, argparse._SubParsersAction):
        return None
    else:
        names = f"`{action.metavar or action.dest}`"
    text = (action.help or "").replace("%%", "%")
    return f"- {names}: {text}" if text else f"- {names}"


def _sections(parser: argparse.ArgumentParser, path: list[str], help_text: str) -> Iterator[str]:
    children = _subcommands(parser)
    usage = parser.format_usage().replace("usage: ", "").strip()
    yield f"{'#' * min(len(path) + 1, 4)} `{' '.join(path)}`\n"
    if help_text:
        yield f"{help_text}\n"
    if not children:
        yield f"```\n{' '.join(usage.split())}\n```\n"
        lines = [line for action in parser._actions if (line := _argument_line(action))]
        if lines:
            yield "\n".join(lines) + "\n"
    for name, child in children.items():
        yield from _sections(child, [*path, name], _help_of(parser, name))


def render() -> str:
    """The whole reference as Markdown."""
    from api.cli.main import build_parser

    parser = build_parser()
    body = "\n".join(_sections(parser, ["tanji"], ""))
    return f"{HEADER}\n{body}"


if __name__ == "__main__":
    sys.stdout.write(render())
