"""Read and check the Tanji extension of a ProductFootprint (see ledger.declarations.extension)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ledger.addresses import checksum as to_checksum_address
from ledger.addresses import is_address
from ledger.declarations.extension import (
    _HEX32,
    COMPONENTS,
    DQR_KEYS,
    STANDARDS,
    TANJI_EXTENSION_SCHEMA,
    BomInput,
    CbamData,
    DirectEmission,
    EmissionFactorRef,
    EvidenceDocument,
    TanjiExtension,
    _Reader,
)
from ledger.declarations.identifier_rules import identifier_violations, normalize_identifiers
from ledger.errors import PactValidationError

_SHA256 = re.compile(r"[0-9a-f]{64}")


def find_extension(payload: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    """Return (index, data) of the Tanji extension, or None when the payload has none."""
    for index, extension in enumerate(payload.get("extensions") or []):
        if isinstance(extension, dict) and extension.get("dataSchema") == TANJI_EXTENSION_SCHEMA:
            data = extension.get("data")
            return index, data if isinstance(data, dict) else {}
    return None


def parse_extension(payload: dict[str, Any]) -> TanjiExtension:
    """Parse the Tanji extension; PactValidationError lists every problem (with JSON pointers)."""
    found = find_extension(payload)
    if found is None:
        from ledger.pact.validate import Violation

        raise PactValidationError(
            [
                Violation(
                    "/extensions",
                    f"no Tanji extension (dataSchema {TANJI_EXTENSION_SCHEMA}); "
                    "add one naming the declarant org and address",
                )
            ]
        )
    index, data = found
    r = _Reader(f"/extensions/{index}/data")
    declarant = data.get("declarant") if isinstance(data.get("declarant"), dict) else {}
    if not declarant:
        r.fail("/declarant", 'is required: {"org": ..., "address": "0x..."}')
    org = r.text(declarant, "org", "/declarant") if declarant else None
    address = r.text(declarant, "address", "/declarant") if declarant else None
    if address is not None and not is_address(address):
        r.fail("/declarant/address", f"{address!r} is not an Ethereum address")
        address = None
    bom_items = r.objects(data, "billOfMaterials")
    bom = tuple(_bom_item(r, path, item) for path, item in bom_items)
    co_products = tuple(_co_product(r, path, item) for path, item in r.objects(data, "coProducts"))
    shares = [c.allocation_factor for c in co_products]
    if any(s is not None for s in shares) and (None in shares or sum(s for s in shares if s) >= 1):
        r.fail("/coProducts", "economic allocation needs an allocationFactor on every co-product, summing below 1")
    seen: set[str] = set()
    for (path, _item), parsed in zip(bom_items, bom, strict=True):
        if parsed.product_id in seen:
            r.fail(f"{path}/productId", f"duplicate input {parsed.product_id!r}; merge the quantities into one line")
        seen.add(parsed.product_id)
        if parsed.product_id in payload.get("productIds", []):
            r.fail(
                f"{path}/productId",
                f"{parsed.product_id!r} is this declaration's own product; an input cannot reference itself",
            )
    emissions = tuple(_emission(r, path, item) for path, item in r.objects(data, "directEmissions"))
    factors = tuple(_factor(r, path, item) for path, item in r.objects(data, "emissionFactors"))
    quality = data.get("dataQuality", {})
    dqr = {}
    if isinstance(quality, dict):
        for key in (*DQR_KEYS, "primaryDataShare"):
            value = r.decimal(quality, key, "/dataQuality", "PositiveOrZeroDecimal", required=False)
            if value is not None:
                low, high = (0, 100) if key == "primaryDataShare" else (1, 5)
                if not low <= value <= high:
                    r.fail(f"/dataQuality/{key}", f"{quality[key]!r} is outside {low}..{high}")
                dqr[key] = value
    standards = data.get("standards", [])
    for position, standard in enumerate(standards if isinstance(standards, list) else []):
        if standard not in STANDARDS:
            r.fail(f"/standards/{position}", f"unknown standard {standard!r}; use one of: {', '.join(STANDARDS)}")
    cbam = _cbam(r, data["cbam"]) if "cbam" in data else None
    evidence = tuple(_evidence(r, path, item) for path, item in r.objects(data, "evidence"))
    r.violations.extend(identifier_violations(payload))
    if r.violations:
        raise PactValidationError(r.violations)
    return TanjiExtension(
        declarant_org=str(org),
        declarant_address=to_checksum_address(str(address)),
        bill_of_materials=bom,
        direct_emissions=emissions,
        emission_factors=factors,
        data_quality=dqr,
        standards=tuple(standards),
        co_products=co_products,
        cbam=cbam,
        evidence=evidence,
    )


def _evidence(r: _Reader, path: str, item: dict[str, Any]) -> EvidenceDocument:
    sha256 = r.text(item, "sha256", path) or ""
    if sha256 and not _SHA256.fullmatch(sha256):
        r.fail(f"{path}/sha256", f"{sha256!r} is not a SHA-256 digest (64 lowercase hex digits, no 0x)")
    return EvidenceDocument(name=r.text(item, "name", path) or "", sha256=sha256)


def _cbam(r: _Reader, item: Any) -> CbamData | None:
    if not isinstance(item, dict):
        r.fail("/cbam", f"{item!r} must be an object with cnCode, origin, directEmissions, indirectEmissions")
        return None
    code = (r.text(item, "cnCode", "/cbam") or "").replace(" ", "").replace(".", "")
    if code and not (code.isdigit() and 4 <= len(code) <= 10):
        r.fail("/cbam/cnCode", f'{item["cnCode"]!r} is not a CN code (8 digits, e.g. "7208 39 00")')
    origin = r.text(item, "origin", "/cbam") or ""
    if origin and not (len(origin) == 2 and origin.isalpha() and origin.isupper()):
        r.fail("/cbam/origin", f'{origin!r} is not an ISO 3166-1 alpha-2 country code (e.g. "CN")')
    direct = r.decimal(item, "directEmissions", "/cbam", "PositiveOrZeroDecimal")
    indirect = r.decimal(item, "indirectEmissions", "/cbam", "PositiveOrZeroDecimal")
    if direct is None or indirect is None:
        return None
    return CbamData(cn_code=code, origin=origin, direct=direct, indirect=indirect)


def _bom_item(r: _Reader, path: str, item: dict[str, Any]) -> BomInput:
    product = r.text(item, "productId", path) or ""
    if product and not product.lower().startswith("urn:"):
        r.fail(f"{path}/productId", f"{product!r} is not a URN (e.g. urn:gtin:..., urn:tanji:...)")
    quantity = r.decimal(item, "quantity", path, "PositiveNonZeroDecimal")
    digest = r.text(item, "declarationDigest", path, required=False)
    if digest is not None and not _HEX32.fullmatch(digest):
        r.fail(f"{path}/declarationDigest", f"{digest!r} is not a 0x-prefixed 32-byte hex digest")
    return BomInput(
        product_id=product,
        quantity=quantity if quantity is not None else Decimal(0),
        unit=r.unit(item, "unit", path) or "",
        declaration_id=r.text(item, "declarationId", path, required=False),
        declaration_digest=digest,
        emission_factor_id=r.text(item, "emissionFactorId", path, required=False),
    )


def _co_product(r: _Reader, path: str, item: dict[str, Any]) -> BomInput:
    from dataclasses import replace

    share = r.decimal(item, "allocationFactor", path, "PositiveOrZeroDecimal", required=False)
    if share is not None and share >= 1:
        r.fail(f"{path}/allocationFactor", f"{item['allocationFactor']!r} must be below 1 (a share of the output)")
    return replace(_bom_item(r, path, item), allocation_factor=share)


def _emission(r: _Reader, path: str, item: dict[str, Any]) -> DirectEmission:
    component = r.text(item, "component", path) or ""
    if component and component not in COMPONENTS:
        r.fail(f"{path}/component", f"unknown component {component!r}; use one of: {', '.join(COMPONENTS)}")
    kind = (
        "NegativeOrZeroDecimal"
        if component in ("biogenicUptake", "landManagementRemovals", "technologicalRemovals")
        else "PositiveOrZeroDecimal"
    )
    return DirectEmission(
        source=r.text(item, "source", path) or "",
        component=component,
        amount=r.decimal(item, "amount", path, kind) or Decimal(0),
        activity_amount=r.decimal(item, "activityAmount", path, "PositiveOrZeroDecimal", required=False),
        activity_unit=r.unit(item, "activityUnit", path, required=False),
        emission_factor_id=r.text(item, "emissionFactorId", path, required=False),
    )


def _factor(r: _Reader, path: str, item: dict[str, Any]) -> EmissionFactorRef:
    dataset = r.text(item, "datasetHash", path) or ""
    if dataset and not _HEX32.fullmatch(dataset):
        r.fail(f"{path}/datasetHash", f"{dataset!r} is not a 0x-prefixed 32-byte hex hash of the dataset")
    return EmissionFactorRef(
        id=r.text(item, "id", path) or "",
        version=r.text(item, "version", path) or "",
        source=r.text(item, "source", path) or "",
        dataset_hash=dataset,
    )


def with_declarant(payload: dict[str, Any], org: str | None, address: str) -> dict[str, Any]:
    """Return `payload` whose Tanji extension names the declarant (`org`, `address`), adding what is missing.

    A payload without a Tanji extension gets one; a declarant already named differently is an error.
    """
    import copy

    from ledger.errors import DeclarationError

    result = copy.deepcopy(payload)
    found = find_extension(result)
    if found is None:
        result.setdefault("extensions", []).append(
            {"specVersion": "2.0.0", "dataSchema": TANJI_EXTENSION_SCHEMA, "data": {}}
        )
        found = (len(result["extensions"]) - 1, {})
        result["extensions"][-1]["data"] = found[1]
    data = found[1]
    declarant = data.setdefault("declarant", {})
    named = declarant.get("address")
    if named and str(named).lower() != address.lower():
        raise DeclarationError(
            f"the payload names declarant {named}, but the signing wallet is {address}; "
            "sign with the declarant's own wallet"
        )
    declarant["address"] = to_checksum_address(address)
    if not declarant.get("org"):
        if not org:
            raise DeclarationError("the payload does not name the declaring organization; pass --org ORG")
        declarant["org"] = org
    elif org and declarant["org"] != org:
        raise DeclarationError(f"the payload names organization {declarant['org']!r}, not {org!r}")
    normalize_identifiers(result)
    return result
