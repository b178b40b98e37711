"""Demo step: footprint requests by tier (examples/battery/requests.json). The pack maker asks its tier-1
suppliers, each forwards the request it received one tier down; suppliers fulfil with their current declaration,
reject with a PACT code, or leave it open. A deadline already passed is set as the requests of earlier weeks were:
the request is opened at a moment before it (the use case's `now`), so an open one is overdue today."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from api.demo.plan import EXAMPLES
from api.demo.seed import Demo

REQUESTS = EXAMPLES / "battery" / "requests.json"
NOTICE = timedelta(days=14)  # how long before its deadline a request was opened


def footprint_requests(demo: Demo) -> str:
    """Open and forward the requests in file order (a parent before the requests forwarded from it), then answer
    them."""
    from ledger.service.footprint_requests import (
        create_requests,
        forward_request,
        fulfil_request,
        list_requests,
        reject_request,
    )

    ledger, today = demo.ledger, datetime.now(UTC)
    opened: dict[tuple[str, str], str] = {}  # (receiver, product) -> request id
    plan = json.loads(REQUESTS.read_text(encoding="utf-8"))["requests"]
    for item in plan:
        deadline = today + timedelta(days=item["dueInDays"])
        moment = min(today, deadline - NOTICE)
        with ledger.sessions() as session:
            if "parent" in item:
                made = forward_request(
                    session,
                    ledger.chain,
                    opened[(item["by"], item["parent"])],
                    by=item["by"],
                    to=item["to"],
                    products=[item["product"]],
                    deadline=deadline,
                    now=moment,
                )
            else:
                made = create_requests(
                    session,
                    ledger.chain,
                    by=item["by"],
                    to=item["to"],
                    products=[item["product"]],
                    deadline=deadline,
                    now=moment,
                )
            opened[(item["to"], item["product"])] = made[0].id
    for item in reversed(plan):  # the deepest tier answers first; a forwarded request must still be open
        request_id = opened[(item["to"], item["product"])]
        with ledger.sessions() as session:
            if item["answer"] == "fulfil":
                current = demo.current(item["product"])["id"]
                fulfil_request(session, ledger.chain, request_id, by=item["to"], declaration=current)
            elif item["answer"] == "reject":
                reject_request(session, request_id, by=item["to"], code=item["code"], message=item["message"])
    with ledger.sessions() as session:
        mine = set(opened.values())
        for requester in sorted({item["by"] for item in plan}):
            views = list_requests(session, requester, box="outbox")
            demo.requests += [_recorded(view) for view in views if view.id in mine]
    status = [r["status"] for r in demo.requests]
    overdue = sum(r["overdue"] for r in demo.requests)
    return (
        f"{len(status)} footprint requests over tiers 1-{max(r['tier'] for r in demo.requests)}: "
        f"{status.count('fulfilled')} fulfilled, {status.count('rejected')} rejected, {status.count('open')} open "
        f"({overdue} overdue)"
    )


def _recorded(view: Any) -> dict[str, Any]:
    """What the summary and the tests need of a request as the ledger shows it now."""
    return {
        "id": view.id,
        "by": view.requester,
        "to": view.receiver,
        "product": view.product_id,
        "tier": view.tier,
        "status": view.status,
        "overdue": view.overdue,
    }
