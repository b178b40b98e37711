"""What a footprint request and its answer must be: products named, a deadline ahead, a known reason to reject."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from ledger.errors import InvalidFootprintRequestError

OPEN, FULFILLED, REJECTED = "open", "fulfilled", "rejected"
STATUSES = (OPEN, FULFILLED, REJECTED)
# the PACT error codes a RequestRejected event carries (a Tanji rejection is the same answer seen from inside)
REJECTION_CODES = ("AccessDenied", "NotFound", "BadRequest", "NotImplemented")
MAX_PRODUCTS = 64
MAX_TEXT = 2000
MAX_TIER = 32
PRODUCT_ID = re.compile(r"[^\s\x00-\x1f\x7f]{1,512}")


def as_utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (a naive one, as SQLite returns them, is taken to be UTC); a moment whose UTC
    form falls outside years 1-9999 (e.g. 9999-12-31T23:59:59-23:59) is invalid input naming it."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InvalidFootprintRequestError(
            f"date {moment.isoformat()} is out of range in UTC; give a date between years 1 and 9999"
        ) from None


def check_products(products: Iterable[str]) -> tuple[str, ...]:
    """The product ids (material codes or URNs) once each, in the order given; refuses none, too many or bad ones."""
    found: list[str] = []
    for product in products:
        if not isinstance(product, str) or not PRODUCT_ID.fullmatch(product):
            raise InvalidFootprintRequestError(
                f"product id {product!r} is not a product id: give 1 to 512 characters without spaces or control "
                "characters (a material code or a URN such as urn:tanji:acme:coil)"
            )
        if product not in found:
            found.append(product)
    if not found or len(found) > MAX_PRODUCTS:
        raise InvalidFootprintRequestError(
            f"a footprint request names 1 to {MAX_PRODUCTS} products, got {len(found)}; split larger requests"
        )
    return tuple(found)


def check_deadline(deadline: datetime, now: datetime) -> datetime:
    """The deadline in UTC; refuses one that has passed already."""
    if deadline.tzinfo is None:
        raise InvalidFootprintRequestError(
            f"deadline {deadline.isoformat()} has no time zone; give one, e.g. {deadline.isoformat()}Z"
        )
    if as_utc(deadline) <= as_utc(now):
        raise InvalidFootprintRequestError(
            f"deadline {deadline.isoformat()} has passed already (now {as_utc(now).isoformat()}); give a later one"
        )
    return as_utc(deadline)


def check_text(value: str | None, what: str) -> str | None:
    """A note or message: None, or at most MAX_TEXT characters."""
    if value is not None and len(value) > MAX_TEXT:
        raise InvalidFootprintRequestError(f"the {what} has {len(value)} characters; keep it to {MAX_TEXT}")
    return value


def check_rejection(code: str, message: str) -> tuple[str, str]:
    """A rejection: a PACT error code and a message saying why."""
    if code not in REJECTION_CODES:
        raise InvalidFootprintRequestError(
            f"rejection reason {code!r} is not one of: {', '.join(REJECTION_CODES)} (the PACT RequestRejected codes)"
        )
    if not message or not message.strip():
        raise InvalidFootprintRequestError("a rejection says why: give a message with the reason code")
    return code, check_text(message, "rejection message") or message


def check_parties(requester: str, receiver: str) -> None:
    """A request goes to another organization."""
    if requester == receiver:
        raise InvalidFootprintRequestError(
            f"organization {requester!r} cannot request a footprint from itself; name its supplier"
        )


def is_overdue(status: str, deadline: datetime | None, now: datetime) -> bool:
    """Open and past its deadline."""
    return status == OPEN and deadline is not None and as_utc(deadline) < as_utc(now)
