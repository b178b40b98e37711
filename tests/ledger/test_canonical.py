"""Canonical bytes: the fast path equals the rfc8785 library; inexact numbers are refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ledger.canonical import (
    _check,
    _plain,
    canonical_bytes,
    canonical_bytes_reference,
    canonical_pair,
    canonical_pairs,
    loads_exact,
)
from ledger.errors import DeclarationError, MalformedJsonError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(json_values)
@example({"é": 1, "z": 2, "a": '\u2028\x00\x1f"\\'})
@example({"\U0001f600": 1, "\uffff": 2})
def test_fast_path_equals_rfc8785(value: Any) -> None:
    assert canonical_bytes(value) == canonical_bytes_reference(value)


@pytest.mark.parametrize(
    ("value", "where"), [({"a": 1.5}, "/a"), ({"b": [Decimal("0.1")]}, "/b/0"), ({"c": 2**60}, "/c")]
)
def test_inexact_numbers_are_refused_with_their_path(value: Any, where: str) -> None:
    with pytest.raises(DeclarationError, match=where):
        canonical_bytes(value)


def test_loads_exact_keeps_decimals_and_reports_bad_json() -> None:
    assert loads_exact('{"x": 0.1}') == {"x": Decimal("0.1")}
    with pytest.raises(MalformedJsonError, match="line 1"):
        loads_exact("{nope")


@given(st.text(), json_values)
@example("/pcf/x", "line\nbreak \u2028 \x7f é")
def test_canonical_pair_equals_rfc8785(key: str, value: Any) -> None:
    assert canonical_pair(key, value) == canonical_bytes_reference([key, value])


@given(st.dictionaries(st.text(max_size=12), json_values, max_size=6))
@example({"/pcf/é": {"b": 1, "a": [None, "x"]}, "/id": "urn:x"})
@example({"/pcf/dqi": {"é": 1}, "/extensions/0": {"z": {"a": 1}}})
def test_canonical_pairs_of_a_whole_payload_equal_rfc8785_field_by_field(fields: dict[str, Any]) -> None:
    expected = [canonical_bytes_reference([key, value]) for key, value in fields.items()]
    assert canonical_pairs(fields) == expected


def test_canonical_pairs_refuse_an_inexact_number_with_its_field() -> None:
    with pytest.raises(DeclarationError, match="/1/x"):
        canonical_pairs({"/id": "a", "/pcf/amount": {"x": 1.5}})


exotic_leaves = (
    st.floats(allow_nan=False)
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.integers().filter(lambda n: abs(n) >= 2**53)
    | st.tuples(st.integers(min_value=0, max_value=9))
)
mixed_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1) | st.text() | exotic_leaves,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.integers(min_value=0, max_value=3), children, max_size=4)
    ),
    max_leaves=20,
)


@given(mixed_values)
@example({"é": [1, {"a": None}]})
@example({"a": [True, 2**53 - 1, -(2**53) + 1]})
@example({1: "non-string key"})
@example([2**53])
def test_the_fast_check_answers_what_the_full_check_answers(value: Any) -> None:
    """`_plain` either defers (None) or returns what `_check` returns, and it never accepts what `_check` refuses."""
    fast = _plain(value)
    try:
        full: bool | None = _check(value, "")
    except DeclarationError:
        full = None
    assert fast is None or fast == full
    if full is not None and type(value) in (dict, list, str, int, bool, type(None)):
        assert canonical_bytes(value) == canonical_bytes_reference(value)
