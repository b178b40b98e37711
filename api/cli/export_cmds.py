"""`tanji export cbam PRODUCT`: the EU CBAM figures of a good for its importer."""

from __future__ import annotations

import argparse
from typing import Any

from api.cli.common import emit, settings_of


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the export commands."""
    export = commands.add_parser("export", parents=[parent], help="export figures for a regulator or customer")
    kinds = export.add_subparsers(dest="kind", metavar="KIND", required=True)
    cbam = kinds.add_parser(
        "cbam",
        parents=[parent],
        help="EU CBAM specific embedded emissions (direct, indirect) of a good and its precursors",
    )
    cbam.add_argument("product", help="product id (URN) of a declared good carrying CBAM data")
    cbam.add_argument("--json", action="store_true")
    cbam.set_defaults(handler=cmd_export_cbam)


def cmd_export_cbam(args: argparse.Namespace) -> int:
    """Compute and print the CBAM export."""
    from api.compose import open_ledger
    from ledger.service.cbam_export import export_cbam

    with open_ledger(settings_of(args)) as ledger, ledger.sessions() as session:
        found = export_cbam(session, ledger.keyring, ledger.chain, args.product)
    emit(found.as_dict(), as_json=args.json, text=_text(found))
    return 0


def _figure(value: float | None) -> str:
    return "not taken into account" if value is None else f"{value:.6f}"


def _text(found: Any) -> str:
    lines = [f"CBAM specific embedded emissions of {found.product_id} ({found.unit})"]
    for good in found.goods:
        lines.append(
            f"{good.product_id} CN {good.cn_code} origin {good.origin} ({good.sector}): "
            f"direct {_figure(good.see_direct)}, indirect {_figure(good.see_indirect)}"
        )
        lines += [f"  rule: {rule}" for rule in good.rules]
        for p in good.precursors:
            amount = "" if p.tonnes_per_tonne is None else f" {p.tonnes_per_tonne:.6f} t/t"
            lines.append(f"  precursor {p.product_id}{amount}: {p.rule}")
    return "\n".join(lines)
