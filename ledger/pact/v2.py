"""PACT v2 (2.0-2.3) ProductFootprint -> PACT v3, for suppliers whose systems still speak v2.

Every v2 field is either mapped to its v3 counterpart, or dropped with a note appended to ``comment`` (v2
fields v3 no longer has: coverage and completeness DQRs, uncertainty description, biogenic accounting method,
``landManagementGhgEmissions``, which v3 splits into fossil and biogenic parts that v2 does not give). Numbers
are carried over exactly (v2 allows JSON numbers; v3 decimals are strings). The result is validated as v3.

Product amounts (PACT decision record 0036, "Clarify product amount"): v2 values are per *one* ``declaredUnit``
(1.5 kgCO2e per liter of a 12-liter bottle, ``unitaryProductAmount`` 12); v3 values are per declared unit, which
is ``declaredUnitAmount`` x ``declaredUnitOfMeasurement`` (18 kgCO2e per 12 liter). So every per-declared-unit
value (emissions, carbon contents and ``productMassPerDeclaredUnit``) is multiplied by ``unitaryProductAmount``,
exactly, and ``unitaryProductAmount`` becomes ``declaredUnitAmount``.
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from ledger.errors import DeclarationError
from ledger.pact.validate import Violation, validate_product_footprint

TOP_LEVEL_SAME = (
    "id",
    "created",
    "status",
    "validityPeriodStart",
    "validityPeriodEnd",
    "companyName",
    "companyIds",
    "productDescription",
    "productIds",
    "productNameCompany",
    "comment",
    "precedingPfIds",
    "extensions",
)
PCF_RENAMED = {
    "declaredUnit": "declaredUnitOfMeasurement",
    "unitaryProductAmount": "declaredUnitAmount",
    "pCfExcludingBiogenic": "pcfExcludingBiogenicUptake",
    "pCfIncludingBiogenic": "pcfIncludingBiogenicUptake",
    "dLucGhgEmissions": "landUseChangeGhgEmissions",
    "otherBiogenicGhgEmissions": "biogenicNonCO2Emissions",
    "iLucGhgEmissions": "landCarbonLeakage",
    "biogenicCarbonWithdrawal": "biogenicCO2Uptake",
}
PCF_SAME = (
    "productMassPerDeclaredUnit",
    "fossilGhgEmissions",
    "fossilCarbonContent",
    "biogenicCarbonContent",
    "aircraftGhgEmissions",
    "boundaryProcessesDescription",
    "referencePeriodStart",
    "referencePeriodEnd",
    "geographyCountrySubdivision",
    "geographyCountry",
    "geographyRegionOrSubregion",
    "secondaryEmissionFactorSources",
    "exemptedEmissionsPercent",
    "exemptedEmissionsDescription",
    "packagingEmissionsIncluded",
    "packagingGhgEmissions",
    "allocationRulesDescription",
    "primaryDataShare",
    "productOrSectorSpecificRules",
)
STANDARDS = {
    "GHG Protocol Product standard": "GHGP-Product",
    "ISO Standard 14067": "ISO14067",
    "ISO Standard 14044": "ISO14040-44",
    "PAS 2050": "PAS2050",
    "PEF": "PEF",
}
PER_DECLARED_UNIT = (  # v3 names of the values v2 gives per one declaredUnit (multiplied by unitaryProductAmount)
    "pcfExcludingBiogenicUptake",
    "pcfIncludingBiogenicUptake",
    "landUseChangeGhgEmissions",
    "biogenicNonCO2Emissions",
    "landCarbonLeakage",
    "biogenicCO2Uptake",
    "productMassPerDeclaredUnit",
    "fossilGhgEmissions",
    "fossilCarbonContent",
    "biogenicCarbonContent",
    "aircraftGhgEmissions",
    "packagingGhgEmissions",
)
DROPPED = (
    "uncertaintyAssessmentDescription",
    "biogenicAccountingMethodology",
    "landManagementGhgEmissions",
    "characterizationFactors",
    "crossSectoralStandardsUsed",
    "ipccCharacterizationFactorsSources",
    "dqi",
    "assurance",
)


def _text(value: Any) -> Any:
    """Numbers become exact decimal strings; everything else is kept."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return f"{Decimal(str(value)):f}"


def _amount(pcf_in: dict[str, Any]) -> Decimal:
    """The v2 unitaryProductAmount, exact and > 0."""
    raw = pcf_in.get("unitaryProductAmount")
    try:
        amount = Decimal(str(_text(raw)))
    except (InvalidOperation, TypeError):
        amount = Decimal(0)
    if not amount.is_finite() or amount <= 0:
        raise DeclarationError(
            f"the v2 unitaryProductAmount {raw!r} is not a number greater than 0; fix it in the source"
        )
    return amount


