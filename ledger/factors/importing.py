"""Read factor datasets from CSV and JSON files; every error names the row and the column.

CSV: optional leading metadata lines ``# name: ...``, ``# version: ...``, ``# description: ...``, then a header
row of column names (`ledger.factors.fields.COLUMNS`, any order; unknown columns are refused) and one factor per
row. JSON: the normalized document ``{"format": "tanji-factor-dataset/1", "name", "version", "description"?,
"factors": [{"id", "value": "0.5366", "unit", "gasBasis", "scope", "geography", "year", "source": {"title",
"publisher", "date", "number"?, "url"?, "table"?, "retrievedFrom"?}, "licence", "dqr"?, ...}]}``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ledger.canonical import loads_exact
from ledger.errors import DeclarationError, FactorFileError, MalformedJsonError
from ledger.factors.fields import COLUMNS, DQR_COLUMNS, REQUIRED, Where, name_text, parse_factor
from ledger.factors.model import DOCUMENT_FORMAT, Factor, FactorDataset

# flat column -> (JSON object, key in it); None: at the top of the factor object
JSON_KEYS: dict[str, tuple[str | None, str]] = {
    "id": (None, "id"),
    "value": (None, "value"),
    "unit": (None, "unit"),
    "gas_basis": (None, "gasBasis"),
    "scope": (None, "scope"),
    "geography": (None, "geography"),
    "year": (None, "year"),
    "licence": (None, "licence"),
    "description": (None, "description"),
    "product_id": (None, "productId"),
    "component": (None, "component"),
    "source_title": ("source", "title"),
    "source_publisher": ("source", "publisher"),
    "source_date": ("source", "date"),
    "source_number": ("source", "number"),
    "source_url": ("source", "url"),
    "source_table": ("source", "table"),
    "source_retrieved_from": ("source", "retrievedFrom"),
    **{column: ("dqr", key) for column, key in DQR_COLUMNS.items()},
}
METADATA_KEYS = ("name", "version", "description")


def load_dataset(path: Path, *, file_format: str | None = None, name: str = "", version: str = "") -> FactorDataset:
    """Read `path` as CSV or JSON (by `file_format`, else by its suffix); `name`/`version` fill in for CSV."""
    kind = file_format or ("json" if path.suffix.lower() == ".json" else "csv" if path.suffix.lower() == ".csv" else "")
    if kind not in ("csv", "json"):
        raise FactorFileError(f"{path}: cannot tell the format from the suffix {path.suffix!r}; pass --format csv|json")
    text = path.read_bytes().decode("utf-8-sig")
    if kind == "json":
        return parse_json(text, file=str(path))
    return parse_csv(text, file=str(path), name=name, version=version)


def parse_csv(text: str, *, file: str = "CSV", name: str = "", version: str = "") -> FactorDataset:
    """Parse CSV text (see the module docstring)."""
    lines = text.splitlines(keepends=True)
    metadata: dict[str, str] = {}
    skipped = 0
    for line in lines:
        if not line.startswith("#"):
            break
        skipped += 1
        key, _, value = line[1:].partition(":")
        if key.strip() not in METADATA_KEYS:
            raise FactorFileError(
                f"{file}: row {skipped}: metadata line {line.strip()!r} is not '# name|version|description: ...'",
                row=skipped,
            )
        metadata[key.strip()] = value.strip()
    reader = csv.reader(io.StringIO("".join(lines[skipped:])))
    header = [column.strip() for column in next(reader, [])]
    header_row = skipped + 1
    for column in header:
        if column not in COLUMNS:
            raise FactorFileError(
                f"{file}: row {header_row} (header), column {column!r}: unknown column; known: {', '.join(COLUMNS)}",
                row=header_row,
                column=column,
            )
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise FactorFileError(
            f"{file}: row {header_row} (header): missing column(s) {', '.join(missing)}",
            row=header_row,
            column=missing[0],
        )
    factors, rows = [], []
    for cells in reader:
        row = skipped + reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise FactorFileError(
                f"{file}: row {row}: has {len(cells)} cells but the header has {len(header)} columns", row=row
            )
        where = Where(file, row, f"row {row}", lambda column: column)
        factors.append(parse_factor(dict(zip(header, cells, strict=True)), where))
        rows.append(row)
    meta_where = Where(file, 1, "metadata", lambda column: f"# {column}")
    return _dataset(
        name or metadata.get("name", ""),
        version or metadata.get("version", ""),
        metadata.get("description", ""),
        factors,
        [f"row {row}" for row in rows],
        meta_where,
    )


def parse_json(text: str, *, file: str = "JSON") -> FactorDataset:
    """Parse a JSON dataset document (see the module docstring)."""
    try:
        document = loads_exact(text)
    except (DeclarationError, MalformedJsonError) as exc:
        raise FactorFileError(f"{file}: {exc}") from None
    top = Where(file, 0, "document", lambda column: column)
    if not isinstance(document, dict):
        raise FactorFileError(f"{file}: expected a JSON object with name, version and factors")
    if document.get("format", DOCUMENT_FORMAT) != DOCUMENT_FORMAT:
        raise top.fail("format", f"{document.get('format')!r} is not {DOCUMENT_FORMAT!r}")
    unknown = set(document) - {"format", *METADATA_KEYS, "factors"}
    if unknown:
        raise top.fail(sorted(unknown)[0], "unknown key; a dataset has format, name, version, description, factors")
    items = document.get("factors")
    if not isinstance(items, list) or not items:
        raise top.fail("factors", "must be a non-empty list of factor objects")
    factors = []
    for index, item in enumerate(items):
        where = Where(file, index, f"factor {index}", lambda column: _json_name(column))
        factors.append(parse_factor(_flatten(item, where), where))
    text_of = {key: document.get(key) for key in METADATA_KEYS}
    for key, value in text_of.items():
        if value is not None and not isinstance(value, str):
            raise top.fail(key, f"{value!r} is not text")
    return _dataset(
        str(text_of["name"] or ""),
        str(text_of["version"] or ""),
        str(text_of["description"] or ""),
        factors,
        [f"factor {index}" for index in range(len(factors))],
        top,
    )


def _json_name(column: str) -> str:
    parent, key = JSON_KEYS[column]
    return f"{parent}.{key}" if parent else key


def _flatten(item: Any, where: Where) -> dict[str, Any]:
    """The flat record of one JSON factor; unknown keys and non-object `source`/`dqr` are refused."""
    if not isinstance(item, dict):
        raise FactorFileError(f"{where.file}: {where.row_label} is not a JSON object", row=where.row)
    known = {(parent, key) for parent, key in JSON_KEYS.values()}
    for key, value in item.items():
        if key in ("source", "dqr"):
            if not isinstance(value, dict):
                raise FactorFileError(
                    f"{where.file}: {where.row_label}, column {key!r}: must be an object", row=where.row, column=key
                )
            for inner in value:
                if (key, inner) not in known:
                    raise FactorFileError(
                        f"{where.file}: {where.row_label}, column '{key}.{inner}': unknown key",
                        row=where.row,
                        column=f"{key}.{inner}",
                    )
        elif (None, key) not in known:
            raise FactorFileError(
                f"{where.file}: {where.row_label}, column {key!r}: unknown key", row=where.row, column=key
            )
    record = {}
    for column, (parent, key) in JSON_KEYS.items():
        container = item.get(parent, {}) if parent else item
        if key in container:
            record[column] = container[key]
    return record


def _dataset(
    name: str, version: str, description: str, factors: list[Factor], labels: list[str], where: Where
) -> FactorDataset:
    """Check the dataset as a whole: name, version, at least one factor, unique ids (naming both rows)."""
    if not name:
        raise where.fail("name", "the dataset needs a name ('# name: ...' line in CSV, --name, or JSON \"name\")")
    if not version:
        raise where.fail("version", "the dataset needs a version ('# version: ...', --version, or JSON \"version\")")
    name_text(name, where, "name")
    name_text(version, where, "version")
    if not factors:
        raise FactorFileError(f"{where.file}: no factor rows; a dataset needs at least one factor")
    first_seen: dict[str, str] = {}
    for factor, label in zip(factors, labels, strict=True):
        if factor.id in first_seen:
            raise FactorFileError(
                f"{where.file}: {label}, column 'id': {factor.id!r} repeats the id of {first_seen[factor.id]}; "
                "ids are unique within a dataset version",
                column="id",
            )
        first_seen[factor.id] = label
    return FactorDataset(name=name, version=version, factors=tuple(factors), description=description)
