"""One errors module per package, and its docstring draws the whole tree."""

from __future__ import annotations

import inspect
import re
from types import ModuleType

import pytest

import chain_tools.errors
import ledger.errors


@pytest.mark.parametrize("module", [ledger.errors, chain_tools.errors], ids=lambda m: m.__name__)
def test_the_docstring_tree_names_every_error_class(module: ModuleType) -> None:
    classes = {
        name
        for name, obj in vars(module).items()
        if inspect.isclass(obj) and issubclass(obj, Exception) and obj.__module__ == module.__name__
    }
    drawn = set(re.findall(r"(?:├──|└──|^)\s*(\w+(?:Error|Reverted|Failed))", module.__doc__ or "", re.MULTILINE))
    assert classes <= drawn, f"not in the docstring tree: {sorted(classes - drawn)}"


@pytest.mark.parametrize("package", ["ledger", "chain_tools", "api"])
def test_error_classes_are_defined_only_in_the_errors_module(package: str) -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / package
    stray = [
        f"{path.relative_to(root.parent)}: {match}"
        for path in root.rglob("*.py")
        if path.name != "errors.py"
        for match in re.findall(r"^class (\w+)\(.*(?:Error|Exception)\b.*\):", path.read_text(encoding="utf-8"), re.M)
    ]
    assert not stray, stray
