"""The PACT host system of one app: footprints (PactExchange), requests (FootprintRequests), outbound events
(PactDelivery) and the background thread that sends them.

Built lazily from the app's runtime on first use (`PactHostDep`); the events router's lifespan starts the delivery
thread with the app and stops it with the app. Callbacks leave within about `POLL_SECONDS` of being queued: the
route that queues one wakes the thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from api.http.pact_transport import UrllibTransport
from api.http.runtime import Runtime, chain_writes
from ledger.service.pact_delivery import EventTransport, PactDelivery
from ledger.service.pact_exchange import PactExchange
from ledger.service.pact_requests import FootprintRequests

log = logging.getLogger("tanji.pact")
POLL_SECONDS = 0.5
_LOCK = threading.Lock()


@dataclass
class PactHost:
    """The PACT services of one app, and the delivery thread's wake-up signal."""

    exchange: PactExchange
    requests: FootprintRequests
    delivery: PactDelivery
    wake: threading.Event


def build_pact_host(runtime: Runtime, transport: EventTransport | None = None) -> PactHost:
    """The PACT services over `runtime` (callbacks through `transport`, urllib by default)."""
    chain = runtime.chain
    exchange = PactExchange(
        runtime.sessions, runtime.store.keyring, chain, chain.trust_anchors, chain_writes=lambda: chain_writes(chain)
    )
    public_url = runtime.settings.public_url
    return PactHost(
        exchange=exchange,
        requests=FootprintRequests(runtime.sessions, exchange, public_url=public_url),
        delivery=PactDelivery(
            runtime.sessions, runtime.store.keyring, transport or UrllibTransport(), public_url=public_url
        ),
        wake=threading.Event(),
    )


def host_of(app: FastAPI) -> PactHost:
    """The app's PACT host, built on first use."""
    with _LOCK:
        host: PactHost | None = getattr(app.state, "pact_host", None)
        if host is None:
            host = build_pact_host(app.state.runtime)
            app.state.pact_host = host
        return host


async def get_pact_host(request: Request) -> PactHost:
    """Dependency: the PACT host of the request's app (async: it never blocks, so it costs no thread hop)."""
    return host_of(request.app)


PactHostDep = Annotated[PactHost, Depends(get_pact_host)]


def _deliver_until(host: PactHost, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            report = host.delivery.run_once()
            busy = report.sent or report.failed or report.published_queued
        except Exception:  # never let the thread die: log and retry on the next pass
            log.exception("PACT delivery pass failed")
            busy = False
        if not busy:
            host.wake.wait(POLL_SECONDS)
            host.wake.clear()


@asynccontextmanager
async def pact_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the delivery thread while the app runs."""
    stop = threading.Event()
    host = host_of(app)
    thread = threading.Thread(target=_deliver_until, args=(host, stop), name="tanji-pact-delivery", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        host.wake.set()
        thread.join(timeout=10)
