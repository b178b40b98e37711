"""docs/cli.md is the parser's own description of every command, so the reference cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from api.cli.reference import render

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_committed_cli_reference_matches_the_parser() -> None:
    expected = render()
    assert REFERENCE.read_text(encoding="utf-8") == expected, (
        "docs/cli.md is stale: run `python -m api.cli.reference > docs/cli.md`"
    )


def test_reference_lists_every_leaf_command_with_its_usage() -> None:
    text = render()
    for command in ("tanji verify", "tanji declare sign", "tanji serve", "tanji factors import"):
        assert f"`{command}`" in text
    assert text.count("```\ntanji ") >= 30
