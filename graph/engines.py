"""What lrkg must know about a remote SPARQL engine beyond the standards it speaks.

Most engines need nothing (`standard`: Fuseki, GraphDB, Stardog, Neptune, once their default
graph is the union of their named graphs). Virtuoso keeps graphs of its own (its mapping
schemas, about 2,500 triples) that its default graph includes: they are hidden from every
query with its `DEFINE input:…-exclude` pragmas, which only Virtuoso understands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EngineName = Literal["standard", "virtuoso"]


@dataclass(frozen=True)
class Engine:
    name: EngineName
    own_graphs: tuple[str, ...] = ()
    """Graphs the engine keeps for itself, never to be read as lrkg's."""

    def preamble(self) -> str:
        """Text put before each query's prologue."""
        if self.name != "virtuoso":
            return ""
        return "".join(
            f"DEFINE input:default-graph-exclude <{graph}>\nDEFINE input:named-graph-exclude <{graph}>\n"
            for graph in self.own_graphs
        )


ENGINES: dict[str, Engine] = {
    "standard": Engine("standard"),
    "virtuoso": Engine(
        "virtuoso",
        own_graphs=(
            "http://www.openlinksw.com/schemas/virtrdf#",
            "http://www.w3.org/ns/ldp#",
            "http://localuriqaserver/sparql",
        ),
    ),
}
