"""`tanji bench api`: HTTP throughput of `tanji serve` next to a minimal FastAPI app on the same server stack.

Set-up (untimed): a fresh embedded-chain workspace with supplier ``acme-steel`` (the example declaration's product
owner), `declarations` signed, ingested and anchored, and an API client of acme-steel; the set-up fails when a
submission is rejected (a benchmark of 404s measures nothing). Then two server processes start on loopback:
`tanji serve` (1 uvicorn worker, as the embedded chain requires) and the baseline, uvicorn with the same options serving
:func:`baseline_app` (one route returning a fixed JSON body). This process is the load generator: `concurrency`
clients, each on one kept-alive HTTP/1.1 connection (plain asyncio streams, far cheaper than the servers they
load), send a bounded number of requests per run; rounds alternate baseline / get / list so that a busy machine
slows each alike, and the best round of each counts.

The routes measured are the best that exist on the server (read from its OpenAPI document): the PACT
``GET /3/footprints/{id}`` and ``GET /3/footprints?limit=100``, else the native ``/v1/declarations`` pair, else the
authenticated ``GET /v1/me`` (token and principal resolution only); `method` in the result says which ran.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI

FIXED_BODY = {"status": "ok", "items": [{"id": "00000000-0000-4000-8000-000000000000", "value": "2.08"}]}
LIST_LIMIT = 100
SUPPLIER = "acme-steel"  # owns the example product urn:tanji:acme-steel:hot-rolled-coil


def baseline_app() -> FastAPI:
    """The baseline: one route returning a fixed JSON body."""
    app = FastAPI()

    @app.get("/fixed")
    def fixed() -> dict[str, Any]:
        return FIXED_BODY

    return app


@dataclass(frozen=True)
class LoadResult:
    """One bounded load run."""

    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
        }


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One GET on a kept-alive HTTP/1.1 connection; its status (the body is read and dropped)."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return int(lines[0].split(" ", 2)[1])


async def _load(url: str, headers: dict[str, str], total: int, concurrency: int, max_seconds: float) -> LoadResult:
    """A lean HTTP/1.1 load generator (one kept-alive connection per client), so the client costs far less than
    the servers it compares."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n{extra}\r\n".encode("latin-1")

    async def warm_connection() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Open a connection and send one untimed request on it at once: a connection left idle longer than the
        server's keep-alive timeout (uvicorn: 5 s) while others warm up would be closed under it."""
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        await _get(reader, writer, request)
        return reader, writer

    connections = await asyncio.gather(*(warm_connection() for _ in range(concurrency)))
    latencies: list[float] = []
    errors = issued = 0
    start = time.perf_counter()
    deadline = start + max_seconds

    async def client_loop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal errors, issued
        while issued < total and time.perf_counter() < deadline:
            issued += 1
            sent = time.perf_counter()
            status = await _get(reader, writer, request)
            latencies.append(time.perf_counter() - sent)
            errors += status != 200

    try:
        await asyncio.gather(*(client_loop(reader, writer) for reader, writer in connections))
    finally:
        seconds = time.perf_counter() - start
        for _, writer in connections:
            writer.close()
    ordered = sorted(latencies)

    def percentile(q: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    return LoadResult(len(latencies), errors, seconds, percentile(0.50), percentile(0.99))


def load(url: str, headers: dict[str, str], *, total: int, concurrency: int, max_seconds: float) -> LoadResult:
    """`total` GETs of `url` (at most `max_seconds`) from `concurrency` concurrent clients."""
    return asyncio.run(_load(url, headers, total, concurrency, max_seconds))


def _prepare(home: Path, declarations: int) -> tuple[str, str, list[str]]:
    """A workspace with `declarations` anchored declarations of acme-steel; (client id, secret, declaration ids)."""
    from eth_account import Account

    from api.compose import open_ledger
    from chain_tools.workspace import initialise
    from ledger.declarations.envelope import sign_declaration
    from ledger.service.identity import IdentityService, OrganizationDirectory
    from ledger.service.members import register_member

    initialise(home)
    supplier = Account.create()
    with open_ledger(_bench_settings(home), batch_size=max(1, declarations)) as ledger:
        register_member(ledger.chain, SUPPLIER, supplier.address, ["supplier"], ledger.operator)
        raws, ids = [], []
        for payload in _payloads(supplier.address, declarations):
            envelope = sign_declaration(
                payload, domain=ledger.chain.signing_domain, private_key=supplier.key, declarant=supplier.address
            )
            raws.append(json.dumps(envelope))
            ids.append(str(payload["id"]))
        rejected = [result for result in ledger.ingest.submit_many(raws) if result.status == "rejected"]
        if rejected:
            from api.errors import BenchmarkError

            raise BenchmarkError(f"{len(rejected)} benchmark declarations were rejected, e.g. {rejected[0].error}")
        ledger.anchoring.run_once(flush=True)
        identity = IdentityService(ledger.sessions, OrganizationDirectory(ledger.chain, ttl=0), token_ttl=3600)
        issued = identity.create_client(SUPPLIER)
        with ledger.sessions() as session:
            session.get_bind().engine.dispose()
    return issued.client_id, issued.secret, ids


def _bench_settings(home: Path, **values: Any) -> Any:
    """Settings of the benchmark's own workspace: its SQLite store and operator key, whatever TANJI_* says."""
    from api.settings import Settings

    return Settings(home=home, database_url=None, operator_password=None, **values)


def _payloads(address: str, count: int) -> Iterator[dict[str, Any]]:
    import copy
    import uuid

    example = Path(__file__).resolve().parents[2] / "examples" / "declarations" / "hot-rolled-coil.json"
    template = json.loads(example.read_text(encoding="utf-8"))
    template["extensions"][0]["data"]["declarant"] = {"org": SUPPLIER, "address": address}
    for index in range(count):
        payload = copy.deepcopy(template)
        payload["id"] = str(uuid.UUID(int=index + 1, version=4))
        yield payload


@contextmanager
def _server(command: list[str], url: str) -> Iterator[None]:
    """Run `command` (a server, inheriting this process's environment) until the block ends; wait for `url`."""
    import httpx

    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                from api.errors import BenchmarkError

                raise BenchmarkError(f"{' '.join(command[:4])} ... exited with {process.returncode} at start")
            try:
                if httpx.get(url, timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                from api.errors import BenchmarkError

                raise BenchmarkError(f"{url} did not answer within 120 s")
            time.sleep(0.2)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _routes(paths: set[str], declaration_id: str) -> tuple[str, str | None, str]:
    """(get path, list path or None, method note) of the best routes the server has."""
    for prefix, listing, family in (
        ("/3/footprints/", "/3/footprints", "PACT v3 footprints"),
        ("/v1/declarations/", "/v1/declarations", "native /v1 declarations"),
    ):
        templates = [path for path in paths if path.startswith(prefix + "{") and path.endswith("}")]
        if templates:  # the one-item route, whatever its parameter is called
            get_template = templates[0]
            name = get_template[get_template.index("{") :]
            return (
                get_template.replace(name, declaration_id),
                f"{listing}?limit={LIST_LIMIT}" if listing in paths else None,
                f"authenticated GET {get_template} and a list page of {LIST_LIMIT} ({family})",
            )
    return (
        "/v1/me",
        None,
        "neither the PACT /3/footprints nor the native /v1/declarations routes are served yet: get_* measures the "
        "authenticated GET /v1/me (bearer token and on-chain principal checked per request), list_* is null",
    )


def run(
    *, declarations: int = 150, requests: int = 3000, concurrency: int = 64, rounds: int = 2, max_seconds: float = 30
) -> dict[str, Any]:
    """Measure `tanji serve` and the baseline; the result of the best round of each, and their ratios."""
    import httpx

    from api.settings import export_to_environment
    from chain_tools.nodes import free_port

    home = Path(tempfile.mkdtemp(prefix="tanji-bench-api-")) / "home"
    try:
        client_id, secret, ids = _prepare(home, declarations)
        tanji_port, baseline_port = free_port(), free_port()
        tanji_url, baseline_url = f"http://127.0.0.1:{tanji_port}", f"http://127.0.0.1:{baseline_port}"
        serve = [sys.executable, "-m", "api.cli.main", "serve", "--home", str(home), "--port", str(tanji_port)]
        baseline = [sys.executable, "-m", "uvicorn", "--factory", f"{__name__}:baseline_app", "--port"]
        baseline += [str(baseline_port), "--host", "127.0.0.1", "--log-level", "info", "--no-proxy-headers"]
        # the server process reads its settings from TANJI_* as `tanji serve --workers N` workers do
        export_to_environment(
            _bench_settings(home, anchor_loop=False, rate_limit_per_minute=10**9, public_url=tanji_url)
        )
        with ExitStack() as stack:
            stack.enter_context(_server(serve, f"{tanji_url}/v1/health"))
            stack.enter_context(_server(baseline, f"{baseline_url}/fixed"))
            token = httpx.post(
                f"{tanji_url}/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
            ).json()["access_token"]
            paths = set(httpx.get(f"{tanji_url}/openapi.json").json()["paths"])
            get_path, list_path, method = _routes(paths, ids[0])
            auth = {"Authorization": f"Bearer {token}"}
            targets = {"baseline": (f"{baseline_url}/fixed", {}), "get": (tanji_url + get_path, auth)}
            if list_path:
                targets["list"] = (tanji_url + list_path, auth)
            runs: dict[str, list[LoadResult]] = {name: [] for name in targets}
            for _ in range(rounds):
                for name, (url, headers) in targets.items():
                    runs[name].append(
                        load(url, headers, total=requests, concurrency=concurrency, max_seconds=max_seconds)
                    )
    finally:
        shutil.rmtree(home.parent, ignore_errors=True)
    best = {name: max(results, key=lambda r: r.rps) for name, results in runs.items()}
    listing = best.get("list")
    return {
        "benchmark": "api",
        "method": method,
        "get_route": get_path,
        "list_route": list_path,
        "concurrency": concurrency,
        "requests_per_run": requests,
        "rounds": rounds,
        "get_rps": round(best["get"].rps, 1),
        "get_p99_ms": round(best["get"].p99_ms, 2),
        "list_rps": round(listing.rps, 1) if listing else None,
        "list_p99_ms": round(listing.p99_ms, 2) if listing else None,
        "baseline_rps": round(best["baseline"].rps, 1),
        "baseline_p99_ms": round(best["baseline"].p99_ms, 2),
        "get_to_baseline": round(best["get"].rps / best["baseline"].rps, 3),
        "list_to_baseline": round(listing.rps / best["baseline"].rps, 3) if listing else None,
        "errors": sum(r.errors for results in runs.values() for r in results),
        "runs": {name: [r.as_dict() for r in results] for name, results in runs.items()},
        "server": "tanji serve: 1 uvicorn worker (embedded chain, SQLite store), access log on; the baseline runs "
        "under the same uvicorn options",
        "load_generator": f"this process: asyncio, {concurrency} clients each on one kept-alive HTTP/1.1 connection, "
        "best of the alternating rounds",
    }
