"""The CLI's client mode end to end: `tanji --server URL ...` against a server on loopback (uvicorn in a thread over
a private copy of the prepared workspace). The supplier's key signs here and never travels; the server relays the
transactions the wallet signed. /v1 routes that are not merged yet are served by tests/http/v1_stub.py."""

from __future__ import annotations

import importlib.util
import json
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import uvicorn
from eth_account import Account
from factories import make_payload

from api.cli.main import main
from api.http.app import create_app
from api.http.runtime import Runtime
from api.settings import get_settings
from chain_tools.nodes import free_port

PASSWORD = "correct horse battery"


def _v1_stub() -> ModuleType:
    """tests/http/v1_stub.py (beside this file; tests/http is not a package on the path)."""
    spec = importlib.util.spec_from_file_location("v1_stub", Path(__file__).with_name("v1_stub.py"))
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault("v1_stub", importlib.util.module_from_spec(spec))
    if not hasattr(module, "with_v1_stubs"):
        spec.loader.exec_module(module)
    return module


class BodyRecorder:
    """ASGI wrapper keeping every request body the server received."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.bodies: list[tuple[str, bytes]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def recording() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                self.bodies.append((scope["path"], message.get("body", b"")))
            return message

        await self.app(scope, recording, send)


@dataclass
class Served:
    url: str
    runtime: Runtime
    recorder: BodyRecorder
    home: Path

    def cli(self, *argv: str) -> int:
        return main([*argv, "--home", str(self.home), "--server", self.url])

    def anchor(self) -> None:
        report = self.runtime.anchoring.run_once(flush=True)
        assert report.anchored_declarations >= 1, report


@contextmanager
def serve(app: Any, port: int) -> Iterator[None]:
    """Run `app` with uvicorn on 127.0.0.1:`port` in a thread until the generator is closed."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(30)


def write_wallet(home: Path, name: str, account: Any) -> None:
    """Put `account` into the client's wallets/ as a keystore (what `tanji wallet new` writes)."""
    path = home / "wallets" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(Account.encrypt(account.key, PASSWORD)), encoding="utf-8")


@pytest.fixture
def served(
    fresh_api_runtime: Callable[..., Any], http_members: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Served]:
    """A server on loopback and a supplier machine (its own home: wallets only, no workspace)."""
    monkeypatch.setenv("TANJI_WALLET_PASSWORD", PASSWORD)
    monkeypatch.delenv("TANJI_SERVER", raising=False)
    get_settings.cache_clear()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    home = tmp_path / "supplier"
    write_wallet(home, "acme-key", http_members.acme)
    write_wallet(home, "leader-key", http_members.leader)
    with fresh_api_runtime(public_url=url) as runtime:
        recorder = BodyRecorder(_v1_stub().with_v1_stubs(create_app(runtime.settings, runtime=runtime)))
        with serve(recorder, port):
            yield Served(url, runtime, recorder, home)
    get_settings.cache_clear()


def sign_and_submit(served: Served, tmp_path: Path, address: str, name: str, **fields: Any) -> str:
    """Sign a new declaration with acme's wallet (domain from the server) and submit it; its id."""
    payload = make_payload(address, org="acme", **fields)
    source, signed = tmp_path / f"{name}.json", tmp_path / f"{name}.signed.json"
    source.write_text(json.dumps(payload), encoding="utf-8")
    assert served.cli("declare", "sign", str(source), "--wallet", "acme-key", "-o", str(signed)) == 0
    assert served.cli("declare", "submit", str(signed), "--wallet", "acme-key", "--org", "acme") == 0
    return str(payload["id"])