def _scaled(value: Any, amount: Decimal, key: str) -> str:
    """`value` (a v2 number, per one declaredUnit) times `amount`, as an exact plain decimal string."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError):
        raise DeclarationError(f"the v2 {key} {value!r} is not a number; fix it in the source") from None
    product = number * amount
    text = f"{product:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def v2_to_v3(footprint: dict[str, Any], *, mass_per_unit: str | None = None) -> tuple[dict[str, Any], list[Violation]]:
    """Convert; return the v3 footprint and its warnings. DeclarationError names what cannot be converted."""
    version = str(footprint.get("specVersion", ""))
    if not version.startswith("2."):
        raise DeclarationError(f"specVersion {version!r} is not PACT v2; only 2.x footprints are converted")
    pcf_in = footprint.get("pcf")
    if not isinstance(pcf_in, dict):
        raise DeclarationError("the v2 footprint has no pcf object")
    notes: list[str] = []
    out: dict[str, Any] = {key: copy.deepcopy(footprint[key]) for key in TOP_LEVEL_SAME if key in footprint}
    out["specVersion"] = "3.0.0"
    if "productCategoryCpc" in footprint:
        out["productClassifications"] = [f"urn:pact:productclassification:un-cpc:{footprint['productCategoryCpc']}"]
    if footprint.get("statusComment"):
        notes.append(f"status comment: {footprint['statusComment']}")
    pcf: dict[str, Any] = {new: _text(pcf_in[old]) for old, new in PCF_RENAMED.items() if old in pcf_in}
    pcf.update({key: _text(pcf_in[key]) for key in PCF_SAME if key in pcf_in})
    if "productMassPerDeclaredUnit" not in pcf:
        if mass_per_unit is not None:
            pcf["productMassPerDeclaredUnit"] = mass_per_unit
        elif pcf.get("declaredUnitOfMeasurement") == "kilogram":
            pcf["productMassPerDeclaredUnit"] = "1"
        else:
            raise DeclarationError(
                f"the v2 footprint (declared unit {pcf.get('declaredUnitOfMeasurement')!r}) gives no "
                "productMassPerDeclaredUnit, which PACT v3 requires; pass --mass-per-unit KG (kg per one "
                f"{pcf.get('declaredUnitOfMeasurement')}, as v2 gives it)"
            )
    amount = _amount(pcf_in)
    for key in PER_DECLARED_UNIT:
        if key in pcf:
            pcf[key] = _scaled(pcf[key], amount, key)
    sources = pcf_in.get("ipccCharacterizationFactorsSources") or [pcf_in.get("characterizationFactors", "AR6")]
    pcf["ipccCharacterizationFactors"] = sorted(set(sources))
    used = pcf_in.get("crossSectoralStandardsUsed") or []
    pcf["crossSectoralStandards"] = sorted({STANDARDS.get(s, s) for s in used}) or ["PACT-2.0"]
    dqi = pcf_in.get("dqi") or {}
    if all(k in dqi for k in ("technologicalDQR", "temporalDQR", "geographicalDQR")):
        pcf["dqi"] = {k: _text(dqi[k]) for k in ("technologicalDQR", "temporalDQR", "geographicalDQR")}
    for key in ("coveragePercent", "completenessDQR", "reliabilityDQR"):
        if key in dqi:
            notes.append(f"v2 dqi.{key} {dqi[key]}")
    assurance = pcf_in.get("assurance") or {}
    if assurance.get("assurance"):
        pcf["verification"] = {
            k: assurance[k]
            for k in ("coverage", "providerName", "completedAt", "standardName", "comments")
            if k in assurance
        }
    for key in ("uncertaintyAssessmentDescription", "biogenicAccountingMethodology"):
        if pcf_in.get(key) not in (None, ""):
            notes.append(f"v2 {key}: {_text(pcf_in[key])}")
    if pcf_in.get("landManagementGhgEmissions") not in (None, ""):
        value = _scaled(_text(pcf_in["landManagementGhgEmissions"]), amount, "landManagementGhgEmissions")
        notes.append(f"v2 landManagementGhgEmissions: {value} kgCO2e per declared unit")
    out["pcf"] = pcf
    if notes:
        out["comment"] = (
            ((out.get("comment") or "") + "\n" if out.get("comment") else "")
            + "Converted from PACT v2; not carried into v3 fields: "
            + "; ".join(notes)
        )
    unknown = sorted(set(pcf_in) - set(PCF_RENAMED) - set(PCF_SAME) - set(DROPPED))
    warnings = [Violation(f"/pcf/{key}", "v2 field not known to the converter; dropped") for key in unknown]
    return out, warnings + validate_product_footprint(out)


# --- v3 -> v2: serving v3 declarations to PACT v2 data recipients ------------------------------------------------
V2_SPEC_VERSION = "2.3.0"
V2_UNITS = ("liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule", "ton kilometer", "square meter")
V2_STANDARDS_USED = {
    "GHGP-Product": "GHG Protocol Product standard",
    "ISO14067": "ISO Standard 14067",
    "ISO14040-44": "ISO Standard 14044",
}
V2_PCF_SAME = (
    "referencePeriodStart",
    "referencePeriodEnd",
    "geographyCountrySubdivision",
    "geographyCountry",
    "geographyRegionOrSubregion",
    "boundaryProcessesDescription",
    "allocationRulesDescription",
    "secondaryEmissionFactorSources",
    "crossSectoralStandards",
)
CPC_URN = "urn:pact:productclassification:un-cpc:"


def _per_one_unit(value: Any, amount: Decimal, key: str) -> str:
    """A v3 value (per declaredUnitAmount units) divided by `amount`: per one v2 declaredUnit, exact when it can be."""
    try:
        number = Decimal(str(value)) / amount
    except (InvalidOperation, TypeError):
        raise DeclarationError(f"the v3 {key} {value!r} is not a decimal") from None
    text = f"{number.normalize():f}" if number != 0 else "0"
    return text


def _number(value: Any, default: float = 0.0) -> float:
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, TypeError):
        return default


def v3_to_v2(footprint: dict[str, Any]) -> dict[str, Any]:
    """A PACT v3 footprint as a v2.3 ProductFootprint (the inverse direction of :func:`v2_to_v3`).

    Per-declared-unit values are divided by ``declaredUnitAmount`` (v2 gives them per one ``declaredUnit``);
    fields v2 requires but v3 does not carry get their neutral value (``comment`` "", ``biogenicCarbonContent``
    "0", ``exemptedEmissionsDescription`` ""), and ``crossSectoralStandardsUsed`` lists the v3 standards v2 can
    name (the GHG Protocol Product standard, on which PACT rests, when none). Extensions are kept as they are.
    DeclarationError when the declared unit has no v2 equivalent (``piece``, ``hour``, ``megabit second``)."""
    pcf_in = footprint.get("pcf")
    if not isinstance(pcf_in, dict):
        raise DeclarationError("the v3 footprint has no pcf object")
    unit = pcf_in.get("declaredUnitOfMeasurement")
    if unit not in V2_UNITS:
        raise DeclarationError(f"declared unit {unit!r} has no PACT v2 equivalent; serve this footprint over /3 only")
    amount = _amount({"unitaryProductAmount": pcf_in.get("declaredUnitAmount", "1")})
    out: dict[str, Any] = {key: copy.deepcopy(footprint[key]) for key in TOP_LEVEL_SAME if key in footprint}
    out["specVersion"] = V2_SPEC_VERSION
    out["version"] = len(footprint.get("precedingPfIds") or []) + 1
    out.setdefault("comment", "")
    out["productNameCompany"] = footprint.get("productNameCompany") or footprint.get("productDescription", "")
    classifications = [str(c) for c in footprint.get("productClassifications") or []]
    if classifications:
        out["productClassifications"] = classifications
    cpc = next((c.removeprefix(CPC_URN) for c in classifications if c.startswith(CPC_URN)), "")
    out["productCategoryCpc"] = cpc
    pcf: dict[str, Any] = {key: copy.deepcopy(pcf_in[key]) for key in V2_PCF_SAME if key in pcf_in}
    pcf["declaredUnit"] = unit
    pcf["unitaryProductAmount"] = str(pcf_in.get("declaredUnitAmount", "1"))
    for new, old in PCF_RENAMED.items():
        if old in pcf_in and new not in ("declaredUnit", "unitaryProductAmount"):
            pcf[new] = _per_one_unit(pcf_in[old], amount, old)
    for key in (
        "productMassPerDeclaredUnit",
        "fossilGhgEmissions",
        "fossilCarbonContent",
        "biogenicCarbonContent",
        "aircraftGhgEmissions",
        "packagingGhgEmissions",
    ):
        if key in pcf_in:
            pcf[key] = _per_one_unit(pcf_in[key], amount, key)
    pcf.setdefault("fossilGhgEmissions", pcf["pCfExcludingBiogenic"])
    pcf.setdefault("biogenicCarbonContent", "0")
    sources = sorted({str(s) for s in pcf_in.get("ipccCharacterizationFactors") or ["AR6"]})
    pcf["ipccCharacterizationFactorsSources"] = sources
    pcf["characterizationFactors"] = "AR6" if "AR6" in sources else "AR5"
    used = sorted({V2_STANDARDS_USED[s] for s in pcf_in.get("crossSectoralStandards") or [] if s in V2_STANDARDS_USED})
    pcf["crossSectoralStandardsUsed"] = used or ["GHG Protocol Product standard"]
    pcf["boundaryProcessesDescription"] = pcf_in.get("boundaryProcessesDescription", "")
    pcf["exemptedEmissionsPercent"] = _number(pcf_in.get("exemptedEmissionsPercent"))
    pcf["exemptedEmissionsDescription"] = pcf_in.get("exemptedEmissionsDescription", "")
    pcf["packagingEmissionsIncluded"] = bool(pcf_in.get("packagingEmissionsIncluded", False))
    if "primaryDataShare" in pcf_in:
        pcf["primaryDataShare"] = _number(pcf_in["primaryDataShare"])
    out["pcf"] = pcf
    return out
