"""/v1/claims/check: a bank's green-finance claim check (the declarant may check its own claims too).

Any signed-in organization may ask; what the answer rests on is what the declarant disclosed to the caller
(ledger.service.visibility), so a metric on an undisclosed field is "cannot be determined: not disclosed" and its
value is in neither the answer nor the evidence. The evidence bundles are proof bundles cut to the caller: verify
them with POST /v1/verifications or offline with `tanji verify BUNDLE --rpc-url URL`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body

from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.native_views import errors, viewer_of
from api.http.routing import new_router
from api.http.schemas import CamelModel
from ledger.claims.model import parse_claim
from ledger.service.claim_check import check_claim

router = new_router(prefix="/v1/claims", tags=["claims"])
Outcome = Literal["holds", "does_not_hold", "cannot_be_determined"]
CLAIM_EXAMPLE = {
    "subject": {"productId": "urn:tanji:acme:coil"},
    "metric": "footprint_per_declared_unit",
    "comparison": "<=",
    "threshold": "2.5",
    "asOf": "2027-03-31",
    "requiredAssurance": "limited",
}


class ProductVerdictPublic(CamelModel):
    """The verdict for one product of the subject; `value` only when the caller may see it."""

    product_id: str
    outcome: Outcome
    reasons: list[str]
    declaration_id: str | None
    value: str | None


class ClaimCheckPublic(CamelModel):
    """The verdict on a claim, why, and the evidence bundles (one per product with a current declaration)."""

    type: str
    claim: dict[str, Any]
    outcome: Outcome
    reasons: list[str]
    products: list[ProductVerdictPublic]
    evidence: list[dict[str, Any]]


@router.post(
    "/check",
    name="check_claim",
    responses=errors(404, 422),
    summary="Does a claim hold, as of its date, on what was disclosed to the caller? (signed-in organizations)",
)
def post_claim_check(
    claim: Annotated[dict[str, Any], Body(examples=[CLAIM_EXAMPLE])], principal: CurrentPrincipal, runtime: RuntimeDep
) -> ClaimCheckPublic:
    """holds / does_not_hold / cannot_be_determined with the reasons, and evidence the caller verifies offline."""
    parsed = parse_claim(claim)
    with runtime.sessions() as session:
        result = check_claim(
            session, runtime.store.keyring, runtime.chain, runtime.chain.trust_anchors, parsed, viewer_of(principal)
        )
    return ClaimCheckPublic.model_validate(result.as_dict())
