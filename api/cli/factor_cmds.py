"""`tanji factors import|list|show|anchor`: the emission-factor database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli.common import emit, settings_of

if TYPE_CHECKING:
    from api.compose import Store
    from ledger.service.factor_datasets import StoredDataset, StoredFactor


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the `factors` command group."""
    factors = commands.add_parser("factors", help="emission-factor datasets (sources, hashes, anchors)")
    sub = factors.add_subparsers(dest="sub", required=True)
    load = sub.add_parser("import", parents=[parent], help="import a dataset version from CSV or JSON")
    load.add_argument("file", type=Path, nargs="?", help="the dataset file (omit with --shipped)")
    load.add_argument("--format", choices=("csv", "json"), help="file format (default: from the suffix)")
    load.add_argument("--name", default="", help="dataset name (CSV without a '# name:' line)")
    load.add_argument("--version", default="", help="dataset version (CSV without a '# version:' line)")
    load.add_argument("--shipped", action="store_true", help="import the dataset shipped with Tanji")
    load.add_argument("--anchor", action="store_true", help="anchor the dataset hash on chain after importing")
    load.add_argument("--json", action="store_true")
    load.set_defaults(handler=cmd_import)
    listing = sub.add_parser("list", parents=[parent], help="stored dataset versions and their anchors")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list)
    show = sub.add_parser("show", parents=[parent], help="a factor with its source, by ID or ID@VERSION")
    show.add_argument("ref", metavar="ID[@VERSION]")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)
    anchor = sub.add_parser("anchor", parents=[parent], help="anchor a stored dataset version's hash on chain")
    anchor.add_argument("ref", metavar="NAME@VERSION")
    anchor.add_argument("--json", action="store_true")
    anchor.set_defaults(handler=cmd_anchor)


def cmd_import(args: argparse.Namespace) -> int:
    """Read, check and store a dataset version (and anchor it with --anchor)."""
    from api.compose import open_ledger
    from api.errors import EXIT_USAGE
    from ledger.factors import SHIPPED_DATASET, load_dataset
    from ledger.service.factor_datasets import anchor_dataset, import_dataset

    if (args.file is None) == (not args.shipped):
        print("error: give either a dataset FILE or --shipped", file=sys.stderr)
        return EXIT_USAGE
    path = SHIPPED_DATASET if args.shipped else args.file
    dataset = load_dataset(path, file_format=args.format, name=args.name, version=args.version)
    with _store(args, create=True).sessions() as session:
        stored = import_dataset(session, dataset)
    if args.anchor:
        with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
            stored = anchor_dataset(session, ledger.chain, dataset.ref)
    verb = "imported" if stored.created else "already stored"
    emit(_dataset_dict(stored), as_json=args.json, text=f"{verb} {_dataset_line(stored)}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List the stored dataset versions."""
    from ledger.service.factor_datasets import list_datasets

    with _store(args).sessions() as session:
        found = list_datasets(session)
    text = "\n".join(_dataset_line(d) for d in found) or "no factor datasets stored (tanji factors import FILE)"
    emit([_dataset_dict(d) for d in found], as_json=args.json, text=text)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Show a factor, its source and the dataset version(s) holding it."""
    from ledger.service.factor_datasets import show_factor

    with _store(args).sessions() as session:
        found = show_factor(session, args.ref)
    emit([_factor_dict(f) for f in found], as_json=args.json, text="\n\n".join(_factor_text(f) for f in found))
    return 0


def cmd_anchor(args: argparse.Namespace) -> int:
    """Anchor a stored dataset version."""
    from api.compose import open_ledger
    from ledger.service.factor_datasets import anchor_dataset

    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        stored = anchor_dataset(session, ledger.chain, args.ref)
    emit(_dataset_dict(stored), as_json=args.json, text=f"anchored {_dataset_line(stored)}")
    return 0


def _store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The workspace's store; an import creates the workspace directory, a lookup needs it to exist."""
    from api.compose import open_store
    from chain_tools.errors import WorkspaceMissingError

    settings = settings_of(args)
    if settings.database_url is None and not settings.home.is_dir():
        if not create:
            raise WorkspaceMissingError(f"no workspace at {settings.home}; import a dataset or run `tanji init`")
        settings.home.mkdir(parents=True)
    return open_store(settings)


def _dataset_dict(stored: StoredDataset) -> dict[str, Any]:
    return {
        "name": stored.name,
        "version": stored.version,
        "datasetHash": stored.dataset_hash,
        "factors": stored.factor_count,
        "status": stored.status,
        "anchorRoot": stored.anchor_root,
        "blockNumber": stored.block_number,
        "txHash": stored.tx_hash,
        "metadataUri": stored.metadata_uri or None,
    }


def _dataset_line(stored: StoredDataset) -> str:
    where = f"anchored in block {stored.block_number}" if stored.status == "anchored" else stored.status
    return f"{stored.ref}: {stored.factor_count} factors, hash {stored.dataset_hash}, {where}"


def _factor_dict(found: StoredFactor) -> dict[str, Any]:
    return {**found.factor.as_dict(), "dataset": _dataset_dict(found.dataset)}


def _factor_text(found: StoredFactor) -> str:
    factor, source = found.factor, found.factor.source
    lines = [
        f"{factor.id}@{found.dataset.version}: {factor.as_dict()['value']} {factor.unit_label} "
        f"({factor.gas_basis.value}, {factor.scope.value}, {factor.geography}, {factor.year})",
        f"  {factor.description}" if factor.description else "",
        f"  source: {source.title}; {source.publisher}; {source.number or ''} {source.url or ''} ({source.date})",
        f"  table: {source.table}" if source.table else "",
        f"  read from: {source.retrieved_from}" if source.retrieved_from else "",
        f"  licence: {factor.licence}",
        f"  dataset: {_dataset_line(found.dataset)}",
    ]
    return "\n".join(line for line in lines if line)
