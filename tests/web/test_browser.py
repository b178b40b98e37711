"""End to end in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; never `playwright install`)
against `tanji serve` on a loopback port over a copy of the seeded workspace: every page renders without console
errors in both languages, and each role's main flow works by clicking (sign in, open a product and run a scenario,
verify a label, a revoked label shows invalid, attest with a browser wallet). Screenshots go to test-artifacts/
(git-ignored). One browser for the session; each test has its own context."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from web_world import COIL, PART, REVOKED_SERIAL, VALID_SERIAL, Seeded

from api.cli.wallet_cmds import prepared_transaction

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LANGUAGES = ("zh-CN", "en")
pytestmark = [
    pytest.mark.slow,
    # skipped only on a developer machine without Chromium; under CI (.ci/run installs it) a missing browser fails
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"), reason="needs Debian's chromium (.ci/run installs it)"
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`tanji serve` on a free loopback port over a private copy of the seeded workspace; its base URL."""
    home = tmp_path_factory.mktemp("browser") / "home"
    shutil.copytree(seeded.home, home)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TANJI_PUBLIC_URL": base,
        "TANJI_ANCHOR_LOOP": "false",
        "TANJI_RATE_LIMIT_PER_MINUTE": "100000",
    }
    log = home.parent / "serve.log"
    tanji = Path(sys.executable).with_name("tanji")
    command = [str(tanji), "--home", str(home), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"tanji serve exited: {log.read_text()}")
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("tanji serve did not answer within 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


class Visit:
    """A browser context in one language that records console errors and uncaught page errors."""

    def __init__(self, browser: Any, base: str, language: str) -> None:
        self.base, self.language = base, language
        self.context = browser.new_context(locale=language, extra_http_headers={"Accept-Language": language})
        self.context.set_default_timeout(15_000)
        self.errors: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        assert self.page.get_attribute("html", "lang") == self.language
        return response

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-{self.language}.png"), full_page=True)

    def sign_in(self, seeded: Seeded, org: str) -> None:
        """Through the client-credential form, by clicking."""
        self.open("/sign-in")
        client_id, secret = seeded.clients[org]
        self.page.fill("#client_id", client_id)
        self.page.fill("#client_secret", secret)
        self.page.click("#client-submit")
        self.page.wait_for_selector("#sign-out")


@pytest.fixture
def visit(browser: Any, server: str) -> Iterator[Callable[[str], Visit]]:
    opened: list[Visit] = []

    def make(language: str) -> Visit:
        opened.append(Visit(browser, server, language))
        return opened[-1]

    yield make
    for item in opened:
        item.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_without_console_errors(
    visit: Callable[[str], Visit], seeded: Seeded, language: str
) -> None:
    coil, part = seeded.declarations[COIL], seeded.declarations[PART]
    by_role: dict[str | None, dict[str, str]] = {  # org -> screenshot name -> path
        None: {
            "home": "/",
            "sign-in": "/sign-in",
            "label": f"/labels/{VALID_SERIAL}",
            "facts": f"/declarations/{coil}",
        },
        "leader": {
            "products": "/products",
            "product": f"/products/{PART}",
            "flags": "/flags",
            "claims": "/claims",
            "requests": "/requests",
            "coverage": "/requests/coverage",
        },
        "steel": {"supplier": "/supplier", "inbox": "/requests"},
        "audit": {"auditor": "/auditor", "review": f"/auditor/declarations/{part}"},
        "cert": {"label-desk": "/label-desk"},
    }
    for org, pages in by_role.items():
        browsing = visit(language)
        if org is not None:
            browsing.sign_in(seeded, org)
        for name, path in pages.items():
            browsing.open(path)
            if name == "product":
                browsing.page.wait_for_function("document.body.dataset.chartsReady === '4'")
                assert browsing.page.locator("#chart-graph canvas").count() >= 1
            browsing.shot(name)
        assert browsing.errors == [], f"{org}: {browsing.errors}"


def test_a_chain_leader_runs_a_scenario_and_checks_a_claim_by_clicking(
    visit: Callable[[str], Visit], seeded: Seeded
) -> None:
    browsing = visit("en")
    browsing.open("/")
    browsing.page.click("#sign-in-link")
    client_id, secret = seeded.clients["leader"]
    browsing.page.fill("#client_id", client_id)
    browsing.page.fill("#client_secret", secret)
    browsing.page.click("#client-submit")
    browsing.page.click("text=Products")
    browsing.page.click(f"a.product-link[href='/products/{PART}']")
    total = float(browsing.page.inner_text("#pcf-total"))
    browsing.page.select_option("#supplier", "steel")
    browsing.page.fill("#cut", "20")
    browsing.page.click("#scenario-run")
    after = float(browsing.page.inner_text("#scenario-after"))
    assert 0 < after < total
    browsing.shot("scenario")
    browsing.page.click("text=Claim checker")  # a bank's flow: any signed-in organization may check a claim
    browsing.page.fill("#subject", COIL)
    browsing.page.select_option("#metric", "label_valid")
    browsing.page.select_option("#comparison", "==")
    browsing.page.fill("#threshold", "true")
    browsing.page.fill("#as_of", "2099-01-01")
    browsing.page.click("#claim-submit")
    claim = {"subject": {"productId": COIL}, "metric": "label_valid", "comparison": "==", "threshold": "true"}
    token = httpx.post(
        f"{browsing.base}/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    ).json()["access_token"]
    api = httpx.post(
        f"{browsing.base}/v1/claims/check",
        json={**claim, "asOf": "2099-01-01", "requiredAssurance": "none"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert browsing.page.get_attribute("#claim-verdict", "data-outcome") == api["outcome"]
    browsing.shot("claim")
    assert browsing.errors == []


def test_anyone_verifies_a_label_and_a_revoked_label_shows_invalid(visit: Callable[[str], Visit]) -> None:
    browsing = visit("zh-CN")
    for serial, valid in ((VALID_SERIAL, "true"), (REVOKED_SERIAL, "false")):
        browsing.open("/")
        browsing.page.fill("#serial", serial)
        browsing.page.click("#label-form button[type=submit]")
        browsing.page.wait_for_selector(f"#label-verdict[data-valid='{valid}']")
        browsing.shot(f"label-{valid}")
    assert browsing.errors == []


def browser_wallet(account: Any) -> Callable[[str, str], Any]:
    """An EIP-1193 wallet holding `account`, answered from Python (what a wallet extension does in the browser)."""

    def request(method: str, params_json: str) -> Any:
        params = json.loads(params_json)
        if method == "eth_requestAccounts":
            return [account.address]
        if method == "personal_sign":
            return Account.sign_message(encode_defunct(text=params[0]), account.key).signature.to_0x_hex()
        if method == "eth_signTransaction":
            fields = prepared_transaction(json.dumps(params[0]))
            fields.pop("from", None)
            return "0x" + bytes(account.sign_transaction(fields).raw_transaction).hex()
        raise ValueError(f"the test wallet does not answer {method}")

    return request


def test_an_auditor_signs_in_with_its_wallet_and_attests_by_clicking(
    visit: Callable[[str], Visit], seeded: Seeded
) -> None:
    browsing = visit("en")
    browsing.context.expose_function("tanjiTestWallet", browser_wallet(seeded.accounts["audit"]))
    browsing.context.add_init_script(
        "window.ethereum = { request: (r) => window.tanjiTestWallet(r.method, JSON.stringify(r.params || [])) };"
    )
    browsing.open("/sign-in")
    browsing.page.fill("#organization", "audit")
    browsing.page.click("#wallet-address")
    browsing.page.wait_for_function("document.getElementById('address').value.startsWith('0x')")
    browsing.page.click("#siwe-next")
    browsing.page.click("#wallet-sign")
    browsing.page.wait_for_selector("#sign-out")
    part = seeded.declarations[PART]
    browsing.open(f"/auditor/declarations/{part}")
    assert browsing.page.locator("li.check.ok[data-check='signature']").count() >= 1
    browsing.page.fill("#findings", "Limited-assurance review of the gearbox housing")
    browsing.page.click("#attest-prepare")
    browsing.page.click("#wallet-sign-tx")
    browsing.page.wait_for_selector("#notice")
    browsing.shot("attested")
    browsing.open(f"/declarations/{part}")
    assert seeded.accounts["audit"].address in browsing.page.content()
    assert browsing.errors == []
