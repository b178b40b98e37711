"""The desks of each role, end to end through the pages: Sign-In with Ethereum with a locally signed message, the
supplier's upload and grants, the auditor's provenance tree and attestation, the certifier's label issue and
revocation. Every signature is made by the organization's own wallet (`tanji wallet ...` on its machine); the pages
only prepare and relay."""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_world import COIL, EXAMPLE, PART, WALLET_PASSWORD, Seeded, csrf_of, payload_for

from api.cli.main import main
from api.web.i18n import catalogue
from ledger.declarations.envelope import sign_declaration
from ledger.service.audit_work import totals_check

SignIn = Callable[[TestClient, str], None]
EN = catalogue("en")


@pytest.fixture
def wallet_cli(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., str]:
    """(*args) -> stdout of `tanji --home <seeded> wallet ARGS` (the member's own machine, its wallets)."""
    monkeypatch.setenv("TANJI_WALLET_PASSWORD", WALLET_PASSWORD)

    def run(*args: str) -> str:
        capsys.readouterr()
        code = main(["wallet", *args, "--home", str(seeded.home)])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        return captured.out.strip()

    return run


def textarea(page: str, element_id: str) -> str:
    found = re.search(rf'<textarea id="{element_id}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, f"no textarea #{element_id}"
    return html.unescape(found.group(1))


def sign_prepared(page: str, wallet_cli: Callable[..., str], wallet: str, tmp_path: Path) -> str:
    """The prepared transaction of `page`, signed by `wallet` on the member's machine."""
    prepared = tmp_path / f"prepared-{uuid.uuid4().hex}.json"
    prepared.write_text(textarea(page, "prepared-tx"), encoding="utf-8")
    return wallet_cli("sign-transaction", wallet, "--tx", str(prepared))


def test_sign_in_with_ethereum_by_a_locally_signed_message(
    web_client: TestClient, seeded: Seeded, wallet_cli: Callable[..., str], tmp_path: Path
) -> None:
    address = seeded.accounts["steel"].address
    page = web_client.get("/sign-in/siwe", params={"organization": "steel", "address": address, "next": "/supplier"})
    message = textarea(page.text, "message")
    assert message.startswith("https://tanji.test wants you to sign in with your Ethereum account:\n" + address)
    (tmp_path / "message.txt").write_text(message + "\n", encoding="utf-8")
    signature = wallet_cli("siwe-sign", "steel", "--message-file", str(tmp_path / "message.txt"))
    form = {"csrf_token": csrf_of(page.text), "organization": "steel", "message": message, "signature": signature}
    answer = web_client.post("/sign-in/siwe", data={**form, "next": "/supplier"})
    assert answer.status_code == 303 and answer.headers["location"] == "/supplier"
    assert "steel" in web_client.get("/supplier").text
    replay = web_client.post("/sign-in/siwe", data={**form, "csrf_token": csrf_of(web_client.get("/").text)})
    assert replay.status_code == 401  # the nonce is single-use


def test_siwe_sign_refuses_a_message_for_another_key(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, web_client: TestClient
) -> None:
    page = web_client.get(
        "/sign-in/siwe", params={"organization": "leader", "address": seeded.accounts["leader"].address}
    )
    (tmp_path / "message.txt").write_text(textarea(page.text, "message"), encoding="utf-8")
    monkeypatch.setenv("TANJI_WALLET_PASSWORD", WALLET_PASSWORD)
    args = ["wallet", "siwe-sign", "steel", "--message-file", str(tmp_path / "message.txt"), "--home", str(seeded.home)]
    assert main(args) != 0


def test_a_supplier_uploads_a_locally_signed_declaration_and_shares_it(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded, web_runtime: object
) -> None:
    steel = seeded.accounts["steel"]
    product = f"urn:tanji:steel:cold-rolled-sheet-{uuid.uuid4().hex[:8]}"
    domain = web_runtime.chain.signing_domain  # type: ignore[attr-defined]
    envelope = sign_declaration(
        payload_for("steel", steel.address, product, "cold-rolled sheet"),
        domain=domain,
        private_key=steel.key,
        declarant=steel.address,
    )
    sign_in(web_client, "steel")
    token = csrf_of(web_client.get("/supplier").text)
    files = {"envelope": ("signed.json", json.dumps(envelope).encode(), "application/json")}
    uploaded = web_client.post("/supplier/upload", data={"csrf_token": token}, files=files)
    assert uploaded.status_code == 200 and 'id="notice"' in uploaded.text
    assert product in uploaded.text
    declaration = envelope["payload"]["id"]
    granted = web_client.post(
        "/supplier/grants",
        data={
            "csrf_token": token,
            "declaration": declaration,
            "recipient": "audit",
            "fields": "pcfExcludingBiogenicUptake",
        },
    )
    assert granted.status_code == 200 and "audit · " in granted.text


def test_uploading_another_organizations_declaration_is_refused(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded, web_runtime: object
) -> None:
    steel = seeded.accounts["steel"]
    payload = payload_for("steel", steel.address, f"urn:tanji:steel:rebar-{uuid.uuid4().hex[:8]}", "rebar")
    domain = web_runtime.chain.signing_domain  # type: ignore[attr-defined]
    envelope = sign_declaration(payload, domain=domain, private_key=steel.key, declarant=steel.address)
    sign_in(web_client, "leader")  # a chain leader may submit, but only its own declarations
    token = csrf_of(web_client.get("/supplier").text)
    files = {"envelope": ("signed.json", json.dumps(envelope).encode(), "application/json")}
    answer = web_client.post("/supplier/upload", data={"csrf_token": token}, files=files)
    assert answer.status_code == 403 and "'steel'" in html.unescape(answer.text)


def test_an_upload_that_is_not_json_is_refused_with_a_remedy(web_client: TestClient, sign_in: SignIn) -> None:
    sign_in(web_client, "steel")
    token = csrf_of(web_client.get("/supplier").text)
    files = {"envelope": ("signed.json", b"{not json", "application/json")}
    answer = web_client.post("/supplier/upload", data={"csrf_token": token}, files=files)
    assert answer.status_code == 422


def test_the_auditor_sees_each_check_ticked_and_attests_with_its_own_wallet(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded, wallet_cli: Callable[..., str], tmp_path: Path
) -> None:
    part = seeded.declarations[PART]
    sign_in(web_client, "audit")
    review = web_client.get(f"/auditor/declarations/{part}", headers={"Accept-Language": "en"}).text
    for check in ("signature", "anchor", "status"):
        assert re.search(rf'class="check ok" data-check="{check}"', review), check
    token = csrf_of(review)
    form = {
        "csrf_token": token,
        "step": "prepare",
        "result": "verified",
        "assurance": "limited",
        "standard": "ISO 14067",
        "findings": "bill of materials matches the coil declaration\nmachining emissions recomputed",
        "address": seeded.accounts["audit"].address,
    }
    prepared = web_client.post(f"/auditor/declarations/{part}/attest", data=form)
    assert prepared.status_code == 200 and 'id="prepared-tx"' in prepared.text
    assert "machining emissions recomputed" in html.unescape(prepared.text)  # the canonical report it will sign
    raw = sign_prepared(prepared.text, wallet_cli, "audit", tmp_path)
    relayed = web_client.post(
        f"/auditor/declarations/{part}/attest", data={"csrf_token": token, "step": "relay", "raw_transaction": raw}
    )
    assert relayed.status_code == 200 and 'id="notice"' in relayed.text and "attest" in relayed.text
    facts = web_client.get(f"/declarations/{part}", headers={"Accept-Language": "en"}).text
    assert EN["attest.result.verified"] in facts and seeded.accounts["audit"].address in facts


def test_a_transaction_signed_by_another_organizations_key_is_refused(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded, wallet_cli: Callable[..., str], tmp_path: Path
) -> None:
    coil, steel = seeded.declarations[COIL], seeded.accounts["steel"].address
    sign_in(web_client, "audit")
    token = csrf_of(web_client.get(f"/auditor/declarations/{coil}").text)
    form = {"csrf_token": token, "step": "prepare", "result": "verified", "assurance": "limited"}
    refused = web_client.post(f"/auditor/declarations/{coil}/attest", data={**form, "address": steel})
    assert refused.status_code == 403 and steel in refused.text  # not a key of the signed-in auditor
    prepared = web_client.post(
        f"/auditor/declarations/{coil}/attest", data={**form, "address": seeded.accounts["audit"].address}
    )
    forged = json.loads(textarea(prepared.text, "prepared-tx")) | {"from": steel}
    (tmp_path / "forged.json").write_text(json.dumps(forged), encoding="utf-8")
    raw = wallet_cli("sign-transaction", "steel", "--tx", str(tmp_path / "forged.json"))  # steel's own key
    answer = web_client.post(
        f"/auditor/declarations/{coil}/attest", data={"csrf_token": token, "step": "relay", "raw_transaction": raw}
    )
    assert answer.status_code == 403 and steel in answer.text


def test_the_certifier_issues_then_revokes_a_label_and_the_public_check_follows(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded, wallet_cli: Callable[..., str], tmp_path: Path
) -> None:
    serial = f"TJ-DESK-{uuid.uuid4().hex[:6]}"
    sign_in(web_client, "cert")
    token = csrf_of(web_client.get("/label-desk").text)
    address = seeded.accounts["cert"].address
    issue = {
        "csrf_token": token,
        "step": "issue",
        "serial": serial,
        "declaration": seeded.declarations[COIL],
        "filing_number": "ZJ-TBS-2026-000777",
        "valid_from": "2020-01-01",
        "valid_until": "2099-12-31",
        "address": address,
    }
    for form in (
        issue,
        {
            "csrf_token": token,
            "step": "change",
            "serial": serial,
            "action": "revoke",
            "reason": "misstatement",
            "address": address,
        },
    ):
        prepared = web_client.post("/label-desk/prepare", data=form)
        assert prepared.status_code == 200, prepared.text
        raw = sign_prepared(prepared.text, wallet_cli, "cert", tmp_path)
        terms = re.search(r'name="terms" value="([^"]*)"', prepared.text)  # the hidden field a browser posts back
        relay = {"csrf_token": token, "raw_transaction": raw, **({"terms": html.unescape(terms[1])} if terms else {})}
        relayed = web_client.post("/label-desk/relay", data=relay)
        assert relayed.status_code == 200 and 'id="notice"' in relayed.text, relayed.text
        state = web_client.get(f"/labels/{serial}", headers={"Accept-Language": "en"}).text
        assert ('data-valid="true"' in state) == (form is issue)
        assert "ZJ-TBS-2026-000777" in state  # the terms were stored, and they hash to the chain's terms hash


def test_a_supplier_assigns_an_auditor_who_then_sees_the_inputs(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded
) -> None:
    coil = seeded.declarations[COIL]
    sign_in(web_client, "steel")
    token = csrf_of(web_client.get("/supplier").text)
    form = {"csrf_token": token, "declaration": coil}
    refused = web_client.post("/supplier/auditors", data={**form, "auditor": "cert"})
    assert refused.status_code == 403 and "cert" in refused.text  # not an auditor organization
    assigned = web_client.post("/supplier/auditors", data={**form, "auditor": "audit"})
    assert assigned.status_code == 200 and 'id="notice"' in assigned.text
    sign_in(web_client, "audit")
    desk = web_client.get("/auditor", headers={"Accept-Language": "en"}).text
    assert f"/auditor/declarations/{coil}" in desk and EN["access.assigned"] in desk
    review = web_client.get(f"/auditor/declarations/{coil}", headers={"Accept-Language": "en"}).text
    assert EN["auditor.inputs_hidden"] not in review  # assigned: the inputs are listed
    assert "urn:tanji:ore-co:iron-ore-fines" in review and "verdict-missing" in review
    totals = totals_check(json.loads(EXAMPLE.read_text(encoding="utf-8"))["pcf"])  # the coil's stated PCF
    assert f'class="check {"ok" if totals["passed"] else "bad"}" data-check="arithmetic"' in review


def test_label_terms_altered_between_prepare_and_relay_are_refused(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded, wallet_cli: Callable[..., str], tmp_path: Path
) -> None:
    serial = f"TJ-TAMPER-{uuid.uuid4().hex[:6]}"
    sign_in(web_client, "cert")
    token = csrf_of(web_client.get("/label-desk").text)
    issue = {
        "csrf_token": token,
        "step": "issue",
        "serial": serial,
        "declaration": seeded.declarations[COIL],
        "filing_number": "ZJ-TBS-2026-000888",
        "valid_from": "2020-01-01",
        "valid_until": "2099-12-31",
        "address": seeded.accounts["cert"].address,
    }
    prepared = web_client.post("/label-desk/prepare", data=issue)
    raw = sign_prepared(prepared.text, wallet_cli, "cert", tmp_path)
    found = re.search(r'name="terms" value="([^"]*)"', prepared.text)
    assert found
    terms = json.loads(html.unescape(found[1])) | {"filingNumber": "ZJ-TBS-2026-999999"}
    answer = web_client.post(
        "/label-desk/relay", data={"csrf_token": token, "raw_transaction": raw, "terms": json.dumps(terms)}
    )
    assert answer.status_code >= 400 and "terms hash" in html.unescape(answer.text)
    assert "ZJ-TBS-2026-999999" not in web_client.get(f"/labels/{serial}").text
