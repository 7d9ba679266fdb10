"""Answers: the questions analysts ask, and what a person types resolved to resources.

Lists of findings and recommendations, profiles of reviews and actors, the theme tree, theme ×
year, status counts, plain-language ask, full-text search, linked data and what each page
shows; the resolvers from text to a theme, status, actor, review or review kind.
Imports: `graph.store` and `graph.vocabulary`; never `graph.ingestion`, its neighbour.
"""