def test_supplier_signs_submits_grants_reads_and_verifies_over_http(
    served: Served, http_members: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    declaration_id = sign_and_submit(served, tmp_path, http_members.acme.address, "first")
    cache = served.home / "wallets" / "sessions" / "acme-key.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    [entry] = json.loads(cache.read_text()).values()
    assert entry["organization"] == "acme" and entry["expires_at"] > time.time() + 60
    served.anchor()
    capsys.readouterr()

    assert served.cli("declare", "show", declaration_id, "--as", "acme", "--wallet", "acme-key") == 0
    assert json.loads(capsys.readouterr().out)["id"] == declaration_id
    assert served.cli("declare", "show", declaration_id, "--as", "leader", "--wallet", "leader-key") == 5
    assert "grant read access" in capsys.readouterr().err
    assert served.cli("declare", "grant", declaration_id, "--to", "leader", "--by", "acme", "--wallet", "acme-key") == 0
    assert served.cli("declare", "show", declaration_id, "--as", "leader", "--wallet", "leader-key") == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["id"] == declaration_id

    bundle_path = tmp_path / "bundle.json"
    assert (
        served.cli("proof", "export", declaration_id, "-o", str(bundle_path), "--wallet", "acme-key", "--org", "acme")
        == 0
    )
    bundle = json.loads(bundle_path.read_text())
    assert bundle["type"] == "tanji.proof-bundle/1" and bundle["declarationId"] == declaration_id
    disclosed_path = tmp_path / "disclosed.json"
    sign_in = ("--wallet", "acme-key", "--org", "acme")
    assert (
        served.cli(
            "proof",
            "export",
            declaration_id,
            "-o",
            str(disclosed_path),
            "--disclose",
            "productIds,pcfExcludingBiogenicUptake",
            *sign_in,
        )
        == 0
    )
    disclosed = json.loads(disclosed_path.read_text())
    assert "envelope" not in disclosed and len(disclosed["disclosure"]["revealed"]) == 2
    capsys.readouterr()
    assert served.cli("verify", declaration_id, "--json", "--wallet", "acme-key", "--org", "acme") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] and report["info"]["reportedBy"] == served.url

    key_hex = http_members.acme.key.hex()
    assert served.recorder.bodies and all(
        key_hex not in body.decode(errors="replace") for _, body in served.recorder.bodies
    )


