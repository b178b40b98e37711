"""/v1/labels/{serial}: the public check of a carbon label (碳标识) by its printed serial.

Issuing, suspending, reinstating and revoking are transactions the certifier's own wallet signs
(POST /v1/transactions).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.http.deps import RuntimeDep
from api.http.native_reports import LabelCheckPublic
from api.http.native_views import errors
from api.http.routing import new_router
from ledger.service.labels import check_label

router = new_router(prefix="/v1/labels", tags=["labels"])


@router.get(
    "/{serial}",
    name="check_label",
    responses=errors(422),
    summary="A label's status now; only valid may be relied on (public)",
)
def get_label(
    serial: Annotated[str, Path(min_length=1, max_length=128, description="the serial printed on the label")],
    runtime: RuntimeDep,
) -> LabelCheckPublic:
    """Status on chain (Unknown when never issued) and, when this ledger holds it, the declaration verified now."""
    with runtime.sessions() as session:
        found = check_label(session, runtime.store.keyring, runtime.chain, serial)
    return LabelCheckPublic.model_validate(found.as_dict())
