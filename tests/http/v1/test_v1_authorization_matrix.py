"""Every /v1 endpoint x role (supplier, chain-leader, auditor, certifier, regulator, bank/customer, operator, public)
x own/other organization's declaration: the status each caller gets, as the table below states it.

A new /v1 route without rows here fails `test_the_matrix_covers_every_v1_route`.
"""

from __future__ import annotations

from typing import Any

import pytest
from eth_account import Account

from api.http.authorization import route_names

ORGS = ("acme", "rival", "leader", "audit", "cert", "reg", "bank", "operator", None)
AUTHENTICATED = ORGS[:-1]
BAD_LEI = "5493001KJTIIGC8Y1R13"  # check digits of 5493001KJTIIGC8Y1R12 changed
REPORT_TERMS = {"result": "verified", "assurance": "limited", "standard": "ISO 14067", "scope": "per kilogram"}


def only(allowed: dict[str | None, int], *, others: int = 403, public: int = 401) -> dict[str | None, int]:
    """Statuses: `allowed` orgs as given, every other signed-in org `others`, the public `public`."""
    table: dict[str | None, int] = {org: others for org in AUTHENTICATED}
    table[None] = public
    table.update(allowed)
    return table


EVERYONE_200 = dict.fromkeys(ORGS, 200)
REQUESTS: dict[int, str] = {}  # world -> a footprint request leader sent to acme (made once)


def request_to_acme(world: Any) -> str:
    """A footprint request of leader to acme, for the rows of the /v1/requests routes."""
    from datetime import UTC, datetime

    from ledger.service.footprint_requests import create_requests

    if id(world) not in REQUESTS:
        with world.runtime.sessions() as session:
            [made] = create_requests(
                session,
                world.runtime.chain,
                by="leader",
                to="acme",
                products=["urn:tanji:acme:matrix-frame"],
                deadline=datetime(2099, 1, 1, tzinfo=UTC),
            )
        REQUESTS[id(world)] = made.id
    return REQUESTS[id(world)]


SIGNED_IN_200 = only(dict.fromkeys(AUTHENTICATED, 200))


def claim_body(product: str) -> dict[str, Any]:
    """A bank's claim on acme's product (its footprint was disclosed to the bank)."""
    return {
        "subject": {"productId": product},
        "metric": "footprint_per_declared_unit",
        "comparison": "<=",
        "threshold": "2.5",
        "asOf": "2099-01-01",
    }