def test_revoke_and_supersede_are_signed_by_the_wallet_and_relayed(
    served: Served, http_members: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    acme = http_members.acme.address
    old = sign_and_submit(served, tmp_path, acme, "old", product="urn:tanji:acme:remote-supersede")
    new = sign_and_submit(served, tmp_path, acme, "new", product="urn:tanji:acme:remote-supersede", pcf="1.5")
    served.anchor()
    sign_in = ("--wallet", "acme-key", "--org", "acme")

    assert served.cli("declare", "supersede", old, "--by", new, *sign_in) == 0
    assert served.cli("declare", "revoke", new, "--reason", "withdrawn", *sign_in) == 0
    assert "signed by " + acme in capsys.readouterr().out
    relayed = [body for path, body in served.recorder.bodies if path == "/v1/transactions"]
    assert len(relayed) == 2
    for body in relayed:
        raw = json.loads(body)["rawTransaction"]
        assert Account.recover_transaction(raw) == acme  # signed here, by the supplier's own key

    assert served.cli("verify", old, "--json", *sign_in) == 1
    assert "superseded" in capsys.readouterr().out.lower()
    assert served.cli("verify", new, "--json", *sign_in) == 1
    assert "revoked" in capsys.readouterr().out.lower()


def test_a_refused_session_signs_in_again_and_the_cache_is_replaced(
    served: Served, http_members: Any, tmp_path: Path
) -> None:
    declaration_id = sign_and_submit(served, tmp_path, http_members.acme.address, "first")
    cache = served.home / "wallets" / "sessions" / "acme-key.json"
    entries = json.loads(cache.read_text())
    [key] = entries
    entries[key]["token"] = "tt_" + "x" * 43  # the server does not know it (revoked, or from another server)
    cache.write_text(json.dumps(entries))

    assert served.cli("declare", "show", declaration_id, "--as", "acme", "--wallet", "acme-key") == 0
    assert json.loads(cache.read_text())[key]["token"] != "tt_" + "x" * 43
    sign_ins = [path for path, _ in served.recorder.bodies if path == "/auth/siwe"]
    assert len(sign_ins) == 2


def test_client_mode_names_what_is_missing_or_wrong(
    served: Served, http_members: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    declaration_id = sign_and_submit(served, tmp_path, http_members.acme.address, "first")
    tampered = json.loads((tmp_path / "first.signed.json").read_text())
    tampered["payload"]["pcf"]["pcfExcludingBiogenicUptake"] = "0.01"
    (tmp_path / "tampered.json").write_text(json.dumps(tampered))
    (tmp_path / "garbage.json").write_text("{not json")
    capsys.readouterr()
    files = [str(tmp_path / "tampered.json"), str(tmp_path / "garbage.json")]
    assert served.cli("declare", "submit", *files, "--json", "--wallet", "acme-key", "--org", "acme") == 1
    rows = json.loads(capsys.readouterr().out)
    assert [row["status"] for row in rows] == ["rejected", "rejected"] and all(row["error"] for row in rows)
    with served.runtime.sessions() as session:
        from ledger.storage import repository

        assert repository.status_counts(session=session) == {"pending": 1}  # nothing of the rejected files stored
    assert served.cli("declare", "submit", str(tmp_path / "first.signed.json")) == 2
    assert "--wallet and --org" in capsys.readouterr().err
    assert (
        served.cli(
            "declare", "show", "urn:uuid:00000000-0000-4000-8000-000000000000", "--as", "acme", "--wallet", "acme-key"
        )
        == 3
    )
    assert "404" in capsys.readouterr().err
    assert (
        served.cli(
            "declare", "revoke", declaration_id, "--reason", "withdrawn", "--wallet", "acme-key", "--org", "acme"
        )
        == 4
    )  # not anchored yet
    capsys.readouterr()
    nobody = f"http://127.0.0.1:{free_port()}"
    assert (
        main(
            [
                "declare",
                "show",
                declaration_id,
                "--as",
                "acme",
                "--wallet",
                "acme-key",
                "--home",
                str(served.home),
                "--server",
                nobody,
            ]
        )
        == 6
    )
    assert "cannot reach the Tanji server" in capsys.readouterr().err


def test_the_wallet_refuses_to_sign_in_for_another_domain(
    served: Served, http_members: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    other_name = served.url.replace("127.0.0.1", "localhost")  # same server, but not the domain it signs in for
    argv = ["declare", "show", "x", "--as", "acme", "--wallet", "acme-key", "--home", str(served.home)]
    assert main([*argv, "--server", other_name]) == 5
    assert "refusing to sign a message for another site" in capsys.readouterr().err
    assert not [path for path, _ in served.recorder.bodies if path == "/auth/siwe"]


def test_tanji_server_variable_selects_client_mode(
    served: Served, http_members: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANJI_SERVER", served.url)
    get_settings.cache_clear()
    payload = make_payload(http_members.acme.address, org="acme")
    source, signed = tmp_path / "env.json", tmp_path / "env.signed.json"
    source.write_text(json.dumps(payload), encoding="utf-8")
    home = ("--home", str(served.home))
    assert main(["declare", "sign", str(source), "--wallet", "acme-key", "-o", str(signed), *home]) == 0
    assert main(["declare", "submit", str(signed), "--wallet", "acme-key", "--org", "acme", *home]) == 0
    with served.runtime.sessions() as session:
        from ledger.storage import repository

        assert repository.get_declaration(session=session, key=str(payload["id"])) is not None


def test_claim_check_in_client_mode_asks_the_server(
    served: Served, http_members: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_and_submit(served, tmp_path, http_members.acme.address, "claimed")
    served.anchor()
    claim = tmp_path / "claim.json"
    claim.write_text(
        json.dumps(
            {
                "subject": {"productId": "urn:tanji:acme:hot-rolled-coil"},
                "metric": "primary_data_share",
                "comparison": ">=",
                "threshold": "50",
                "asOf": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400)),
            }
        ),
        encoding="utf-8",
    )
    evidence = tmp_path / "evidence.json"
    capsys.readouterr()
    argv = ("claim", "check", str(claim), "--as", "acme", "--evidence", str(evidence))
    assert served.cli(*argv, "--wallet", "acme-key") == 0
    assert capsys.readouterr().out.startswith("claim HOLDS")
    assert json.loads(evidence.read_text())["type"] == "tanji.proof-bundle/1"
    assert served.cli(*argv) == 2
    assert "--wallet" in capsys.readouterr().err


def test_footprint_requests_over_http_from_request_to_fulfilment_and_coverage(
    served: Served, http_members: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    product = "urn:tanji:acme:remote-frame"
    leader, acme = ("--wallet", "leader-key"), ("--wallet", "acme-key")
    capsys.readouterr()
    assert served.cli("request", "create", "--by", "leader", "--to", "acme", "--product", product, "--deadline",
                      "2099-01-01T00:00:00Z", "--json", *leader) == 0  # fmt: skip
    [made] = json.loads(capsys.readouterr().out)
    assert (made["tier"], made["status"], made["product_id"]) == (1, "open", product)
    assert served.cli("request", "list", "--as", "acme", "--json", *acme) == 0
    assert made["id"] in {item["id"] for item in json.loads(capsys.readouterr().out)}
    declaration = sign_and_submit(served, tmp_path, http_members.acme.address, "frame", product=product)
    served.anchor()
    assert served.cli("request", "fulfil", made["id"], "--by", "leader", "--declaration", declaration, *leader) == 5
    assert "only it may fulfil" in capsys.readouterr().err
    assert served.cli("request", "fulfil", made["id"], "--by", "acme", "--declaration", declaration, *acme) == 0
    assert served.cli("declare", "show", declaration, "--as", "leader", *leader) == 0
    capsys.readouterr()
    assert served.cli("request", "coverage", "--as", "leader", "--json", *leader) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["by_tier"]["1"]["fulfilled"] >= 1 and found["by_product"][product]["fulfilled"] == 1
    assert served.cli("request", "list", "--as", "leader", "--outbox", "--at", "2030-01-01T00:00:00Z", *leader) == 2
    assert "local only" in capsys.readouterr().err
