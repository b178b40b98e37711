"""/v1/audits and the attestation reports over HTTP: the declarant assigns an auditor, which then reads the payload,
opens its work view, prepares the canonical report, attests through the relay with its own wallet, and every
reader sees the report's standard and findings checked against the recorded hash."""

from __future__ import annotations

from typing import Any

from ledger.canonical import keccak_canonical

REPORT = {
    "result": "verified",
    "assurance": "reasonable",
    "standard": "ISO 14064-3",
    "scope": "cradle-to-gate footprint per kilogram",
    "findings": ["activity data traced to meter readings"],
}


def leaf(facts: dict[str, Any]) -> tuple[Any, ...]:
    anchor = facts["anchor"]
    return (anchor["root"], facts["digest"], facts["declarant"], anchor["proof"])


def test_an_assigned_auditor_reads_works_and_attests_with_a_checked_report(
    v1_world: Any, v1_client: Any, v1_sign_tx: Any
) -> None:
    key = v1_world.submit_and_anchor(v1_world.sign("acme", "urn:tanji:acme:audited-coil"))
    audit, acme = v1_world.headers("audit"), v1_world.headers("acme")
    assert v1_client.get(f"/v1/audits/{key}", headers=audit).status_code == 403  # not assigned yet
    assert v1_client.get(f"/v1/declarations/{key}", headers=audit).json()["payload"] is None
    refused = v1_client.post("/v1/audits", json={"declaration": key, "auditor": "cert"}, headers=acme)
    assert refused.status_code == 403 and "not the auditor role" in refused.json()["message"]
    made = v1_client.post("/v1/audits", json={"declaration": key, "auditor": "audit"}, headers=acme)
    assert made.status_code == 201, made.text
    try:
        view = v1_client.get(f"/v1/declarations/{key}", headers=audit).json()
        assert view["access"] == "assigned" and view["payload"]["id"] == key
        mine = v1_client.get("/v1/audits", headers=audit).json()["items"]
        assert key in [item["declarationId"] for item in mine]
        auditors = v1_client.get(f"/v1/audits?declaration={key}", headers=acme).json()["items"]
        assert [item["auditor"] for item in auditors] == ["audit"]
        work = v1_client.get(f"/v1/audits/{key}", headers=audit).json()
        assert work["arithmetic"]["kind"] == "totals" and work["arithmetic"]["passed"] is True
        body = {**REPORT, "auditor": v1_world.keys["audit"].address}
        prepared = v1_client.post(f"/v1/declarations/{key}/attestation-reports", json=body, headers=audit)
        assert prepared.status_code == 201, prepared.text
        report = prepared.json()["report"]
        assert prepared.json()["reportHash"] == "0x" + keccak_canonical(report).hex()
        facts = v1_client.get(f"/v1/declarations/{key}").json()
        raw = v1_sign_tx(
            v1_world.keys["audit"], "attestations", "attest", [leaf(facts), 1, 2, bytes(keccak_canonical(report))]
        )
        sent = v1_client.post("/v1/transactions", json={"rawTransaction": raw}, headers=audit)
        assert sent.status_code == 200, sent.text
        (listed,) = v1_client.get(f"/v1/declarations/{key}/attestations").json()["items"]
        assert listed["reportCheck"] == "ok" and listed["standing"] is True
        assert (listed["standard"], listed["findings"]) == ("ISO 14064-3", REPORT["findings"])
        rollup = v1_client.get("/v1/rollups/urn:tanji:acme:audited-coil", headers=audit).json()
        assert rollup["verifiedShare"] == 100.0  # its inputs are gaps: all it carries is its own, attested, emissions
        assert rollup["complete"] is False
    finally:
        assert v1_client.delete(f"/v1/audits/{key}/audit", headers=acme).status_code == 204
    assert v1_client.get(f"/v1/audits/{key}", headers=audit).status_code == 403


def test_a_report_for_the_declarants_own_organization_or_another_key_is_refused(v1_world: Any, v1_client: Any) -> None:
    body = {**REPORT, "auditor": v1_world.keys["acme"].address}  # audit names acme's key as its own
    response = v1_client.post(
        f"/v1/declarations/{v1_world.own}/attestation-reports", json=body, headers=v1_world.headers("audit")
    )
    assert response.status_code == 403 and "is not an active key of organization 'audit'" in response.json()["message"]
    unknown = {**REPORT, "standard": "ISO 9001", "auditor": v1_world.keys["audit"].address}
    response = v1_client.post(
        f"/v1/declarations/{v1_world.own}/attestation-reports", json=unknown, headers=v1_world.headers("audit")
    )
    assert response.status_code == 422 and "unknown standard 'ISO 9001'" in response.json()["message"]