def matrix(
    world: Any, bundle: dict[str, Any]
) -> list[tuple[str, str, str, dict[str, Any] | None, dict[str | None, int]]]:
    """(route name, method, path, JSON body, status per org); own = acme's declaration, other = rival's."""
    own, other = world.own, world.other
    fresh_key = Account.create().address
    return [
        ("list_organizations", "GET", "/v1/organizations", None, EVERYONE_200),
        ("get_organization", "GET", "/v1/organizations/acme", None, EVERYONE_200),
        (
            "register_organization",
            "POST",
            "/v1/organizations",
            {"handle": "matrix-org", "firstKey": fresh_key, "identifiers": {"lei": BAD_LEI}},
            only({"operator": 422}),
        ),
        (
            "set_organization_identifiers",
            "PUT",
            "/v1/organizations/acme/identifiers",
            {"lei": "5493001KJTIIGC8Y1R12"},
            only({"operator": 200}),
        ),
        (
            "propose_organization_key",
            "POST",
            "/v1/organizations/ghost-org/keys",
            {"address": fresh_key},
            only({"operator": 404}),
        ),
        # acme's envelope: acme resubmits it (a duplicate); a supplier or chain leader of another org may not
        ("submit_declaration", "POST", "/v1/declarations", world.envelopes["own"], only({"acme": 202})),
        ("list_declarations", "GET", "/v1/declarations", None, SIGNED_IN_200),
        ("get_declaration", "GET", f"/v1/declarations/{own}", None, EVERYONE_200),
        ("get_declaration", "GET", f"/v1/declarations/{other}", None, EVERYONE_200),
        ("declaration_versions", "GET", f"/v1/declarations/{own}/versions", None, EVERYONE_200),
        ("list_grants", "GET", f"/v1/declarations/{own}/grants", None, only({"acme": 200})),
        ("list_grants", "GET", f"/v1/declarations/{other}/grants", None, only({"rival": 200})),
        ("create_grant", "POST", f"/v1/declarations/{own}/grants", {"recipient": "outsider-org"}, only({"acme": 201})),
        (
            "create_grant",
            "POST",
            f"/v1/declarations/{other}/grants",
            {"recipient": "outsider-org"},
            only({"rival": 201}),
        ),
        ("delete_grant", "DELETE", f"/v1/declarations/{own}/grants/nobody-org", None, only({"acme": 404})),
        ("delete_grant", "DELETE", f"/v1/declarations/{other}/grants/nobody-org", None, only({"rival": 404})),
        # acme declared it, leader was granted it in full, bank a disclosure of one field
        ("export_proof", "GET", f"/v1/declarations/{own}/proof", None, only({"acme": 200, "leader": 200, "bank": 200})),
        ("export_proof", "GET", f"/v1/declarations/{other}/proof", None, only({"rival": 200})),
        ("verify_declaration", "GET", f"/v1/declarations/{own}/verification", None, EVERYONE_200),
        ("verify_bundle", "POST", "/v1/verifications", bundle, EVERYONE_200),
        ("list_attestations", "GET", f"/v1/declarations/{own}/attestations", None, EVERYONE_200),
        (
            "create_attestation_report",
            "POST",
            f"/v1/declarations/{own}/attestation-reports",
            {**REPORT_TERMS, "auditor": world.keys["audit"].address},
            only({"audit": 201}),
        ),
        # rival assigns audit to its declaration, audit opens the work view, rival unassigns (the world is shared)
        ("assign_auditor", "POST", "/v1/audits", {"declaration": other, "auditor": "audit"}, only({"rival": 201})),
        ("list_audit_assignments", "GET", "/v1/audits", None, SIGNED_IN_200),
        ("audit_work_view", "GET", f"/v1/audits/{other}", None, only({"audit": 200})),
        ("unassign_auditor", "DELETE", f"/v1/audits/{other}/audit", None, only({"rival": 204})),
        (
            "rollup_product",
            "GET",
            f"/v1/rollups/{world.product}",
            None,
            only({"leader": 200, "audit": 403, "reg": 200}),  # audit holds the role but may not read acme's coil
        ),
        ("check_label", "GET", "/v1/labels/NO-SUCH-LABEL-1", None, EVERYONE_200),
        # footprint requests: leader (chain-leader) asks acme; only acme may forward or answer what it was sent
        (
            "create_requests",
            "POST",
            "/v1/requests",
            {"to": "acme", "products": ["urn:tanji:acme:matrix-fork"], "deadline": "2099-01-01T00:00:00Z"},
            only({"leader": 201}),
        ),
        (
            "forward_request",
            "POST",
            f"/v1/requests/{request_to_acme(world)}/forwards",
            {"to": "rival", "products": ["urn:tanji:rival:matrix-bolt"]},
            only({"acme": 201}),
        ),
        # acme's own declaration is of another product than the one requested: 409 for acme, 403 for the rest
        (
            "fulfil_request",
            "POST",
            f"/v1/requests/{request_to_acme(world)}/fulfilment",
            {"declaration": own},
            only({"acme": 409}),
        ),
        (
            "reject_request",
            "POST",
            f"/v1/requests/{request_to_acme(world)}/rejection",
            {"code": "NotFound", "message": "we make no frames"},
            only({"acme": 200}),
        ),
        ("list_requests", "GET", "/v1/requests?box=outbox", None, SIGNED_IN_200),
        ("request_coverage", "GET", "/v1/requests/coverage", None, only({"leader": 200})),
        ("label_status", "GET", "/v1/labels/NO-SUCH-LABEL-1/status", None, EVERYONE_200),
        ("label_qr_svg", "GET", "/v1/labels/NO-SUCH-LABEL-1/qr.svg", None, EVERYONE_200),
        ("label_qr_png", "GET", "/v1/labels/NO-SUCH-LABEL-1/qr.png", None, EVERYONE_200),
        ("record_label_terms", "PUT", "/v1/labels/NO-SUCH-LABEL-1/terms", {"type": "x"}, only({"cert": 404})),
        ("transaction_params", "GET", f"/v1/transactions/params?address={fresh_key}", None, SIGNED_IN_200),
        (
            "relay_transaction",
            "POST",
            "/v1/transactions",
            {"rawTransaction": "0x00"},
            only(dict.fromkeys(AUTHENTICATED, 422)),
        ),
        # any signed-in organization checks a claim on what was disclosed to it; flags: leaders, auditors, regulators
        ("check_claim", "POST", "/v1/claims/check", claim_body(world.product), SIGNED_IN_200),
        ("list_flags", "GET", "/v1/flags", None, only({"leader": 200, "audit": 200, "reg": 200})),
        # PACT administration: the operator manages recipients; any organization answers the requests awaiting it
        ("list_pact_peers", "GET", "/v1/pact/peers", None, only({"operator": 200})),
        (
            "register_pact_peer",
            "POST",
            "/v1/pact/peers",
            {"org": "leader", "baseUrl": "http://pact.leader.example", "clientId": "c", "clientSecret": "s"},
            only({"operator": 422}),  # plain http off loopback: refused, nothing stored
        ),
        ("remove_pact_peer", "DELETE", "/v1/pact/peers/ghost-org", None, only({"operator": 404})),
        ("list_pact_requests", "GET", "/v1/pact/requests", None, SIGNED_IN_200),
        (
            "accept_pact_request",
            "POST",
            "/v1/pact/requests/999999/accept",
            None,
            only(dict.fromkeys(AUTHENTICATED, 404)),
        ),
        (
            "decline_pact_request",
            "POST",
            "/v1/pact/requests/999999/decline",
            None,
            only(dict.fromkeys(AUTHENTICATED, 404)),
        ),
        ("me", "GET", "/v1/me", None, SIGNED_IN_200),
        ("health", "GET", "/v1/health", None, EVERYONE_200),
    ]


