"""Views: the graphs a person explores in a browser, as plain data for `api` to draw.

Which resources and links each view holds (`contents`), where each node goes (`layout`) and
how it looks (`style`).
Imports: `graph.answers`, `graph.store`, `graph.vocabulary`; never `graph.analytics` or `graph.ingestion`.
"""
