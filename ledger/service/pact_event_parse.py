"""CloudEvents of PACT's Action Events, v3 and v2, checked strictly: a malformed event is refused with a message
naming the field (the route answers 400), before anything is stored.

v3 types: ``org.wbcsd.pact.ProductFootprint.{RequestCreated,RequestFulfilled,RequestRejected,Published}Event.3``;
v2 types: ``org.wbcsd.pathfinder.ProductFootprintRequest.{Created,Fulfilled,Rejected}.v1`` and
``org.wbcsd.pathfinder.ProductFootprint.Published.v1``. A RequestCreated event's criteria are v3's filters in
``data`` (``productId``, ``companyId``, ...) or, as v2 and some v3 clients send them, a footprint fragment in
``data.pf`` (``productIds``, ``companyIds``, ...).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ledger.errors import MalformedEventError
from ledger.pact.filters import FootprintFilter, parse_instant

Kind = Literal["request-created", "request-fulfilled", "request-rejected", "published"]
V3_TYPES: dict[str, Kind] = {
    "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3": "request-created",
    "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3": "request-fulfilled",
    "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3": "request-rejected",
    "org.wbcsd.pact.ProductFootprint.PublishedEvent.3": "published",
}
V2_TYPES: dict[str, Kind] = {
    "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1": "request-created",
    "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1": "request-fulfilled",
    "org.wbcsd.pathfinder.ProductFootprintRequest.Rejected.v1": "request-rejected",
    "org.wbcsd.pathfinder.ProductFootprint.Published.v1": "published",
}
LIST_CRITERIA = ("productId", "companyId", "geography", "classification", "status")
DATE_CRITERIA = ("validOn", "validAfter", "validBefore")
FRAGMENT_KEYS = {"productIds": "productId", "companyIds": "companyId", "productClassifications": "classification"}
MAX_ID = 256


@dataclass(frozen=True)
class PactEvent:
    """A checked event: its kind, CloudEvents attributes and data."""

    spec: int
    kind: Kind
    type: str
    id: str
    source: str
    data: dict[str, Any]

    def criteria(self) -> FootprintFilter:
        """The filters of a RequestCreated event."""
        return request_criteria(self.data)


def _text(event: Mapping[str, Any], name: str, *, limit: int = 2048) -> str:
    value = event.get(name)
    if not isinstance(value, str) or not value.strip():
        raise MalformedEventError(f"event attribute {name!r} must be a non-empty string; got {value!r:.80}")
    if len(value) > limit:
        raise MalformedEventError(f"event attribute {name!r} is longer than {limit} characters")
    return value


def parse_event(body: Any, *, spec: int) -> PactEvent:
    """Check a v`spec` Action Events body; MalformedEventError names the first problem."""
    if not isinstance(body, dict):
        raise MalformedEventError(
            f"the event must be a JSON object (CloudEvents structured mode); got {type(body).__name__}"
        )
    types = V3_TYPES if spec == 3 else V2_TYPES
    event_type = _text(body, "type")
    if event_type not in types:
        raise MalformedEventError(f"event type {event_type!r} is not a PACT v{spec} event; known: {', '.join(types)}")
    if _text(body, "specversion") != "1.0":
        raise MalformedEventError(f'specversion {body["specversion"]!r} is not supported; send "1.0"')
    event_id = _text(body, "id", limit=MAX_ID)
    source = _text(body, "source", limit=512)
    parse_instant(_text(body, "time"), name="time")
    data = body.get("data")
    if not isinstance(data, dict):
        raise MalformedEventError(f"event data must be a JSON object; got {type(data).__name__}")
    kind = types[event_type]
    {
        "request-created": _check_request,
        "request-fulfilled": _check_fulfilled,
        "request-rejected": _check_rejected,
        "published": _check_published,
    }[kind](data)
    return PactEvent(spec, kind, event_type, event_id, source, data)


def request_criteria(data: Mapping[str, Any]) -> FootprintFilter:
    """The filters of a RequestCreated ``data`` (v3 criteria, or a v2 ``pf`` fragment)."""
    criteria: dict[str, Any] = {name: data[name] for name in (*LIST_CRITERIA, *DATE_CRITERIA) if name in data}
    fragment = data.get("pf")
    if isinstance(fragment, dict):
        for key, name in FRAGMENT_KEYS.items():
            if key in fragment:
                criteria.setdefault(name, fragment[key])
        pcf = fragment.get("pcf")
        if isinstance(pcf, dict) and pcf.get("geographyCountry"):
            criteria.setdefault("geography", pcf["geographyCountry"])
    return FootprintFilter.from_mapping(criteria)


def _strings(value: Any, name: str) -> None:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise MalformedEventError(f"data.{name} must be a string or a non-empty list of strings; got {value!r:.80}")


def _check_request(data: dict[str, Any]) -> None:
    for name in LIST_CRITERIA:
        if name in data:
            _strings(data[name], name)
    for name in DATE_CRITERIA:
        if name in data:
            if not isinstance(data[name], str):
                raise MalformedEventError(f"data.{name} must be an RFC 3339 date-time string")
            parse_instant(data[name], name=f"data.{name}")
    fragment = data.get("pf")
    if fragment is not None:
        if not isinstance(fragment, dict):
            raise MalformedEventError("data.pf must be a ProductFootprint fragment (a JSON object)")
        for key in FRAGMENT_KEYS:
            if key in fragment:
                _strings(fragment[key], f"pf.{key}")
    if "comment" in data and not isinstance(data["comment"], str):
        raise MalformedEventError("data.comment must be a string")
    if request_criteria(data) == FootprintFilter():
        raise MalformedEventError(
            "a RequestCreated event needs at least one criterion (data.productId, companyId, geography, "
            "classification, validOn, validAfter, validBefore, status, or a data.pf fragment with productIds)"
        )


def _check_request_id(data: dict[str, Any]) -> None:
    if not isinstance(data.get("requestEventId"), str) or not data["requestEventId"]:
        raise MalformedEventError("data.requestEventId must be the id of the RequestCreated event answered")


def _check_fulfilled(data: dict[str, Any]) -> None:
    _check_request_id(data)
    pfs = data.get("pfs")
    if not isinstance(pfs, list) or not pfs or not all(isinstance(pf, dict) for pf in pfs):
        raise MalformedEventError("data.pfs must be a non-empty list of ProductFootprint objects")


def _check_rejected(data: dict[str, Any]) -> None:
    _check_request_id(data)
    error = data.get("error")
    if (
        not isinstance(error, dict)
        or not isinstance(error.get("code"), str)
        or not isinstance(error.get("message"), str)
    ):
        raise MalformedEventError("data.error must be an object with string code and message")


def _check_published(data: dict[str, Any]) -> None:
    ids = data.get("pfIds")
    if not isinstance(ids, list) or not ids:
        raise MalformedEventError("data.pfIds must be a non-empty list of ProductFootprint ids (UUIDs)")
    for value in ids:
        try:
            uuid.UUID(str(value))
        except ValueError:
            raise MalformedEventError(
                f"data.pfIds holds {value!r:.80}, which is not a UUID: ProductFootprint ids are UUIDs, not URNs"
            ) from None
        if not isinstance(value, str) or len(value) != 36:
            raise MalformedEventError(f"data.pfIds holds {value!r:.80}; write UUIDs in their 36-character form")
