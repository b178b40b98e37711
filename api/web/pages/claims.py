"""The bank's claim checker (绿色金融声明核验): does a claim hold, as of its date, on what the declarant disclosed to
the signed-in organization? The same use case as POST /v1/claims/check; the evidence bundle downloads as JSON and
verifies offline (`tanji verify`)."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from api.web.site import Page, page_route
from ledger.claims.model import Comparison, Metric, RequiredAssurance, parse_claim
from ledger.service.claim_check import ClaimCheck, check_claim
from ledger.service.visibility import Viewer

SUBJECTS = ("productId", "organization")


def claim_form(page: Page) -> dict[str, Any]:
    """The claim's JSON form from the page's form fields (parse_claim names any bad field and value)."""
    form = page.form
    subject = form.get("subject_kind", "productId")
    data: dict[str, Any] = {
        "subject": {subject if subject in SUBJECTS else "productId": form.get("subject", "").strip()},
        "metric": form.get("metric", ""),
        "comparison": form.get("comparison", ""),
        "threshold": form.get("threshold", "").strip(),
        "asOf": form.get("as_of", "").strip(),
        "requiredAssurance": form.get("assurance", "none"),
    }
    return data


def run_check(page: Page) -> ClaimCheck:
    """Judge the form's claim for the signed-in organization."""
    claim = parse_claim(claim_form(page))
    principal = page.signed_in()
    runtime = page.runtime
    with runtime.sessions() as session:
        return check_claim(
            session,
            runtime.store.keyring,
            runtime.chain,
            runtime.chain.trust_anchors,
            claim,
            Viewer(principal.org_handle, principal.roles),
        )


def claims_page(page: Page, result: dict[str, Any] | None = None) -> Response:
    """The form, and the verdict when one was asked."""
    return page.render(
        "claims.html",
        subjects=SUBJECTS,
        metrics=[item.value for item in Metric],
        comparisons=[item.value for item in Comparison],
        assurances=[item.value for item in RequiredAssurance],
        form=page.form,
        result=result,
    )


def claim_checker(page: Page) -> Response:
    """The empty form."""
    return claims_page(page)


def claim_check(page: Page) -> Response:
    """``step=check``: the verdict on the page; ``step=evidence``: the whole answer as a JSON download."""
    found = run_check(page).as_dict()
    if page.form.get("step") == "evidence":
        body = json.dumps(found, indent=2, ensure_ascii=False, default=str)
        headers = {"Content-Disposition": 'attachment; filename="claim-check.json"', "Cache-Control": "no-store"}
        return Response(body, media_type="application/json", headers=headers)
    return claims_page(page, found)


def routes() -> list[Route]:
    """The claim checker."""
    return [
        page_route("/claims", "claim_checker", claim_checker),
        page_route("/claims", "claim_check", claim_check, ("POST",)),
    ]
