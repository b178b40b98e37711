"""`tanji label qr|impacted|catalogue|benchmark ...`: QR codes of the verification URL, products to re-evaluate when a
label falls, the certification catalogue and category benchmarks (thresholds -> grade/score)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli.common import emit, settings_of

if TYPE_CHECKING:
    from api.compose import Store


def register(label: Any, parent: argparse.ArgumentParser) -> None:
    """Add the label tools under `tanji label`."""
    qr = label.add_parser("qr", parents=[parent], help="QR code (PNG or SVG) of a label's public verification URL")
    qr.add_argument("serial")
    qr.add_argument("--format", choices=("png", "svg"), default="svg")
    qr.add_argument("-o", "--output", type=Path, required=True)
    qr.set_defaults(handler=cmd_qr)
    impacted = label.add_parser(
        "impacted", parents=[parent], help="products whose footprints use a label's declaration (re-evaluate if fallen)"
    )
    impacted.add_argument("serial")
    impacted.add_argument("--json", action="store_true")
    impacted.set_defaults(handler=cmd_impacted)
    catalogue = label.add_parser("catalogue", parents=[parent], help="the certification catalogue (categories)")
    catalogue.add_argument("--json", action="store_true")
    catalogue.set_defaults(handler=cmd_catalogue)
    benchmark = label.add_parser("benchmark", help="category benchmarks").add_subparsers(dest="verb", required=True)
    load = benchmark.add_parser("import", parents=[parent], help="import a benchmark version (JSON or CSV)")
    load.add_argument("file", type=Path)
    load.add_argument("--format", choices=("json", "csv"), help="default: from the file's extension")
    load.set_defaults(handler=cmd_benchmark_import)
    listing = benchmark.add_parser("list", parents=[parent], help="stored benchmark versions")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_benchmark_list)
    show = benchmark.add_parser("show", parents=[parent], help="one benchmark version's bands and source")
    show.add_argument("category")
    show.add_argument("--version", dest="benchmark_version", help="default: the newest imported")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_benchmark_show)


def cmd_qr(args: argparse.Namespace) -> int:
    """Write the QR code of the label's verification URL."""
    from api.label_qr import qr_bytes, verification_base, verification_url

    url = verification_url(verification_base(settings_of(args)), args.serial)
    args.output.write_bytes(qr_bytes(url, args.format))
    print(f"wrote {args.format.upper()} QR code of {url} to {args.output}")
    return 0


def cmd_impacted(args: argparse.Namespace) -> int:
    """List the products downstream of the label's declaration."""
    from api.compose import open_ledger
    from ledger.service.label_impact import label_impact

    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        impact = label_impact(session, ledger.keyring, ledger.chain, args.serial)
    data = impact.as_dict()
    head = f"label {args.serial} ({impact.status.text}) on {impact.product_id} declaration {impact.declaration_id}: "
    head += (
        f"{len(impact.products)} product(s) need re-evaluation ({data['reason']})"
        if impact.flagged
        else f"{len(impact.products)} downstream product(s); the label stands, nothing to re-evaluate"
    )
    lines = [head] + [
        f"  {p.product_id} (declaration {p.declaration_id}) {'uses' if p.direct else 'via'} {p.via}"
        for p in impact.products
    ]
    emit(data, as_json=args.json, text="\n".join(lines))
    return 1 if impact.flagged and impact.products else 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    """Print the certification catalogue."""
    from ledger.labels.catalogue import CATALOGUE, CATALOGUE_SOURCE

    rows = [vars(category) for category in CATALOGUE.values()]
    lines = [f"{c.code}  {c.name_zh}  ({c.name_en})" for c in CATALOGUE.values()] + [f"source: {CATALOGUE_SOURCE}"]
    emit({"source": CATALOGUE_SOURCE, "categories": rows}, as_json=args.json, text="\n".join(lines))
    return 0


def cmd_benchmark_import(args: argparse.Namespace) -> int:
    """Import a benchmark version."""
    from ledger.service.label_benchmarks import import_benchmark

    fmt = args.format or args.file.suffix.lstrip(".").lower()
    text = args.file.read_text(encoding="utf-8")
    with _store(args).sessions() as session:
        done = import_benchmark(session, text, fmt=fmt)
    b = done.benchmark
    state = "imported" if done.new else "already stored"
    print(f"{state}: benchmark {b.category} {b.version}, {len(b.bands)} bands per {b.unit} ({done.content_hash})")
    return 0


def cmd_benchmark_list(args: argparse.Namespace) -> int:
    """List stored benchmark versions."""
    from ledger.storage.label_store import list_benchmarks

    with _store(args).sessions() as session:
        rows = [
            {"category": r.category, "version": r.version, "contentHash": r.content_hash}
            for r in list_benchmarks(session)
        ]
    text = "\n".join(f"{r['category']} {r['version']} {r['contentHash']}" for r in rows) or "no benchmarks stored"
    emit(rows, as_json=args.json, text=text)
    return 0


def cmd_benchmark_show(args: argparse.Namespace) -> int:
    """Show one benchmark version."""
    from ledger.service.label_benchmarks import show_benchmark

    with _store(args).sessions() as session:
        benchmark = show_benchmark(session, category=args.category, version=args.benchmark_version)
    document = benchmark.document()
    lines = [f"{benchmark.category} {benchmark.version} (kgCO2e per {benchmark.unit}); source: {benchmark.source}"]
    lines += [
        f"  [{band['lower']}, {band['upper'] or '∞'}) -> {band['grade']}"
        + (f" (score {band['score']})" if band["score"] else "")
        for band in document["bands"]
    ]
    emit(document, as_json=args.json, text="\n".join(lines))
    return 0


def _store(args: argparse.Namespace) -> Store:
    """The workspace's store (benchmarks need no chain); a missing workspace is named."""
    from api.compose import open_store
    from chain_tools.errors import WorkspaceMissingError

    settings = settings_of(args)
    if settings.database_url is None and not settings.home.is_dir():
        raise WorkspaceMissingError(f"no workspace at {settings.home}; run `tanji init` first")
    return open_store(settings)
