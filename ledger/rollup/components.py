"""Emission components (PACT v3) carried as separate columns through the roll-up, signs kept.

Quality aggregates ride along as extra linear columns: emissions from primary data, and DQR x emissions for each
DQR dimension; dividing by the rolled-up emissions gives the emission-weighted averages PACT asks for.
"""

from __future__ import annotations

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
EXCLUDING_UPTAKE = ("fossil", "landUseChange", "landManagementFossil", "landManagementBiogenicCO2", "biogenicNonCO2")
INCLUDING_UPTAKE = (*EXCLUDING_UPTAKE, "biogenicUptake", "landManagementRemovals")
QUALITY = ("primaryEmissions", "technologicalDQRWeighted", "geographicalDQRWeighted", "temporalDQRWeighted")
COLUMNS = (*COMPONENTS, *QUALITY)
INDEX = {name: position for position, name in enumerate(COLUMNS)}
EXCLUDING_COLUMNS = tuple(INDEX[name] for name in EXCLUDING_UPTAKE)
INCLUDING_COLUMNS = tuple(INDEX[name] for name in INCLUDING_UPTAKE)
DEFAULT_SECONDARY_DQR = 3.0  # a secondary factor without its own DQR counts as "fair" (PACT scale 1 best .. 5)
