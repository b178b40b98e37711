"""Footprint requests through the pages: a chain leader asks its supplier, the supplier fulfils one request with its
own anchored declaration and rejects another with a reason, and the leader's coverage page counts them by tier as
GET /v1/requests/coverage does."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from web_world import COIL, Seeded, csrf_of

SignIn = Callable[[TestClient, str], None]


def request_ids(page: str, table: str) -> list[str]:
    body = page.split(f'<table id="{table}">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-request="([^"]+)"', body)


def test_a_request_is_fulfilled_and_another_rejected_and_coverage_counts_them(
    web_client: TestClient, sign_in: SignIn, seeded: Seeded
) -> None:
    other = "urn:tanji:steel:galvanised-sheet"
    deadline = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    sign_in(web_client, "leader")
    token = csrf_of(web_client.get("/requests").text)
    sent = web_client.post(
        "/requests", data={"csrf_token": token, "to": "steel", "products": f"{COIL}\n{other}", "deadline": deadline}
    )
    assert sent.status_code == 200 and 'id="notice"' in sent.text, sent.text
    assert len(request_ids(sent.text, "outbox")) >= 2

    sign_in(web_client, "steel")
    inbox = web_client.get("/requests").text
    ids = request_ids(inbox, "inbox")
    rows = {rid: inbox.split(f'data-request="{rid}"', 1)[1].split("</tr>", 1)[0] for rid in ids}
    coil_request = next(rid for rid, row in rows.items() if COIL in row and "/answer" in row)
    other_request = next(rid for rid, row in rows.items() if other in row and "/answer" in row)
    token = csrf_of(inbox)
    fulfilled = web_client.post(
        f"/requests/{coil_request}/answer",
        data={"csrf_token": token, "action": "fulfil", "declaration": seeded.declarations[COIL]},
    )
    assert fulfilled.status_code == 200 and 'id="notice"' in fulfilled.text, fulfilled.text
    rejected = web_client.post(
        f"/requests/{other_request}/answer",
        data={"csrf_token": token, "action": "reject", "code": "NotFound", "message": "we do not make this product"},
    )
    assert rejected.status_code == 200
    again = web_client.post(
        f"/requests/{other_request}/answer",
        data={"csrf_token": token, "action": "reject", "code": "NotFound", "message": "twice"},
    )
    assert again.status_code >= 400  # an answered request cannot be answered again

    client_id, secret = seeded.clients["leader"]
    bearer = web_client.post("/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
    api = web_client.get(
        "/v1/requests/coverage", headers={"Authorization": f"Bearer {bearer.json()['access_token']}"}
    ).json()
    tier_one = api["byTier"]["1"]
    sign_in(web_client, "leader")
    page = web_client.get("/requests/coverage")
    assert page.status_code == 200
    row = html.unescape(page.text).split('data-tier="1"', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert cells[1:6] == [str(tier_one[key]) for key in ("requested", "fulfilled", "rejected", "open", "overdue")]
    assert tier_one["fulfilled"] >= 1 and tier_one["rejected"] >= 1


def test_a_supplier_cannot_send_requests_or_see_coverage(web_client: TestClient, sign_in: SignIn) -> None:
    sign_in(web_client, "steel")
    assert web_client.get("/requests/coverage").status_code == 403
    token = csrf_of(web_client.get("/requests").text)
    answer = web_client.post("/requests", data={"csrf_token": token, "to": "leader", "products": COIL, "deadline": ""})
    assert answer.status_code == 403
