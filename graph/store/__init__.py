"""The store: where the graph lives and how it is asked and changed safely.

The store contract and its engines (embedded Oxigraph, a remote SPARQL engine), the query
workers and their limits, SPARQL guards and parser limits, named queries and how values are
bound, result paging and serialisation, RDF formats by media type, validated writes and the
Graph Store Protocol's operations, the service description, the catalogue of loaded graphs, the
answer cache and values derived from it, the settings and the error hierarchy. `api/` names
graphs, resources and formats here as text and media types, and gets back text, bytes of a
media type or dataclasses: it never imports an engine's types.
Imports: `graph.vocabulary` only.
"""
