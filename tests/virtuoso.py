"""A throw-away Virtuoso open-source server on 127.0.0.1, for the store contract tests and the
benchmark's remote-engine column.

`running_virtuoso(folder)` writes a configuration whose database, log and ports are all its
own (nothing under /var/lib, no system service), starts `virtuoso-t` in the foreground, waits
until its SPARQL endpoint answers, and stops it afterwards. A fresh database has the account
`dba` (password `dba`), which may update through the Digest-protected endpoints.

Virtuoso comes from Debian's package `virtuoso-opensource` (`make test` installs it).
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from graph.store.config import Settings
from tests.servers import LOCAL_HOST, free_port

VIRTUOSO = "virtuoso-t"
USER = PASSWORD = "dba"
SORTED_ROWS = 10_000_000
"""Virtuoso's MaxSortedTopRows: the deepest OFFSET + LIMIT it sorts (10,000 by default, which
stops paging through an answer longer than that)."""
START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0

_CONFIGURATION = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {folder}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
MaxQueryMem = 1G
MaxSortedTopRows = {sorted_rows}

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {folder}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""


def virtuoso_installed() -> bool:
    return shutil.which(VIRTUOSO) is not None


@dataclass(frozen=True)
class Virtuoso:
    """A running server: its endpoints as Virtuoso names them, and how to reach them as lrkg."""

    url: str
    sql_port: int
    max_rows: int
    log: Path

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.url}/sparql-auth"

    @property
    def graph_store_url(self) -> str:
        return f"{self.url}/sparql-graph-crud-auth"

    def settings(self, base: Settings | None = None, **changes: object) -> Settings:
        """`base` (default settings otherwise) pointed at this server, with Digest credentials
        and pages no longer than the server's own row cap."""
        remote = {
            "sparql_query_url": self.query_url,
            "sparql_update_url": self.update_url,
            "graph_store_url": self.graph_store_url,
            "remote_auth": "digest",
            "remote_user": USER,
            "remote_password": SecretStr(PASSWORD),
            "remote_page_rows": self.max_rows,
            "remote_engine": "virtuoso",
        }
        return (base or Settings()).model_copy(update={**remote, **changes})

    def bulk_load(self, nquads: Path) -> None:
        """Load an N-Quads file with Virtuoso's own bulk loader (`ld_dir`, `rdf_loader_run`),
        as an administrator moving a large store across would; the file must be in the
        server's folder (the only one it may read)."""
        statements = f"ld_dir('{nquads.parent}', '{nquads.name}', 'urn:lrkg:unused'); rdf_loader_run(); checkpoint;"
        subprocess.run(
            ["isql-vt", f"{LOCAL_HOST}:{self.sql_port}", USER, PASSWORD, f"exec={statements}"],
            check=True, capture_output=True, timeout=300,
        )

    def environment(self) -> dict[str, str]:
        """The same settings as LRKG_* variables, for a server process or `make serve`."""
        return {
            "LRKG_SPARQL_QUERY_URL": self.query_url,
            "LRKG_SPARQL_UPDATE_URL": self.update_url,
            "LRKG_GRAPH_STORE_URL": self.graph_store_url,
            "LRKG_REMOTE_AUTH": "digest",
            "LRKG_REMOTE_USER": USER,
            "LRKG_REMOTE_PASSWORD": PASSWORD,
            "LRKG_REMOTE_PAGE_ROWS": str(self.max_rows),
            "LRKG_REMOTE_ENGINE": "virtuoso",
        }


@contextmanager
def running_virtuoso(folder: Path, *, max_rows: int = 10_000, buffers: int = 20_000) -> Iterator[Virtuoso]:
    """A new Virtuoso with an empty database in `folder`, stopped (and its files left for a look)
    on leaving. `max_rows` is its silent row cap (ResultSetMaxRows); `buffers` its page cache in
    8 KB pages (about 85,000 per GB of memory, as Virtuoso's own guide advises)."""
    if not virtuoso_installed():
        raise RuntimeError(
            "Virtuoso is not installed: `make test` installs Debian's virtuoso-opensource, "
            "or run `apt-get install virtuoso-opensource` as root."
        )
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    configuration = folder / "virtuoso.ini"
    configuration.write_text(
        _CONFIGURATION.format(
            folder=folder, host=LOCAL_HOST, http_port=http_port, sql_port=sql_port, max_rows=max_rows,
            buffers=buffers, dirty_buffers=buffers * 3 // 4, sorted_rows=SORTED_ROWS,
        ),
        encoding="utf-8",
    )
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(configuration)],
            cwd=folder, stdout=output, stderr=subprocess.STDOUT,
        )
    server = Virtuoso(f"http://{LOCAL_HOST}:{http_port}", sql_port, max_rows, log)
    try:
        _wait_until_answering(server, process)
        yield server
    finally:
        process.terminate()  # Virtuoso writes a checkpoint and exits
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(server: Virtuoso, process: subprocess.Popen[bytes]) -> None:
    probe = f"{server.query_url}?query=ASK%7B%7D"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(probe, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    tail = server.log.read_text(encoding="utf-8", errors="replace")[-3000:]
    process.kill()
    raise RuntimeError(f"Virtuoso did not start on {server.url}:\n{tail}")
