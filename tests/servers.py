"""Real `lrkg serve` processes on 127.0.0.1, for tests that need a server over real HTTP.

`Server` runs `lrkg serve` (as `python -m api serve`) on a free port, its output in a log
file; the client, limit and browser tests share it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

LOCAL_HOST = "127.0.0.1"
CHECKOUT_LRKG = (sys.executable, "-m", "api")
"""lrkg as this checkout runs it (the `lrkg` script of an installed wheel can be given instead)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCAL_HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running `lrkg serve`, its output in `<folder>/server.log`."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    @classmethod
    def start(cls, folder: Path, *, store: Path | None = None, lrkg: Sequence[str] = CHECKOUT_LRKG,
              cwd: Path | None = None, **settings: str) -> Server:
        """Start the server, not waiting for it: in memory, loading the reviews in `folder`, or on
        the on-disk `store` as it is. `lrkg` is the command run (in folder `cwd`, if given);
        `settings` are extra LRKG_* variables."""
        port = free_port()
        log = folder / "server.log"
        environment = {
            **os.environ,
            "LRKG_DATA_DIR": str(folder),
            "LRKG_SEARCH_INDEX": str(folder / "search.sqlite"),
            "LRKG_QUERY_WORKERS": "1",
            **{f"LRKG_{name.upper()}": value for name, value in settings.items()},
        }
        where = ["--store", str(store)] if store else ["--memory"]
        with log.open("wb") as output:
            process = subprocess.Popen(
                [*lrkg, "serve", *where, "--host", LOCAL_HOST, "--port", str(port)],
                env=environment, cwd=cwd, stdout=output, stderr=subprocess.STDOUT,
            )
        return cls(process, f"http://{LOCAL_HOST}:{port}", log)

    def wait(self, timeout: float = 120) -> None:
        """Wait until the port answers; raise with the server's output if it exits or times out."""
        port = urlsplit(self.url).port
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((LOCAL_HOST, port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"lrkg serve did not start:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
