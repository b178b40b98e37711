"""Long operations show progress on a terminal and stay quiet when output is not a terminal."""

from __future__ import annotations

import io

import pytest

from api.cli import progress as progress_module


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    captured = io.StringIO()
    monkeypatch.setattr(progress_module.sys, "stderr", captured)
    with progress_module.progress(3, "submitting", "declaration") as advance:
        advance(2)
        advance(1)
    assert captured.getvalue() == ""


def test_progress_draws_a_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(progress_module.sys, "stderr", terminal)
    with progress_module.progress(4, "submitting", "declaration") as advance:
        advance(4)
    drawn = terminal.getvalue()
    assert "submitting" in drawn and "/4 " in drawn and "declaration" in drawn
