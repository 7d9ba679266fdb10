"""The vocabulary: the terms lrkg speaks, known without a store.

The namespaces and IRIs lrkg mints, the controlled vocabularies (themes, statuses, polarities,
review kinds) as `ontology/` states them, where the ontology's files are, and partial dates.
Imports: nothing from the other wings; it is the bottom layer.
"""
