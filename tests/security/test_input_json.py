"""Attacks on the JSON reader: duplicate keys that two readers resolve differently, nesting that kills the parser.

Every document Tanji reads from outside goes through `ledger.safe_json`: envelopes, bundles, factor files, PACT v2
input, the workspace config and keystores.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from eth_account import Account
from factories import make_payload

from api.cli.main import main
from chain_tools.errors import WorkspaceDamagedError
from chain_tools.workspace import Workspace
from ledger.declarations.envelope import open_envelope, sign_declaration
from ledger.errors import DuplicateJsonKeyError, JsonTooDeepError, MalformedJsonError
from ledger.graph.factors import load_factor_database
from ledger.safe_json import MAX_DEPTH, check_nesting, loads, nesting_depth
from ledger.signing import SigningDomain
from ledger.wallets import list_wallets

DOMAIN = SigningDomain(31337, "0x" + "11" * 20)


def signed_envelope_text() -> str:
    account = Account.create()
    envelope = sign_declaration(
        make_payload(account.address), domain=DOMAIN, private_key=account.key, declarant=account.address
    )
    return json.dumps(envelope)


def test_duplicate_key_in_a_signed_envelope_is_refused_with_its_path() -> None:
    text = signed_envelope_text()
    open_envelope(text)  # the genuine envelope opens
    forged = text.replace('"pcf": {', '"pcf": {"pcfExcludingBiogenicUptake": "0.01", ', 1)
    with pytest.raises(DuplicateJsonKeyError, match=r"'pcfExcludingBiogenicUptake' appears twice .* /payload/pcf"):
        open_envelope(forged)


def test_first_wins_reader_would_see_another_value_than_the_signed_one() -> None:
    """Why duplicates are refused: json.loads keeps the last value, a first-wins reader the forged first one."""
    forged = '{"pcf": "0.01", "pcf": "2.08"}'
    assert json.loads(forged)["pcf"] == "2.08"
    assert json.loads(forged, object_pairs_hook=lambda pairs: dict(reversed(pairs)))["pcf"] == "0.01"
    with pytest.raises(DuplicateJsonKeyError, match="'pcf' appears twice in the object at /;"):
        loads(forged)


def test_duplicate_key_deep_in_a_document_is_named_by_json_pointer() -> None:
    document = '{"proof": [{"leaf": "0x1"}, {"a/b": {"root": 1, "root": 2}}]}'
    with pytest.raises(DuplicateJsonKeyError, match=r"'root' appears twice in the object at /proof/1/a~1b"):
        loads(document, source="bundle.json")


def test_duplicate_key_in_a_proof_bundle_file_is_refused_by_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle.json"
    bundle.write_text('{"type": "tanji.proof-bundle/1", "declarationId": "a", "declarationId": "b"}')
    assert main(["verify", str(bundle), "--home", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(bundle) in err and "'declarationId' appears twice" in err


def test_duplicate_key_in_pact_v2_conversion_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    v2 = tmp_path / "v2.json"
    v2.write_text('{"data": {"id": "x", "pcf": {"declaredUnit": "kilogram", "declaredUnit": "liter"}}}')
    assert main(["declare", "convert", str(v2), "-o", str(tmp_path / "v3.json")]) == 2
    assert "'declaredUnit' appears twice in the object at /data/pcf" in capsys.readouterr().err
    assert not (tmp_path / "v3.json").exists()


def test_duplicate_key_in_a_factor_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    factors = tmp_path / "factors.json"
    factors.write_text(
        '{"name": "CLCD", "version": "1", "factors": [{"id": "ef:1", "productId": "urn:x", "unit": "kilogram", '
        '"values": {"fossil": "0.82", "fossil": "0.01"}}]}'
    )
    with pytest.raises(DuplicateJsonKeyError, match=rf"{factors}: key 'fossil' .* /factors/0/values"):
        load_factor_database(factors)


def test_duplicate_key_in_the_workspace_config_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"version": 1, "mode": "embedded", "mode": "rpc"}')
    with pytest.raises(WorkspaceDamagedError, match="'mode' appears twice"):
        Workspace(tmp_path).config()


def test_duplicate_key_in_a_wallet_keystore_is_refused(tmp_path: Path) -> None:
    (tmp_path / "acme.json").write_text('{"address": "11", "address": "22"}')
    with pytest.raises(DuplicateJsonKeyError, match=r"acme\.json: key 'address' appears twice"):
        list_wallets(tmp_path)


def test_deeply_nested_json_is_refused_before_parsing() -> None:
    bomb = b"[" * 100_000 + b"]" * 100_000
    started = time.perf_counter()
    with pytest.raises(JsonTooDeepError, match=r"bomb.json: JSON nested 100000 levels deep, over the limit of 64"):
        loads(bomb, source="bomb.json")
    assert time.perf_counter() - started < 1.0  # a scan of the bytes, not a parse
    with pytest.raises(JsonTooDeepError):
        loads(b'{"a":' * 5_000 + b"1" + b"}" * 5_000)


def test_nesting_up_to_the_limit_is_accepted_and_one_more_level_is_not() -> None:
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(JsonTooDeepError, match=f"{MAX_DEPTH + 1} levels"):
        check_nesting("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    tricky = json.dumps({"note": "[" * 500 + '\\"{' * 100, "items": [[1], {"k": "]]]}}}"}]})
    assert nesting_depth(tricky.encode()) == 3
    assert loads(tricky)["items"][1]["k"] == "]]]}}}"


def test_invalid_json_is_reported_with_line_and_column_not_a_crash() -> None:
    with pytest.raises(MalformedJsonError, match=r"env\.json: not valid JSON: .* line 2 column 1"):
        loads('{"a": 1,\n}', source="env.json")
    with pytest.raises(MalformedJsonError, match="not valid JSON"):
        loads(b"\xff\xfe\x00garbage")
