"""`tanji serve` (HTTPS only with a certificate, refusing unsafe worker counts) and `tanji client`."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from api.cli.main import main
from api.cli.serve_cmds import server_config


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tanji test")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def tls_server(prepared_workspace: tuple[Path, Any], tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """`tanji serve --tls-cert --tls-key` on a loopback port (in a thread), over a copy of the prepared workspace."""
    import shutil

    from api.settings import Settings

    home = tmp_path / "home"
    shutil.copytree(prepared_workspace[0], home)
    cert, key = self_signed(tmp_path)
    port = free_port()
    settings = Settings(home=home, anchor_loop=False, public_url=f"https://127.0.0.1:{port}")
    config = server_config(settings, host="127.0.0.1", port=port, workers=1, tls_cert=cert, tls_key=key)
    config.log_level = "warning"
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(300):
        if server.started:
            break
        thread.join(0.05)
    assert server.started, "the server did not start"
    try:
        yield port, cert
    finally:
        server.should_exit = True
        thread.join(30)


def test_with_a_certificate_the_server_speaks_https(tls_server: tuple[int, Path]) -> None:
    port, cert = tls_server
    context = ssl.create_default_context(cafile=str(cert))
    with httpx.Client(verify=context) as client:
        response = client.get(f"https://127.0.0.1:{port}/v1/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_plain_http_to_the_tls_port_is_refused_not_redirected(tls_server: tuple[int, Path]) -> None:
    port, _ = tls_server
    for method, path in (("GET", "/v1/health"), ("POST", "/auth/token")):
        with pytest.raises(httpx.TransportError):
            httpx.request(method, f"http://127.0.0.1:{port}{path}", data={"grant_type": "client_credentials"})


def test_several_workers_on_the_embedded_chain_and_sqlite_are_refused_naming_the_remedy(
    prepared_workspace: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--home", str(prepared_workspace[0]), "serve", "--workers", "2"])
    err = capsys.readouterr().err
    assert code == 2
    assert "PostgreSQL" in err and "tanji init --rpc-url" in err and "--workers 1" in err


def test_a_certificate_without_its_key_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cert, _ = self_signed(tmp_path)
    assert main(["--home", str(tmp_path), "serve", "--tls-cert", str(cert)]) == 2
    assert "--tls-key" in capsys.readouterr().err


def test_the_operator_manages_api_clients_from_the_cli(
    prepared_workspace: tuple[Path, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    home = tmp_path / "home"
    shutil.copytree(prepared_workspace[0], home)
    assert main(["--home", str(home), "client", "create", "acme", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["organization"] == "acme" and len(created["clientSecret"]) >= 40
    assert main(["--home", str(home), "client", "rotate", created["clientId"], "--json"]) == 0
    rotated = json.loads(capsys.readouterr().out)
    assert rotated["clientId"] == created["clientId"] and rotated["clientSecret"] != created["clientSecret"]
    assert main(["--home", str(home), "client", "revoke", created["clientId"]]) == 0
    capsys.readouterr()
    assert main(["--home", str(home), "client", "list", "--json"]) == 0
    listing = capsys.readouterr().out
    assert json.loads(listing)[0]["revoked"] is True
    assert created["clientSecret"] not in listing and rotated["clientSecret"] not in listing
    assert main(["--home", str(home), "client", "rotate", "tc_unknown"]) == 3
    assert main(["--home", str(home), "client", "create", "nobody"]) == 3
    assert "not registered" in capsys.readouterr().err
