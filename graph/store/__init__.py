"""The store: where the graph lives and how it is asked and changed safely.

The store contract and its engines (embedded Oxigraph, a remote SPARQL engine), the query
workers and their limits, SPARQL guards and parser limits, named queries and how values are
bound, result paging and serialisation, validated writes, the catalogue of loaded graphs, the
answer cache and values derived from it, the settings and the error hierarchy.
Imports: `graph.vocabulary` only.
"""
