"""Sign-In with Ethereum (EIP-4361): messages signed with eth-account, every check one attack."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.runtime import Runtime
from ledger.errors import SignInRejectedError
from ledger.service.siwe import SiweMessage, parse_siwe_message

SignIn = Callable[..., tuple[str, str]]


def _post(client: TestClient, message: str, signature: str, organization: str = "acme") -> Any:
    return client.post("/auth/siwe", json={"message": message, "signature": signature, "organization": organization})


def test_a_member_key_signs_in_and_gets_a_session_bound_to_its_organization(
    api_client: TestClient, http_members: Any, sign_in_message: SignIn
) -> None:
    message, signature = sign_in_message(api_client, http_members.acme)
    response = _post(api_client, message, signature)
    assert response.status_code == 200, response.text
    session = response.json()
    assert session["organization"] == "acme" and session["address"] == http_members.acme.address
    me = api_client.get("/v1/me", headers={"Authorization": f"Bearer {session['access_token']}"}).json()
    assert me["method"] == "siwe" and me["address"] == http_members.acme.address and me["roles"] == ["supplier"]


def test_the_session_ends_no_later_than_the_message_expiration(
    api_client: TestClient, http_members: Any, sign_in_message: SignIn
) -> None:
    expiry = datetime.now(UTC) + timedelta(minutes=5)
    message, signature = sign_in_message(api_client, http_members.acme, expiration_time=expiry)
    session = _post(api_client, message, signature).json()
    assert 240 <= session["expires_in"] <= 300


def test_replayed_siwe_message_is_refused(api_client: TestClient, http_members: Any, sign_in_message: SignIn) -> None:
    message, signature = sign_in_message(api_client, http_members.acme)
    assert _post(api_client, message, signature).status_code == 200
    replay = _post(api_client, message, signature)
    assert replay.status_code == 401
    assert replay.json()["code"] == "BadRequest" and "already used" in replay.json()["message"]


def test_forged_nonce_is_refused(api_client: TestClient, http_members: Any, sign_in_message: SignIn) -> None:
    message, signature = sign_in_message(api_client, http_members.acme, nonce="madeupnonce12345")
    response = _post(api_client, message, signature)
    assert response.status_code == 401 and "unknown, expired or already used" in response.json()["message"]


def test_message_for_another_domain_is_refused(
    api_client: TestClient, http_members: Any, sign_in_message: SignIn
) -> None:
    message, signature = sign_in_message(api_client, http_members.acme, domain="evil.example")
    response = _post(api_client, message, signature)
    assert response.status_code == 401 and "'evil.example'" in response.json()["message"]


def test_message_for_another_scheme_is_refused(
    api_client: TestClient, http_members: Any, sign_in_message: SignIn
) -> None:
    message, signature = sign_in_message(api_client, http_members.acme, scheme="http")
    assert _post(api_client, message, signature).status_code == 401


def test_message_for_another_chain_is_refused(
    api_client: TestClient, http_members: Any, sign_in_message: SignIn
) -> None:
    message, signature = sign_in_message(api_client, http_members.acme, chain_id=1)
    response = _post(api_client, message, signature)
    assert response.status_code == 401 and "chain id 1" in response.json()["message"]


def test_expired_message_is_refused(api_client: TestClient, http_members: Any, sign_in_message: SignIn) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    message, signature = sign_in_message(
        api_client, http_members.acme, issued_at=past - timedelta(minutes=5), expiration_time=past
    )
    response = _post(api_client, message, signature)
    assert response.status_code == 401 and "expired" in response.json()["message"]


def test_message_not_yet_valid_or_issued_in_the_future_is_refused(
    api_client: TestClient, http_members: Any, sign_in_message: SignIn
) -> None:
    future = datetime.now(UTC) + timedelta(hours=1)
    for fields in ({"not_before": future}, {"issued_at": future}):
        message, signature = sign_in_message(api_client, http_members.acme, **fields)
        assert _post(api_client, message, signature).status_code == 401, fields


def test_message_signed_by_another_key_is_refused(
    api_client: TestClient, http_members: Any, siwe_text: Callable[..., str], signer: Callable[[Any, str], str]
) -> None:
    message = siwe_text(api_client, http_members.acme)
    response = _post(api_client, message, signer(http_members.outsider, message))
    assert response.status_code == 401
    assert http_members.outsider.address in response.json()["message"]


def test_tampered_message_is_refused(api_client: TestClient, http_members: Any, sign_in_message: SignIn) -> None:
    message, signature = sign_in_message(api_client, http_members.acme)
    assert _post(api_client, message.replace("Sign in to Tanji", "Sign in to Tanjj"), signature).status_code == 401


def test_signer_that_is_no_member_is_refused(
    api_client: TestClient, http_members: Any, sign_in_message: SignIn
) -> None:
    message, signature = sign_in_message(api_client, http_members.outsider)
    response = _post(api_client, message, signature)
    assert response.status_code == 403
    assert response.json()["code"] == "AccessDenied" and "not an active key" in response.json()["message"]


def test_key_claiming_another_organization_is_refused(
    api_client: TestClient, http_members: Any, sign_in_message: SignIn
) -> None:
    message, signature = sign_in_message(api_client, http_members.acme)
    response = _post(api_client, message, signature, organization="audit")
    assert response.status_code == 403 and "'audit'" in response.json()["message"]


def test_suspended_organization_cannot_sign_in(
    api_client: TestClient, http_members: Any, sign_in_message: SignIn
) -> None:
    message, signature = sign_in_message(api_client, http_members.shady)
    response = _post(api_client, message, signature, organization="shady")
    assert response.status_code == 403 and "suspended" in response.json()["message"]


def test_malformed_signature_and_unknown_fields_are_bad_requests(
    api_client: TestClient, http_members: Any, siwe_text: Callable[..., str]
) -> None:
    message = siwe_text(api_client, http_members.acme)
    bad_signature = api_client.post(
        "/auth/siwe", json={"message": message, "signature": "0x12", "organization": "acme"}
    )
    assert bad_signature.status_code == 400 and "'signature'" in bad_signature.json()["message"]
    extra = {"message": message, "signature": "0x" + "00" * 65, "organization": "acme", "admin": True}
    assert api_client.post("/auth/siwe", json=extra).status_code == 400


def test_nonces_are_single_use_random_and_name_this_server(api_client: TestClient, api_runtime: Runtime) -> None:
    first, second = api_client.get("/auth/siwe/nonce").json(), api_client.get("/auth/siwe/nonce").json()
    assert first["nonce"] != second["nonce"] and len(first["nonce"]) >= 16
    assert first["domain"] == "tanji.test" and first["chainId"] == api_runtime.chain.trust_anchors.chain_id


# --- the parser, by the EIP-4361 grammar ---------------------------------------------------------------------------
GOOD = SiweMessage(
    scheme="https",
    domain="tanji.test",
    address="0x5c1b76492748B4cb78DB7Beef5C9332C22258a4B",
    statement="Sign in to Tanji",
    uri="https://tanji.test",
    chain_id=31337,
    nonce="abcdef1234567890",
    issued_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    expiration_time=datetime(2026, 1, 2, 4, 4, 5, tzinfo=UTC),
    request_id="req-1",
    resources=("https://tanji.test/terms", "ipfs://bafy"),
)


def test_parsing_the_text_of_a_message_gives_the_message_back() -> None:
    assert parse_siwe_message(GOOD.text()) == GOOD
    minimal = SiweMessage(
        domain="tanji.test",
        address=GOOD.address,
        uri="https://tanji.test",
        chain_id=1,
        nonce="12345678",
        issued_at=GOOD.issued_at,
    )
    assert parse_siwe_message(minimal.text()) == minimal


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            lambda t: t.replace(
                "0x5c1b76492748B4cb78DB7Beef5C9332C22258a4B", "0x5c1b76492748b4cb78db7beef5c9332c22258a4b"
            ),
            "EIP-55",
        ),
        (lambda t: t.replace("Version: 1", "Version: 2"), "Version"),
        (lambda t: t.replace("Chain ID: 31337", "Chain ID: one"), "Chain ID"),
        (lambda t: t.replace("Nonce: abcdef1234567890", "Nonce: abc"), "Nonce"),
        (lambda t: t.replace("Issued At: 2026-01-02T03:04:05Z", "Issued At: yesterday"), "Issued At"),
        (lambda t: t.replace("\nURI: https://tanji.test", ""), "URI"),
        (lambda t: t.replace("\n", "\r\n"), "LF"),
        (lambda t: t + "\nExtra: field", "unexpected text"),
        (lambda t: t.replace(" wants you to sign in", " would like you to sign in"), "wants you to sign in"),
        (lambda t: t.replace("Sign in to Tanji", "Sign in\u00e9"), "statement"),
    ],
)
def test_a_message_breaking_the_grammar_is_refused_naming_the_problem(change: Callable[[str], str], named: str) -> None:
    with pytest.raises(SignInRejectedError, match=named):
        parse_siwe_message(change(GOOD.text()))
