"""Validate a PACT v3 ProductFootprint: the OpenAPI schema, strict decimals and PACT's SHALL/MUST rules.

Every violation carries its JSON pointer and a message that names the offending value; nothing is coerced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ledger.errors import PactValidationError
from ledger.pact.decimals import SIGN_RULES, decimal_problem, exact_decimal

SCHEMA_PATH = Path(__file__).with_name("productfootprint_v3.schema.json")


@dataclass(frozen=True)
class Violation:
    """One problem in a payload: where (JSON pointer) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


@cache
def schema() -> dict[str, Any]:
    """The committed JSON Schema of a ProductFootprint (generated from the PACT OpenAPI file)."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema(), validate_formats=True)


def pointer(parts: list[str | int] | tuple[str | int, ...]) -> str:
    """Return the JSON pointer of a path."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def validate_product_footprint(payload: Any) -> list[Violation]:
    """Raise PactValidationError listing every violation; return warnings (kept but worth fixing)."""
    if not isinstance(payload, dict):
        raise PactValidationError([Violation("", f"a ProductFootprint is a JSON object, got {type(payload).__name__}")])
    violations = _decimal_violations(payload)
    decimal_paths = {v.path for v in violations}
    for error in _validator().iter_errors(payload):
        path = pointer(list(error.instance_path))
        if path in decimal_paths or any(path.startswith(p + "/") for p in decimal_paths):
            continue
        violations.append(Violation(path, _friendly(error)))
    violations += _rule_violations(payload)
    if violations:
        raise PactValidationError(sorted(set(violations), key=lambda v: (v.path, v.message)))
    return _warnings(payload)


def _friendly(error: Any) -> str:
    message = str(error.message)
    if isinstance(error.instance, float):
        return f"{error.instance!r} is a JSON number where a string is required; quote it (PACT decimals are strings)"
    return message


@cache
def _decimal_kinds(definition: str) -> dict[str, str]:
    properties = schema()["$defs"][definition]["properties"]
    kinds = {}
    for name, node in properties.items():
        ref = str(node.get("$ref", "")).removeprefix("#/$defs/")
        if ref in SIGN_RULES:
            kinds[name] = ref
    return kinds


def _decimal_violations(payload: dict[str, Any]) -> list[Violation]:
    found = []
    pcf = payload.get("pcf")
    if isinstance(pcf, dict):
        for key, kind in _decimal_kinds("CarbonFootprint").items():
            if key in pcf and (problem := decimal_problem(pcf[key], kind)):
                found.append(Violation(pointer(["pcf", key]), problem))
        dqi = pcf.get("dqi")
        if isinstance(dqi, dict):
            for key, kind in _decimal_kinds("DataQualityIndicators").items():
                if key in dqi and (problem := decimal_problem(dqi[key], kind)):
                    found.append(Violation(pointer(["pcf", "dqi", key]), problem))
    return found


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _rule_violations(payload: dict[str, Any]) -> list[Violation]:
    found = []
    for start_key, end_key, where in (
        ("validityPeriodStart", "validityPeriodEnd", payload),
        ("referencePeriodStart", "referencePeriodEnd", payload.get("pcf") or {}),
    ):
        start, end = _parse_time(where.get(start_key)), _parse_time(where.get(end_key))
        if start and end and end <= start:
            prefix = "/pcf" if where is not payload else ""
            found.append(
                Violation(f"{prefix}/{end_key}", f"{where[end_key]!r} is not after {start_key} {where[start_key]!r}")
            )
    pcf = payload.get("pcf")
    if not isinstance(pcf, dict):
        return found
    if "packagingGhgEmissions" in pcf and pcf.get("packagingEmissionsIncluded") is not True:
        state = "false" if pcf.get("packagingEmissionsIncluded") is False else "undefined"
        found.append(
            Violation(
                "/pcf/packagingGhgEmissions",
                f"is given while packagingEmissionsIncluded is {state}; "
                "PACT requires packagingEmissionsIncluded=true then",
            )
        )
    for path, low, high in (("primaryDataShare", 0, 100), ("exemptedEmissionsPercent", 0, 100)):
        value = _decimal_or_none(pcf.get(path))
        if value is not None and not low <= value <= high:
            found.append(Violation(f"/pcf/{path}", f"{pcf[path]!r} is outside {low}..{high} (a percentage)"))
    dqi = pcf.get("dqi")
    if isinstance(dqi, dict):
        for key, raw in dqi.items():
            value = _decimal_or_none(raw)
            if value is not None and not 1 <= value <= 5:
                found.append(Violation(f"/pcf/dqi/{key}", f"{raw!r} is outside the DQR range 1..5"))
    return found


def _decimal_or_none(value: Any) -> Decimal | None:
    return exact_decimal(value)


@cache
def _carbon_footprint_properties() -> frozenset[str]:
    return frozenset(schema()["$defs"]["CarbonFootprint"]["properties"])


def _warnings(payload: dict[str, Any]) -> list[Violation]:
    from ledger.pact.totals import check_totals

    known = _carbon_footprint_properties()
    pcf = payload.get("pcf", {})
    return [
        Violation(f"/pcf/{key}", "is not a PACT v3 CarbonFootprint property; recipients may ignore it")
        for key in sorted(set(pcf) - known)
    ] + [Violation(f"/pcf/{m.field}", m.message()) for m in check_totals(pcf)]
