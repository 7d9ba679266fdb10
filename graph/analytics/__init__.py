"""Analytics: what the graph shows across reviews.

Recurrence, lessons not learned, coverage, accountability and centrality, similar findings and
the decisions on them, the failure graph, charts, exports and printable reports.
Imports: `graph.answers`, `graph.ingestion`, `graph.store`, `graph.vocabulary`; never `graph.views`.
"""
