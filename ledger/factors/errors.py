"""Errors of the emission-factor database, each under its kind from `ledger.errors` (so `api.errors` maps them).

InvalidInputError (ledger.errors)
├── FactorFileError                a factor file is malformed: `row` and `column` name where
└── GasBasisError                  a CO2-only factor offered where CO2e is expected, without explicit acceptance
NotFoundError (ledger.errors)
└── FactorDatasetNotFoundError     no stored dataset (or factor) of that name, version or id
ConflictError (ledger.errors)
└── FactorDatasetConflictError     the dataset name and version are already stored with other content
"""

from __future__ import annotations

from ledger.errors import ConflictError, InvalidInputError, NotFoundError


class FactorFileError(InvalidInputError):
    """A factor file is malformed; `row` (CSV line or JSON factor index) and `column` say where."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.row = row
        self.column = column


class GasBasisError(InvalidInputError):
    """A factor in CO2 only (not CO2e) was offered where CO2e is expected and was not explicitly accepted."""


class FactorDatasetNotFoundError(NotFoundError):
    """No stored factor dataset (or factor) matches the name, version or id asked for."""


class FactorDatasetConflictError(ConflictError):
    """A dataset of this name and version is stored already with different content (another hash)."""
