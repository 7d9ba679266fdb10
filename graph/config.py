"""Settings shared by the CLI and the API. Every setting has a default and a description,
and can be set from the environment with the `LRKG_` prefix (for example `LRKG_STORE`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
        default=PROJECT_ROOT / "data",
        description="Folder of curated reviews that `make serve` (and a server on --memory) loads.",
    )
    ontology_dir: Path = Field(
        default=PROJECT_ROOT / "ontology",
        description="Folder of the vocabulary, the theme and status schemes and the SHACL shapes.",
    )
