"""`tanji demo --no-serve` on a fresh home: the organizations, declarations and labels it seeds, every number the
engine's (the pack's signed total is recomputed here by hand from the activity data and the shipped factors),
every signature from the declaring organization's own wallet, and every declaration verifying as expected."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from api.cli.main import main
from api.demo.plan import EXAMPLES, load_plan
from ledger.factors.model import UNITS
from ledger.factors.shipped import load_shipped_dataset

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeded(workspace_templates: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One demo run on a copy of a freshly initialised workspace (conftest's session template): its home, exit
    code, output and state."""
    root = tmp_path_factory.mktemp("demo")
    workspace_templates.copy_into(
        "initialised", lambda where, cli: cli.ok("init", "--home", str(where / "tanji")), root
    )
    home = root / "tanji"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--home", str(home), "demo", "--no-serve"])
    state = json.loads((home / "demo" / "state.json").read_text(encoding="utf-8"))
    return {"home": home, "code": code, "output": out.getvalue(), "state": state}


def test_demo_seeds_the_battery_chain_with_its_organizations_and_declarations(seeded: dict[str, Any]) -> None:
    assert seeded["code"] == 0, seeded["output"]
    state = seeded["state"]
    organizations = {o["org"]: o for o in state["organizations"]}
    assert len(organizations) >= 7
    assert {"chain-leader", "auditor", "certifier", "regulator"} <= {
        r for o in organizations.values() for r in o["roles"]
    }
    assert len({o["address"] for o in organizations.values()}) == len(organizations)  # a wallet each
    assert len(state["declarations"]) >= 30
    assert len({d["org"] for d in state["declarations"]}) >= 4
    total = len(state["declarations"])
    assert f"declarations {total} (" in seeded["output"]
    assert f"verification: {total} of {total} as expected" in seeded["output"]


def test_every_declaration_is_signed_by_its_own_organizations_wallet(seeded: dict[str, Any]) -> None:
    from api.compose import open_store
    from api.settings import Settings
    from ledger.storage import repository

    addresses = {o["org"]: o["address"].lower() for o in seeded["state"]["organizations"]}
    store = open_store(Settings(home=seeded["home"]))
    with store.sessions() as session:
        for item in seeded["state"]["declarations"]:
            row = repository.require_declaration(session=session, key=item["id"])
            assert row.org_handle == item["org"]
            assert row.declarant.lower() == addresses[item["org"]], item


def test_every_declaration_verifies_as_the_story_says(seeded: dict[str, Any]) -> None:
    from api.demo.summary import verify_all
    from api.settings import Settings

    state = seeded["state"]
    assert verify_all(Settings(home=seeded["home"]), state) == []
    expected = [d["expected"] for d in state["declarations"]]
    assert expected.count("revoked") == 1 and expected.count("valid") == len(
        {d["product"] for d in state["declarations"]}
    )
    revoked = next(d for d in state["declarations"] if d["expected"] == "revoked")
    assert "data error" in revoked["reason"]
    successor = next(d for d in state["declarations"] if d["kind"] == "correction")
    assert successor["product"] == revoked["product"]
    assert Decimal(revoked["pcf"]) > 2 * Decimal(successor["pcf"])  # the mistaken version jumped


def test_verification_names_a_declaration_whose_status_differs_from_the_story(seeded: dict[str, Any]) -> None:
    from api.demo.summary import verify_all
    from api.settings import Settings

    state = json.loads(json.dumps(seeded["state"]))
    revoked = next(d for d in state["declarations"] if d["expected"] == "revoked")
    revoked["expected"] = "valid"  # a story that says the revoked version still holds
    problems = verify_all(Settings(home=seeded["home"]), state)
    assert len(problems) == 1 and revoked["id"] in problems[0] and "revoked" in problems[0].lower()


def hand_footprints() -> dict[str, Decimal]:
    """Each product's cradle-to-gate footprint by fixed-point iteration over the plan's activity data and the
    shipped factors (no Tanji engine): P = own + sum(quantity * P(input)); the recycling loop converges."""
    plan, dataset = load_plan(), load_shipped_dataset()
    factor = {}
    for product_id, factor_id in plan.bindings.items():
        found = dataset.factor(factor_id)
        assert found is not None
        factor[product_id] = found.value / UNITS[found.unit][2]
    own = {p.product_id: sum((Decimal(a) for _, a in p.direct), Decimal(0)) for p in plan.products}
    values = dict.fromkeys(own, Decimal(0))
    for _ in range(60):
        values = {
            p.product_id: own[p.product_id]
            + sum((Decimal(q) * factor.get(i, values.get(i, Decimal(0))) for i, q in p.inputs.items()), Decimal(0))
            for p in plan.products
        }
    return values


