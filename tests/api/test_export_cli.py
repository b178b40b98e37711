"""`tanji export cbam PRODUCT [--json]` is wired to the CBAM service and prints every good, rule and precursor."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rollup_helpers import product

from api.cli import export_cmds
from api.cli.main import build_parser
from ledger.cbam.embedded import cbam_export
from ledger.declarations.extension import CbamData


def cbam(origin: str, direct: str) -> CbamData:
    return CbamData(cn_code="72083900", origin=origin, direct=Decimal(direct), indirect=Decimal("1"))


STEEL = [
    replace(product("eu-slab"), cbam=cbam("DE", "0.3")),
    replace(product("coil", inputs=[("eu-slab", "0.05", "kilogram")]), cbam=cbam("CN", "2")),
]


def test_the_command_is_registered_with_its_options() -> None:
    args = build_parser().parse_args(["export", "cbam", "urn:tanji:coil", "--json"])
    assert args.handler is export_cmds.cmd_export_cbam
    assert (args.product, args.json) == ("urn:tanji:coil", True)


def test_the_text_names_figures_rules_and_precursors() -> None:
    text = export_cmds._text(cbam_export(STEEL, "coil"))
    assert "coil CN 72083900 origin CN (iron and steel): direct 2.000000, indirect not taken into account" in text
    assert "precursor eu-slab 0.050000 t/t: precursor of Union origin" in text
    assert "rule: Annex II good" in text


def test_rollup_offers_the_totals_rules_and_contribution_conventions() -> None:
    args = build_parser().parse_args(
        ["rollup", "urn:tanji:coil", "--totals-rule", "pact-v3-examples", "--contributions", "upstream"]
    )
    assert (args.totals_rule, args.contributions) == ("pact-v3-examples", "upstream")
    assert build_parser().parse_args(["rollup", "urn:tanji:coil"]).totals_rule is None  # the default rule applies
