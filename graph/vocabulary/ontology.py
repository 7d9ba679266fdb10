"""Where the ontology's files are: read from the installed package, in a checkout or a wheel alike.

`ontology/` is the project's folder of Turtle; the package reaches it as
`graph/vocabulary/ontology` (a link in a checkout, a copy in a wheel), so nothing depends on
where lrkg was started from.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

ONTOLOGY_DIR = Path(str(files(__package__) / "ontology"))
"""The vocabulary, the theme and status schemes, the SHACL shapes and the review file's JSON schema."""

VOCABULARY_FILES = ("lrkg.ttl", "themes.ttl", "statuses.ttl")
"""The files that state lrkg's terms and controlled vocabularies, loaded into every store."""

SHAPES_FILE = "shapes.ttl"
"""The SHACL shapes every write is checked against."""
