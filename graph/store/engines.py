"""What lrkg must know about a remote SPARQL engine beyond the standards it speaks.

Most engines need nothing (`standard`: Fuseki, GraphDB, Stardog, Neptune, once their default
graph is the union of their named graphs). Virtuoso keeps graphs of its own (its mapping
schemas, about 2,500 triples): they are never listed, counted or read as lrkg's graphs. Its
default graph includes them, and they stay there: Virtuoso's pragmas for leaving graphs out
of the default graph (`DEFINE input:default-graph-exclude`) make its compiler fail on
property paths such as `skos:broader*`, which the theme questions need. Their triples use
Virtuoso's own vocabulary, so no question of lrkg's matches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EngineName = Literal["standard", "virtuoso"]


@dataclass(frozen=True)
class Engine:
    name: EngineName
    own_graphs: frozenset[str] = frozenset()
    """Graphs the engine keeps for itself, never to be read as lrkg's."""


ENGINES: dict[str, Engine] = {
    "standard": Engine("standard"),
    "virtuoso": Engine(
        "virtuoso",
        own_graphs=frozenset(
            {
                "http://www.openlinksw.com/schemas/virtrdf#",
                "http://www.w3.org/ns/ldp#",
                "http://localuriqaserver/sparql",
            }
        ),
    ),
}