def test_the_signed_pack_total_equals_a_hand_recomputation(seeded: dict[str, Any]) -> None:
    from api.compose import open_store
    from api.settings import Settings
    from ledger.service.audit import current_row
    from ledger.service.supply_chain import stored_payload

    expected = hand_footprints()
    store = open_store(Settings(home=seeded["home"]))
    with store.sessions() as session:
        for product_id in (seeded["state"]["pack"], "urn:tanji:donghai-cells:ncm811-cell"):
            row = current_row(session, product_id)
            assert row is not None
            claimed = Decimal(stored_payload(session, store.keyring, row)["pcf"]["pcfExcludingBiogenicUptake"])
            assert abs(claimed - expected[product_id]) < Decimal("0.00001"), (product_id, claimed)
    pack_line = f"{float(expected[seeded['state']['pack']]):.3f} kgCO2e per pack"
    assert pack_line in seeded["output"]


def test_labels_and_attestations_are_read_back_from_the_chain(seeded: dict[str, Any]) -> None:
    output = seeded["output"]
    assert "TJ-2026-PACK-0001 valid" in output and "TJ-2026-CELL-0001 valid" in output
    assert "TJ-2026-MODULE-0001 suspended" in output
    assert "ev-battery-pack verified" in output


def test_the_bank_claims_and_the_flags_follow_from_the_data(seeded: dict[str, Any]) -> None:
    state = seeded["state"]
    outcomes = [c["outcome"] for c in state["claims"]]
    assert outcomes[:2] == ["holds", "does_not_hold"]  # 4.5 t cap holds, 4.0 t cap does not (hand total ~4.3 t)
    assert Decimal(4000) < hand_footprints()[state["pack"]] <= Decimal(4500)
    assert all(Path(c["evidence"]).is_file() for c in state["claims"])
    mistake = next(d for d in state["declarations"] if d["kind"] == "mistake")
    sharp = [f for f in state["flags"] if f["code"] == "sharp-change-without-reason"]
    assert [f["declarationId"] for f in sharp] == [mistake["id"]]  # the correction states its reason: not flagged
    assert f"sharp-change-without-reason graphite-anode {mistake['id'][:8]}" in seeded["output"]


def test_requests_run_down_four_tiers_with_the_late_ones_overdue(seeded: dict[str, Any]) -> None:
    from api.compose import open_store
    from api.settings import Settings
    from ledger.service.footprint_requests import list_requests

    plan = json.loads((EXAMPLES / "battery" / "requests.json").read_text())["requests"]
    late = {item["product"] for item in plan if item["answer"] == "open" and item["dueInDays"] < 0}
    store = open_store(Settings(home=seeded["home"]))
    with store.sessions() as session:  # read back as the receivers see them now
        views = [v for org in {item["to"] for item in plan} for v in list_requests(session, org, box="inbox")]
    assert len(views) == len(plan) and {v.tier for v in views} == {1, 2, 3, 4}
    assert {v.product_id for v in views if v.overdue} == late and late
    fulfilled = {v.product_id: v.declaration_id for v in views if v.status == "fulfilled"}
    current = {d["product"]: d["id"] for d in seeded["state"]["declarations"] if d["expected"] == "valid"}
    assert fulfilled and all(current[product] == declaration for product, declaration in fulfilled.items())
    assert [v.reason_code for v in views if v.status == "rejected"] == ["AccessDenied"]


def test_assigned_auditor_attests_with_the_audit_findings(seeded: dict[str, Any]) -> None:
    from api.compose import open_store
    from api.settings import Settings
    from ledger.service.audit_assignments import assignments_of_auditor

    state = seeded["state"]
    store = open_store(Settings(home=seeded["home"]))
    with store.sessions() as session:
        assigned = {a.declaration_id for a in assignments_of_auditor(session, "huaxin-audit")}
    attested = {a["declaration"]: a for a in state["attestations"]}
    assert set(attested) < assigned  # one assignment is still open work
    verified = [a for a in attested.values() if a["result"] == "verified"]
    qualified = [a for a in attested.values() if a["result"] == "qualified"]
    assert verified and all(not a["findings"] for a in verified)
    assert qualified and all(a["findings"] for a in qualified)  # qualified says why


def test_client_secrets_are_written_for_the_owner_only(seeded: dict[str, Any]) -> None:
    path = Path(seeded["state"]["credentials"])
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    clients = json.loads(path.read_text(encoding="utf-8"))
    assert {c["organization"] for c in clients} == {o["org"] for o in seeded["state"]["organizations"]}


def test_a_second_run_on_a_seeded_home_does_not_seed_again(seeded: dict[str, Any]) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--home", str(seeded["home"]), "demo", "--verify-only"])
    assert code == 0
    assert "already seeded" in out.getvalue()
    total = len(seeded["state"]["declarations"])
    assert f"{total} of {total} declarations verify as expected" in out.getvalue()


