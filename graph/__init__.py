"""lrkg's domain: learning reviews as a knowledge graph, with no knowledge of HTTP.

The package is built in wings, each a layer that imports only the wings below it (the
architecture test, `tests/test_architecture.py`, holds every wing to this):

    analytics | views        what the graph shows across reviews, and the graphs a person explores
    answers | ingestion      the questions analysts ask; what comes into the store, checked
    store                    the engines, queries, limits, validated writes and settings
    vocabulary               the terms lrkg speaks, read from ontology/, with no store

Wings side by side (`|`) never import each other. Beside the wings, `queries/` holds the named
SPARQL queries and `curated/` the reviews lrkg ships with (`data/` in a checkout). `api` is
the only face: the web app and the `lrkg` command.
"""
