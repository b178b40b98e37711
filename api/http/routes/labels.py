"""/v1/labels/{serial}: the public check of a carbon label (碳标识) by its printed serial, its machine-readable status
and QR codes of its public verification URL.

Issuing, suspending, reinstating and revoking are transactions the certifier's own wallet signs
(POST /v1/transactions); a label issued that way has its terms recorded with PUT /v1/labels/{serial}/terms.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Path, Response

from api.http.deps import RuntimeDep
from api.http.native_reports import LabelCheckPublic, LabelStatusPublic
from api.http.native_views import errors
from api.http.routing import new_router
from api.label_qr import qr_bytes, verification_url
from ledger.service.label_check import check_label
from ledger.service.label_terms_record import record_label_terms

router = new_router(prefix="/v1/labels", tags=["labels"])
Serial = Annotated[str, Path(min_length=1, max_length=128, description="the serial printed on the label")]
QR_MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


@router.get(
    "/{serial}",
    name="check_label",
    responses=errors(422),
    summary="A label's status now, its verified terms and its declaration; only valid may be relied on (public)",
)
def get_label(serial: Serial, runtime: RuntimeDep) -> LabelCheckPublic:
    """Status on chain (Unknown when never issued), stored terms proved against the chain's terms hash and, when this
    ledger holds it, the declaration verified now."""
    with runtime.sessions() as session:
        found = check_label(session, runtime.store.keyring, runtime.chain, serial)
    return LabelCheckPublic.model_validate(found.as_dict())


@router.get(
    "/{serial}/status",
    name="label_status",
    responses=errors(422),
    summary="Machine-readable status: valid or not and why, kind, value, unit, grade, validity, anchor (public)",
)
def get_label_status(serial: Serial, runtime: RuntimeDep) -> LabelStatusPublic:
    """The label's status without re-verifying its declaration (cheap enough for every scan of its QR code)."""
    with runtime.sessions() as session:
        found = check_label(session, runtime.store.keyring, runtime.chain, serial, verify_declaration=False)
    return LabelStatusPublic.model_validate(found.as_dict())


@router.put(
    "/{serial}/terms",
    name="record_label_terms",
    responses=errors(403, 404, 422),
    summary="Store the terms of a label issued by a relayed transaction; they must hash to its terms hash (certifier)",
)
def put_label_terms(
    serial: Serial,
    terms: Annotated[dict[str, Any], Body(description="the terms JSON the termsHash was computed over")],
    runtime: RuntimeDep,
) -> LabelStatusPublic:
    """Checked against the chain's terms hash, grade and validity, and by the same rules as a label issued here (value
    against the declaration's footprint, grade against the category benchmark); the same terms again are a no-op."""
    with runtime.sessions() as session:
        record_label_terms(session, runtime.store.keyring, runtime.chain, serial, terms)
        found = check_label(session, runtime.store.keyring, runtime.chain, serial, verify_declaration=False)
    return LabelStatusPublic.model_validate(found.as_dict())


def _qr(serial: str, runtime: RuntimeDep, fmt: str) -> Response:
    settings = runtime.settings
    url = verification_url(settings.label_verify_base or settings.public_url, serial)
    return Response(qr_bytes(url, fmt), media_type=QR_MEDIA_TYPES[fmt], headers={"Cache-Control": "max-age=86400"})


@router.get(
    "/{serial}/qr.svg",
    name="label_qr_svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}}, **errors(422)},
    summary="QR code (SVG) of the label's public verification URL (public)",
)
def get_label_qr_svg(serial: Serial, runtime: RuntimeDep) -> Response:
    """Encodes ``{TANJI_LABEL_VERIFY_BASE or TANJI_PUBLIC_URL}/labels/{serial}``."""
    return _qr(serial, runtime, "svg")


@router.get(
    "/{serial}/qr.png",
    name="label_qr_png",
    response_class=Response,
    responses={200: {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}, **errors(422)},
    summary="QR code (PNG) of the label's public verification URL (public)",
)
def get_label_qr_png(serial: Serial, runtime: RuntimeDep) -> Response:
    """Encodes ``{TANJI_LABEL_VERIFY_BASE or TANJI_PUBLIC_URL}/labels/{serial}``."""
    return _qr(serial, runtime, "png")
