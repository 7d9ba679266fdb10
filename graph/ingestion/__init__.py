"""Ingestion: what comes into the store, and how it is checked on the way.

Loading and validation of files, the YAML and RDF review formats (and a review exported in
them), recommendation trackers and their mapping, coroners' reports and the splitting of their
concerns, actor reconciliation and theme tagging.
Imports: `graph.store` and `graph.vocabulary`; never `graph.answers`, its neighbour.
"""