def test_every_walkthrough_link_answers_through_the_api(seeded: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    from api.demo.walkthrough import walkthrough, walkthrough_links
    from api.http.app import create_app
    from api.settings import Settings

    state = seeded["state"]
    credentials = {c["organization"]: c for c in json.loads(Path(state["credentials"]).read_text())}
    with TestClient(create_app(Settings(home=seeded["home"])), base_url="http://127.0.0.1:8000") as client:

        def bearer(org: str | None) -> dict[str, str]:
            if org is None:
                return {}
            auth = (credentials[org]["clientId"], credentials[org]["secret"])
            answer = client.post("/auth/token", data={"grant_type": "client_credentials"}, auth=auth)
            assert answer.status_code == 200, answer.text
            return {"Authorization": f"Bearer {answer.json()['access_token']}"}

        answers = {}
        for what, path, org in walkthrough_links(state):
            response = client.get(path, headers=bearer(org))
            assert response.status_code == 200, (what, path, response.text[:200])
            answers[what] = response
        assert client.get("/v1/labels/TJ-2026-MODULE-0001").json()["status"] == "suspended"
    rollup = next(r.json() for w, r in answers.items() if "roll-up" in w)
    assert abs(rollup["pcfExcludingBiogenicUptake"] - float(hand_footprints()[state["pack"]])) < 1e-5
    disclosed = next(r.text for w, r in answers.items() if "disclosed to greenbank" in w)
    assert "pcfExcludingBiogenicUptake" in disclosed and "billOfMaterials" not in disclosed  # the PCF, nothing more
    assert credentials["greenbank"]["secret"] in walkthrough(state, "http://127.0.0.1:8000")


def test_the_walkthrough_lists_a_web_page_only_when_the_app_serves_it(seeded: dict[str, Any]) -> None:
    from fastapi import FastAPI

    from api.demo.walkthrough import page_links, serves, walkthrough
    from api.http.app import create_app
    from api.settings import Settings

    state = seeded["state"]
    pack_page = next(path for _, path, _ in page_links(state) if path.startswith("/products/"))
    bare = FastAPI()
    bare.get("/products/{product:path}")(lambda product: product)
    assert serves(bare, pack_page) and not serves(bare, "/label-desk")
    assert f"http://127.0.0.1:8000{pack_page}" in walkthrough(state, "http://127.0.0.1:8000", bare)
    assert "/label-desk" not in walkthrough(state, "http://127.0.0.1:8000", bare)
    app = create_app(Settings(home=seeded["home"]))
    printed = walkthrough(state, "http://127.0.0.1:8000", app)
    for _, path, _ in page_links(state):  # the real app: each page it serves is printed, no other
        assert (f"http://127.0.0.1:8000{path}" in printed) == serves(app, path)


def test_demo_on_a_home_where_a_demo_organization_exists_is_refused_before_writing(
    workspace_templates: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    initialise = lambda where, cli: cli.ok("init", "--home", str(where / "tanji"))  # noqa: E731 (conftest's)
    workspace_templates.copy_into("initialised", initialise, tmp_path)
    home = tmp_path / "tanji"
    (home / "wallets").mkdir(exist_ok=True)
    (home / "wallets" / "panxi-graphite.json").write_text("{}")  # a wallet of that name is there already
    code = main(["--home", str(home), "demo", "--no-serve"])
    assert code != 0
    err = capsys.readouterr().err
    assert "'panxi-graphite'" in err and "fresh home" in err
    assert not (home / "demo" / "state.json").exists()
    assert sorted(p.name for p in (home / "wallets").iterdir()) == ["panxi-graphite.json"]  # no wallet written


def test_the_served_public_url_is_the_printed_address_unless_one_is_configured(tmp_path: Path) -> None:
    from api.cli.demo_cmds import served_settings
    from api.settings import Settings

    assert served_settings(Settings(home=tmp_path), "127.0.0.1", 8000).public_url == "http://127.0.0.1:8000"
    configured = Settings(home=tmp_path, public_url="https://tanji.example.org")
    assert served_settings(configured, "127.0.0.1", 8000).public_url == "https://tanji.example.org"


def test_the_public_pages_of_the_walkthrough_render_and_the_suspended_label_says_so(seeded: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    from api.demo.walkthrough import page_links, serves
    from api.http.app import create_app
    from api.settings import Settings

    app = create_app(Settings(home=seeded["home"]))
    public = [(what, path) for what, path, org in page_links(seeded["state"]) if org is None and serves(app, path)]
    assert {path for _, path in public} >= {"/sign-in", "/labels/TJ-2026-PACK-0001"}  # the app serves the pages
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        pages = {path: client.get(path, headers={"Accept-Language": "en"}) for _, path in public}
    assert all(response.status_code == 200 for response in pages.values()), {p: r.status_code for p, r in pages.items()}
    assert "suspended" in pages["/labels/TJ-2026-MODULE-0001"].text.lower()
    assert "suspended" not in pages["/labels/TJ-2026-PACK-0001"].text.lower()
