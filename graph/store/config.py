"""Settings shared by the CLI and the API. Every setting has a default and a description,
and can be set from the environment with the `LRKG_` prefix (for example `LRKG_STORE`)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.vocabulary.ontology import ONTOLOGY_DIR

CURATED_DIR = Path(str(files("graph") / "curated"))
"""The curated reviews lrkg ships with (`data/` in a checkout), wherever lrkg is installed."""


class Settings(BaseSettings):
    """Where the store lives and what it is loaded from."""

    model_config = SettingsConfigDict(env_prefix="LRKG_")

    store: Path = Field(
        default=Path(".lrkg/store"),
        description="Folder of the embedded Oxigraph store on disk (created if missing).",
    )
    memory: bool = Field(
        default=False,
        description="Keep the store in memory instead of on disk; the server then loads data_dir at start.",
    )
    data_dir: Path = Field(
        default=CURATED_DIR,
        description="Folder of curated reviews that `make serve` (and a server on --memory) loads.",
    )
    ontology_dir: Path = Field(
        default=ONTOLOGY_DIR,
        description="Folder of the vocabulary, the theme and status schemes and the SHACL shapes.",
    )
    query_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a SPARQL query may run before it is stopped and answered 503.",
    )
    row_limit: int = Field(
        default=10_000,
        gt=0,
        description="Most rows (or triples) a SPARQL answer returns; a cut answer says so in a header and in JSON.",
    )
    max_answer_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=64 * 1024,
        description=(
            "Largest body a SPARQL answer has, in bytes; a longer answer keeps its first rows (or triples) "
            "and says so, like a cut at row_limit."
        ),
    )
    max_query_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description=(
            "Longest SPARQL query accepted, in bytes (well below max_body_bytes); a longer one is refused "
            "with 413 before it is parsed or sent to a query worker."
        ),
    )
    query_worker_memory: int = Field(
        default=2 * 1024**3,
        ge=0,
        description=(
            "Most memory (bytes of data, RLIMIT_DATA) one query worker may use; a query needing more stops "
            "its worker alone and is answered 503. 0: no limit. A store in memory needs about 0.45 GB per "
            "million quads in each worker on top."
        ),
    )
    send_timeout: float = Field(
        default=30.0,
        gt=0,
        description=(
            "Seconds the server waits for a client to take the next part of a SPARQL answer; "
            "a client that stops reading longer is dropped."
        ),
    )
    work_ahead: bool = Field(
        default=True,
        description=(
            "Work out the store-wide indexes and draw the charts page's charts in the background as the "
            "server starts and after every write, so that the first request after either does not wait for "
            "them; off, that request works them out."
        ),
    )
    query_workers: int = Field(
        default=2,
        ge=1,
        description="Worker processes that run SPARQL queries, so that a runaway query can be killed.",
    )
    write_token: SecretStr | None = Field(
        default=None,
        description="Bearer token that SPARQL Update and Graph Store writes need; unset, writes are off.",
    )
    write_token_file: Path | None = Field(
        default=None,
        description=(
            "File holding the write token (used instead of write_token when set); it is read again "
            "whenever it changes, so the token can be rotated without a restart."
        ),
    )
    write_token_name: str = Field(
        default="curator",
        min_length=1,
        description="Name that writes made with write_token are attributed to (prov:wasAttributedTo).",
    )
    tokens_file: Path | None = Field(
        default=None,
        description=(
            "File of curators' tokens, one line each: the token's SHA-256 (hex), its role (curate or admin) and "
            "the holder's name (`lrkg token` prints one); read again whenever it changes, so a token is added "
            "or revoked (its line removed) without a restart. Works beside write_token."
        ),
    )
    idle_timeout: int = Field(
        default=5,
        gt=0,
        description="Seconds `lrkg serve` keeps an idle keep-alive connection open (uvicorn's timeout_keep_alive).",
    )
    max_connections: int = Field(
        default=500,
        gt=0,
        description=(
            "Most connections and requests `lrkg serve` handles at once; past it, new requests are answered 503 "
            "(uvicorn's limit_concurrency)."
        ),
    )
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024,
        gt=0,
        description="Largest request body accepted, in bytes; a bigger one is refused with 413 before it is read.",
    )
    search_index: Path | None = Field(
        default=None,
        description=(
            "SQLite full-text index kept in step with the store; unset, `search.sqlite` beside the "
            "store folder (in memory when the store is)."
        ),
    )
    page_size: int = Field(default=50, gt=0, description="Items a REST list returns when no limit is given.")
    max_page_size: int = Field(default=1000, gt=0, description="Most items a REST list returns in one page.")
    tagging_min_score: float = Field(
        default=0.65,
        ge=0,
        le=1,
        description=(
            "Least score (0 to 1) an automatic theme needs to be given to a finding that arrives without themes; "
            "scores are calibrated so that 0.7 is each theme's best cut, and 0.65 leaves fewer findings "
            "unclassified for little loss of precision (docs/tagging.md)."
        ),
    )
    tagging_max_themes: int = Field(
        default=5,
        ge=1,
        description="Most themes automatic tagging gives one finding (the best-scoring, most specific ones).",
    )
    view_node_limit: int = Field(
        default=2000,
        gt=0,
        description=(
            "Most nodes a graph view (/views/...) draws; a bigger view keeps the most telling ones "
            "and says what it left out (a browser slows down past a few thousand)."
        ),
    )
    similar_findings_min_score: float = Field(
        default=0.2,
        gt=0,
        le=1,
        description=(
            "Least text similarity (TF-IDF cosine, 0 to 1) two findings of different reviews need to be "
            "proposed as saying the same thing; a request may ask for more, never for less."
        ),
    )
    similar_findings_per_finding: int = Field(
        default=5,
        ge=1,
        description="Most proposals kept for one finding: its most similar findings of other reviews.",
    )

    # ------------------------------------------------------------------ a remote SPARQL engine
    sparql_query_url: str | None = Field(
        default=None,
        description=(
            "Query endpoint of an existing SPARQL engine (Virtuoso, Fuseki, GraphDB, Stardog, Neptune) to "
            "use instead of the embedded store; unset, lrkg keeps its own store in `store`."
        ),
    )
    sparql_update_url: str | None = Field(
        default=None, description="The engine's SPARQL Update endpoint; unset, the query endpoint."
    )
    graph_store_url: str | None = Field(
        default=None,
        description=(
            "The engine's Graph Store Protocol endpoint; set, whole graphs are written with PUT and POST "
            "(faster, and no limit on a request's length); unset, with SPARQL Update."
        ),
    )
    remote_auth: Literal["none", "basic", "digest", "bearer"] = Field(
        default="none", description="How lrkg proves who it is to the engine: none, basic, digest or bearer."
    )
    remote_user: str | None = Field(default=None, description="User name for basic or digest authentication.")
    remote_password: SecretStr | None = Field(default=None, description="Password for basic or digest authentication.")
    remote_token: SecretStr | None = Field(default=None, description="Token for bearer authentication.")
    remote_page_rows: int = Field(
        default=10_000,
        gt=0,
        description=(
            "Rows the engine returns at most in one answer (Virtuoso's ResultSetMaxRows); an answer this "
            "long may have been cut, so it is fetched again in pages of this many rows, in a fixed order."
        ),
    )
    remote_timeout: float = Field(
        default=300.0,
        gt=0,
        description="Seconds lrkg waits for the engine to answer one of its own questions or to take a write.",
    )
    remote_engine: Literal["standard", "virtuoso"] = Field(
        default="standard",
        description=(
            "Which engine the URLs name, for its quirks beyond the standards: `virtuoso` never lists, counts or "
            "reads Virtuoso's own graphs as lrkg's; `standard` (Fuseki, GraphDB, Stardog, Neptune) needs nothing."
        ),
    )

    @property
    def remote(self) -> bool:
        """Whether the settings name a remote engine rather than the embedded store."""
        return self.sparql_query_url is not None
