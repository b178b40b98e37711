"""Emission components (PACT v3) carried as separate columns through the roll-up, signs kept.

Quality aggregates ride along as extra linear columns: emissions from primary data, emissions third-party verified
(declarations with a standing positive attestation), and DQR x emissions for each DQR dimension; dividing by the
rolled-up emissions gives the emission-weighted averages PACT asks for and the verified share.
"""

from __future__ import annotations

import numpy as np

COMPONENTS = (
    "fossil",  # fossilGhgEmissions
    "landUseChange",  # landUseChangeGhgEmissions
    "landManagementFossil",  # landManagementFossilGhgEmissions
    "landManagementBiogenicCO2",  # landManagementBiogenicCO2Emissions
    "biogenicNonCO2",  # biogenicNonCO2Emissions
    "biogenicUptake",  # biogenicCO2Uptake (<= 0)
    "landManagementRemovals",  # landManagementBiogenicCO2Removals (<= 0)
    "technologicalRemovals",  # technologicalCO2Removals (<= 0), reported, not netted
    "aircraft",  # aircraftGhgEmissions: a memo item already inside fossil
)
# Gross emissions: the weights of the quality aggregates (primary data share, DQRs). The PACT totals follow a
# named rule instead (ledger.pact.totals, total_weights below), which also nets removals.
EXCLUDING_UPTAKE = ("fossil", "landUseChange", "landManagementFossil", "landManagementBiogenicCO2", "biogenicNonCO2")
INCLUDING_UPTAKE = (*EXCLUDING_UPTAKE, "biogenicUptake", "landManagementRemovals")
QUALITY = (
    "primaryEmissions",
    "technologicalDQRWeighted",
    "geographicalDQRWeighted",
    "temporalDQRWeighted",
    "verifiedEmissions",
)
COLUMNS = (*COMPONENTS, *QUALITY)
INDEX = {name: position for position, name in enumerate(COLUMNS)}
EXCLUDING_COLUMNS = tuple(INDEX[name] for name in EXCLUDING_UPTAKE)
INCLUDING_COLUMNS = tuple(INDEX[name] for name in INCLUDING_UPTAKE)
DEFAULT_SECONDARY_DQR = 3.0  # a secondary factor without its own DQR counts as "fair" (PACT scale 1 best .. 5)

PACT_FIELDS = {  # Tanji component -> PACT v3 CarbonFootprint field
    "fossil": "fossilGhgEmissions",
    "landUseChange": "landUseChangeGhgEmissions",
    "landManagementFossil": "landManagementFossilGhgEmissions",
    "landManagementBiogenicCO2": "landManagementBiogenicCO2Emissions",
    "biogenicNonCO2": "biogenicNonCO2Emissions",
    "biogenicUptake": "biogenicCO2Uptake",
    "landManagementRemovals": "landManagementBiogenicCO2Removals",
    "technologicalRemovals": "technologicalCO2Removals",
    "aircraft": "aircraftGhgEmissions",
}


def total_weights(fields: tuple[str, ...]) -> np.ndarray:
    """A len(COLUMNS) vector with 1 at the components whose PACT field a totals rule sums (ledger.pact.totals);
    fields Tanji carries no component for (ccsTechnologicalCO2Capture) add nothing."""
    weights = np.zeros(len(COLUMNS))
    for component, field in PACT_FIELDS.items():
        if field in fields:
            weights[INDEX[component]] = 1.0
    return weights
