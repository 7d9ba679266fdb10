"""lrkg's HTTP API: the SPARQL endpoint and REST resources over the `graph` package."""
