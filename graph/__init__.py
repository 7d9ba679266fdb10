"""lrkg's knowledge graph: store, loading, validation, named queries and analytics.

This package knows the domain and nothing of HTTP; the `api` package serves it.
"""