@pytest.fixture(scope="module")
def own_bundle(v1_world: Any) -> dict[str, Any]:
    with v1_world.client() as client:
        response = client.get(f"/v1/declarations/{v1_world.own}/proof", headers=v1_world.headers("acme"))
    assert response.status_code == 200, response.text
    bundle: dict[str, Any] = response.json()
    return bundle


def test_the_matrix_covers_every_v1_route(v1_world: Any, own_bundle: dict[str, Any]) -> None:
    with v1_world.client() as client:
        v1_routes = {
            route.name
            for route in client.app.routes  # type: ignore[attr-defined]
            if getattr(route, "path", "").startswith("/v1/")
        }
        assert set(route_names(client.app)) >= v1_routes  # type: ignore[arg-type]
    covered = {row[0] for row in matrix(v1_world, own_bundle)}
    assert v1_routes - covered == set(), "add rows for these routes to the matrix"


def test_every_endpoint_role_and_organization_gets_the_status_of_the_table(
    v1_world: Any, own_bundle: dict[str, Any]
) -> None:
    mismatches = []
    with v1_world.client() as client:
        for name, method, path, body, expected in matrix(v1_world, own_bundle):
            for org in ORGS:
                response = client.request(method, path, json=body, headers=v1_world.headers(org))
                if response.status_code != expected[org]:
                    mismatches.append(f"{name} {method} {path} as {org}: {response.status_code} {response.text[:200]}")
                elif response.status_code >= 400:
                    assert set(response.json()) == {"code", "message"}, response.text
    assert mismatches == []


@pytest.mark.parametrize(
    ("org", "own_access", "other_access"),
    [
        ("acme", "declarant", "public"),
        ("rival", "public", "declarant"),
        ("leader", "granted", "public"),
        ("bank", "disclosed", "public"),
        ("audit", "public", "public"),
        ("cert", "public", "public"),
        ("reg", "public", "public"),
        ("operator", "public", "public"),
        (None, "public", "public"),
    ],
)
def test_what_each_caller_sees_of_own_and_other_declarations(
    v1_world: Any, v1_client: Any, org: str | None, own_access: str, other_access: str
) -> None:
    for key, access in ((v1_world.own, own_access), (v1_world.other, other_access)):
        body = v1_client.get(f"/v1/declarations/{key}", headers=v1_world.headers(org)).json()
        assert body["access"] == access
        assert (body["payload"] is not None) == (access in ("declarant", "granted"))
        assert (body["productId"] is not None) == (access in ("declarant", "granted"))
        if access == "disclosed":
            assert set(body["disclosed"]) == {"/pcf/pcfExcludingBiogenicUptake"}
        else:
            assert body["disclosed"] is None
        # the public facts, for everyone
        assert body["digest"].startswith("0x") and body["anchor"]["root"].startswith("0x")
        assert body["chainStatus"]["status"] == "anchored"


@pytest.mark.parametrize(
    ("org", "listed"),
    [
        ("acme", {"own": "declarant"}),
        ("rival", {"other": "declarant"}),
        ("leader", {"own": "granted"}),
        ("bank", {"own": "disclosed"}),
        ("audit", {}),
        ("cert", {}),
        ("reg", {}),
        ("operator", {}),
    ],
)
def test_each_organization_lists_what_it_may_read(
    v1_world: Any, v1_client: Any, org: str, listed: dict[str, str]
) -> None:
    body = v1_client.get("/v1/declarations", headers=v1_world.headers(org)).json()
    ids = {"own": v1_world.own, "other": v1_world.other}
    seen = {item["id"]: item["access"] for item in body["items"] if item["id"] in ids.values()}
    assert seen == {ids[name]: access for name, access in listed.items()}
