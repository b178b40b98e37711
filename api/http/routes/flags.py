"""/v1/flags: anomaly flags against false and inflated claims (虚标滥标), for chain leaders, auditors and regulators.

A regulator sees every flag; a chain leader or an auditor the flags of declarations it may read in full (its own
supply chain: own and granted declarations; an auditor's assigned ones). Flags never block anything.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query

from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.native_views import errors, viewer_of
from api.http.routing import new_router
from api.http.schemas import CamelModel
from ledger.service.anomaly_flags import scan_flags

router = new_router(prefix="/v1/flags", tags=["flags"])


class FlagPublic(CamelModel):
    """One anomaly: code, severity, why, and the values compared."""

    code: str
    severity: Literal["info", "warning", "critical"]
    reason: str
    declaration_id: str
    product_id: str
    organization: str
    evidence: dict[str, Any]


class FlagList(CamelModel):
    """The flags the caller may see."""

    items: list[FlagPublic]


@router.get("", name="list_flags", responses=errors(403), summary="Anomaly flags (chain leaders, auditors, regulators)")
def list_flags(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    product: Annotated[str | None, Query(max_length=512, description="only flags on this product id")] = None,
) -> FlagList:
    """Flags with reasons and evidence, by product and declaration."""
    with runtime.sessions() as session:
        found = scan_flags(session, runtime.store.keyring, runtime.chain, viewer_of(principal), product_id=product)
    return FlagList(items=[FlagPublic.model_validate(item.as_dict()) for item in found])
