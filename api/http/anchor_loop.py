"""The server's background anchoring: one thread that anchors batches as they close (size or age)."""

from __future__ import annotations

import logging
import threading

from ledger.service.anchoring import AnchorService

log = logging.getLogger("tanji.anchoring")


class AnchorLoop:
    """Runs `anchoring.run_once()` every `poll` seconds on a daemon thread until `stop()`; never dies of an error."""

    def __init__(self, anchoring: AnchorService, *, poll: float) -> None:
        self.anchoring = anchoring
        self.poll = poll
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tanji-anchoring", daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to finish its pass and wait for it."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = self.anchoring.run_once()
            except Exception as exc:  # the loop outlives any one failure; the next pass retries (exactly once holds)
                log.error("anchoring pass failed: %s: %s", type(exc).__name__, exc, exc_info=exc)
            else:
                if report.anchored_batches or report.rejected:
                    log.info(
                        "anchored %d declarations in %d batches (%d rejected, %d pending)",
                        report.anchored_declarations,
                        report.anchored_batches,
                        report.rejected,
                        report.pending,
                    )
            self._stop.wait(self.poll)
