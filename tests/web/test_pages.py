"""The web pages over the seeded workspace, through the app (TestClient): every page in both languages, the public
label check (a revoked label is invalid), sign-in, role and CSRF rules, the product page's numbers against the API's,
the supplier's upload and grants, the auditor's provenance tree and the certifier's label desk."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from web_world import COIL, PART, REVOKED_SERIAL, VALID_SERIAL, Seeded, csrf_of

from api.http.app import create_app
from api.http.runtime import Runtime
from api.web.i18n import catalogue

SignIn = Callable[[TestClient, str], None]
ZH, EN = catalogue("zh-CN"), catalogue("en")


def chart_data(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', page, re.S)
    assert found, "the product page has no chart data"
    data: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return data


def test_public_pages_render_in_both_languages(web_client: TestClient, seeded: Seeded) -> None:
    pages = ["/", "/labels", f"/labels/{VALID_SERIAL}", "/sign-in", f"/declarations/{seeded.declarations[COIL]}"]
    for path in pages:
        chinese = web_client.get(path, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
        english = web_client.get(path, headers={"Accept-Language": "en-GB,en;q=0.8"})
        assert chinese.status_code == english.status_code == 200, path
        assert '<html lang="zh-CN">' in chinese.text and ZH["nav.verify"] in chinese.text, path
        assert '<html lang="en">' in english.text and EN["nav.verify"] in english.text, path
        assert "Content-Security-Policy" in chinese.headers


def test_the_language_link_switches_and_is_remembered(web_client: TestClient) -> None:
    switched = web_client.get("/?lang=en", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in switched.text and switched.cookies.get("tanji_lang") == "en"
    again = web_client.get("/", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in again.text


def test_a_valid_label_shows_valid_and_a_revoked_one_invalid(web_client: TestClient) -> None:
    valid = web_client.get(f"/labels/{VALID_SERIAL}", headers={"Accept-Language": "en"}).text
    revoked = web_client.get(f"/labels/{REVOKED_SERIAL}", headers={"Accept-Language": "en"}).text
    unknown = web_client.get("/labels/NO-SUCH-LABEL", headers={"Accept-Language": "zh-CN"}).text
    assert 'data-valid="true"' in valid and EN["label.status.valid"] in valid
    assert 'data-valid="false"' in revoked and EN["label.status.revoked"] in revoked
    assert 'data-valid="false"' in unknown and ZH["label.status.unknown"] in unknown


def test_the_label_form_goes_to_the_label_page(web_client: TestClient) -> None:
    answer = web_client.get("/labels", params={"serial": VALID_SERIAL})
    assert answer.status_code == 303 and answer.headers["location"] == f"/labels/{VALID_SERIAL}"


def test_public_facts_never_show_the_confidential_payload(web_client: TestClient, seeded: Seeded) -> None:
    page = web_client.get(f"/declarations/{seeded.declarations[COIL]}").text
    assert seeded.accounts["steel"].address in page  # the signing key is public
    assert COIL not in page and "billOfMaterials" not in page  # the product and its inputs are not


def test_client_sign_in_sets_an_httponly_samesite_secure_session(web_client: TestClient, seeded: Seeded) -> None:
    token = csrf_of(web_client.get("/sign-in").text)
    client_id, secret = seeded.clients["leader"]
    answer = web_client.post(
        "/sign-in/client",
        data={"csrf_token": token, "client_id": client_id, "client_secret": secret, "next": "/products"},
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/products"
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith("tanji_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    assert "leader" in web_client.get("/products").text


def test_a_cross_site_form_post_without_the_csrf_token_is_refused(web_client: TestClient, seeded: Seeded) -> None:
    web_client.get("/sign-in")
    client_id, secret = seeded.clients["leader"]
    for token in (None, "forged-token"):
        data = {"client_id": client_id, "client_secret": secret, **({"csrf_token": token} if token else {})}
        answer = web_client.post("/sign-in/client", data=data)
        assert answer.status_code == 403 and "tanji_session" not in answer.cookies


def test_an_open_redirect_after_sign_in_is_refused(web_client: TestClient, seeded: Seeded) -> None:
    client_id, secret = seeded.clients["steel"]
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        token = csrf_of(web_client.get("/sign-in").text)  # each sign-in renews the token
        data = {"csrf_token": token, "client_id": client_id, "client_secret": secret, "next": target}
        answer = web_client.post("/sign-in/client", data=data)
        assert answer.status_code == 303 and answer.headers["location"] == "/"


def test_a_wrong_client_secret_is_refused(web_client: TestClient, seeded: Seeded) -> None:
    token = csrf_of(web_client.get("/sign-in").text)
    data = {"csrf_token": token, "client_id": seeded.clients["leader"][0], "client_secret": "wrong", "next": "/"}
    answer = web_client.post("/sign-in/client", data=data, headers={"Accept-Language": "en"})
    assert answer.status_code == 401 and EN["signin.client_failed"] in answer.text
    assert "tanji_session" not in answer.cookies


def test_an_anonymous_visitor_of_a_signed_in_page_is_sent_to_sign_in(web_client: TestClient) -> None:
    for path in ("/products", f"/products/{PART}", "/supplier", "/auditor", "/label-desk"):
        answer = web_client.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in?next="), path


def test_a_page_beyond_the_organizations_roles_is_refused(web_client: TestClient, sign_in: SignIn) -> None:
    sign_in(web_client, "steel")  # a supplier: no roll-ups, no auditing, no labels
    for path in (f"/products/{PART}", "/auditor", "/label-desk"):
        assert web_client.get(path).status_code == 403, path
    assert web_client.get("/supplier").status_code == 200


def test_signing_out_ends_the_session(web_client: TestClient, sign_in: SignIn) -> None:
    sign_in(web_client, "leader")
    token = csrf_of(web_client.get("/products").text)
    assert web_client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert web_client.get("/products").status_code == 303


def test_the_product_page_shows_the_api_roll_up_and_the_graph(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded
) -> None:
    client_id, secret = seeded.clients["leader"]
    bearer = web_client.post("/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
    headers = {"Authorization": f"Bearer {bearer.json()['access_token']}"}
    api = web_client.get(f"/v1/rollups/{PART}", params={"scenario": "steel=0.8"}, headers=headers).json()
    sign_in(web_client, "leader")
    page = web_client.get(f"/products/{PART}", params={"supplier": "steel", "cut": "20"}).text
    assert f'id="pcf-total">{api["pcfExcludingBiogenicUptake"]:.4f}<' in page
    assert f'id="scenario-after">{api["scenarios"][0]["after"]:.4f}<' in page
    assert (
        f'id="verified-share">{api["verifiedShare"]:.1f}<' in page and api["verifiedShare"] > 0
    )  # the coil is attested
    assert api["scenarios"][0]["after"] < api["pcfExcludingBiogenicUptake"]
    data = chart_data(page)
    graph = data["graph"]
    assert isinstance(graph, dict)
    names = [category["name"] for category in graph["categories"]]
    status = {node["id"]: names[node["category"]] for node in graph["nodes"]}
    tiers = {node["id"]: node["value"] for node in graph["nodes"]}
    flagged = {item["declarationId"] for item in web_client.get("/v1/flags", headers=headers).json()["items"]}
    expected = "status.flagged" if seeded.declarations[PART] in flagged else "status.anchored"
    assert status[PART] == ZH[expected] and tiers[PART] == 0  # the leader's own part: flagged or just anchored
    coil_expected = "status.flagged" if seeded.declarations[COIL] in flagged else "status.labelled"
    assert status[COIL] == ZH[coil_expected] and tiers[COIL] == 1  # attested, and a label valid now
    missing = [node for node, name in status.items() if name == ZH["status.missing"]]
    assert sorted(missing) == ["urn:tanji:coke-co:metallurgical-coke", "urn:tanji:ore-co:iron-ore-fines"]
    assert {(link["source"], link["target"]) for link in graph["links"]} >= {(PART, COIL)}
    assert sum(item["value"] for item in data["tiers"]) == sum(api["byTier"].values())


def test_a_scenario_cut_out_of_range_is_refused_with_the_value(web_client: TestClient, sign_in: SignIn) -> None:
    sign_in(web_client, "leader")
    answer = web_client.get(f"/products/{PART}", params={"supplier": "steel", "cut": "150"})
    assert answer.status_code == 422 and "150" in answer.text


def test_page_paths_never_shadow_api_routes(web_client: TestClient) -> None:
    assert web_client.get("/v1/health").headers["content-type"].startswith("application/json")
    assert web_client.get("/openapi.json").json()["info"]["title"] == "Tanji"
    assert web_client.get("/v1/no-such-thing").headers["content-type"].startswith("application/json")
    assert web_client.get("/static/vendor/echarts.min.js").headers["content-type"].startswith("text/javascript")
    assert web_client.get("/static/no-such-file.js").status_code == 404
    assert web_client.delete("/sign-in").status_code == 405


def test_guessing_client_secrets_through_the_sign_in_page_is_rate_limited(web_runtime: Runtime, seeded: Seeded) -> None:
    app = create_app(web_runtime.settings.with_overrides(rate_limit_per_minute=4), runtime=web_runtime)
    with TestClient(app, base_url="https://tanji.test", follow_redirects=False) as client:
        token = csrf_of(client.get("/sign-in").text)
        data = {"csrf_token": token, "client_id": seeded.clients["leader"][0], "client_secret": "guess", "next": "/"}
        statuses = [client.post("/sign-in/client", data=data).status_code for _ in range(5)]
    assert statuses[:3] == [401, 401, 401] and statuses[-1] == 429


def test_a_script_in_a_label_serial_is_shown_as_text(web_client: TestClient) -> None:
    page = web_client.get("/labels/%3Cimg src=x onerror=alert(1)%3E").text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def bearer_of(client: TestClient, seeded: Seeded, org: str) -> dict[str, str]:
    client_id, secret = seeded.clients[org]
    answer = client.post("/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_the_claim_checker_gives_the_api_verdict_and_the_evidence_download(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded
) -> None:
    claim = {
        "subject": {"productId": COIL},
        "metric": "label_valid",
        "comparison": "==",
        "threshold": "true",
        "asOf": "2099-01-01",
        "requiredAssurance": "none",
    }
    api = web_client.post("/v1/claims/check", json=claim, headers=bearer_of(web_client, seeded, "leader")).json()
    sign_in(web_client, "leader")
    form = {
        "csrf_token": csrf_of(web_client.get("/claims").text),
        "subject_kind": "productId",
        "subject": COIL,
        "metric": "label_valid",
        "comparison": "==",
        "threshold": "true",
        "as_of": "2099-01-01",
        "assurance": "none",
    }
    page = web_client.post("/claims", data={**form, "step": "check"})
    assert page.status_code == 200 and f'data-outcome="{api["outcome"]}"' in page.text
    evidence = web_client.post("/claims", data={**form, "step": "evidence"})
    assert evidence.headers["content-disposition"].startswith("attachment")
    downloaded = evidence.json()
    assert downloaded["outcome"] == api["outcome"] and len(downloaded["evidence"]) == len(api["evidence"])
    bad = web_client.post("/claims", data={**form, "metric": "happiness", "step": "check"})
    assert bad.status_code == 422 and "happiness" in html.unescape(bad.text)


def test_the_flags_page_lists_what_the_api_lists_for_the_organization(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded
) -> None:
    api = web_client.get("/v1/flags", headers=bearer_of(web_client, seeded, "leader")).json()["items"]
    sign_in(web_client, "leader")
    page = web_client.get("/flags").text
    assert page.count('<tr class="severity-') == len(api)
    assert sorted(re.findall(r'data-code="([^"]+)"', page)) == sorted(item["code"] for item in api)
    sign_in(web_client, "steel")
    assert web_client.get("/flags").status_code == 403  # a supplier is not in list_flags' row
