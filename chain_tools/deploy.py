"""Deploy Tanji's contracts and describe where they are."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from chain_tools.gateway import Signer, Web3Gateway
from ledger.organizations import org_id


@dataclass(frozen=True)
class Deployment:
    """Addresses of one Tanji deployment on one chain."""

    chain_id: int
    ledger: str
    attestations: str
    labels: str
    deployed_at_block: int
    operator_org: str

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deployment:
        """Build from :meth:`as_dict` output."""
        return cls(**{key: data[key] for key in cls.__dataclass_fields__})


def deploy_tanji(gateway: Web3Gateway, *, operator: Signer, operator_org: str = "operator") -> Deployment:
    """Deploy TanjiLedger (operator = `operator`), TanjiAttestations bound to it, TanjiLabels bound to both."""
    ledger = gateway.deploy("TanjiLedger", [org_id(operator_org), operator_org], sender=operator)
    assert ledger.contract_address is not None  # deploy() guarantees it
    attestations = gateway.deploy("TanjiAttestations", [ledger.contract_address], sender=operator)
    assert attestations.contract_address is not None
    labels = gateway.deploy("TanjiLabels", [ledger.contract_address, attestations.contract_address], sender=operator)
    assert labels.contract_address is not None
    return Deployment(
        chain_id=gateway.chain_id,
        ledger=ledger.contract_address,
        attestations=attestations.contract_address,
        labels=labels.contract_address,
        deployed_at_block=ledger.block_number,
        operator_org=operator_org,
    )
