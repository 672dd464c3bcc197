"""The knowledge base: what the city offers families, how it is imported, and how it is found.

models / store   the tables, and writing and reading them as records (``Entry``)
importers        YAML and the national open-data CSVs, all or nothing, errors with line and column
text / facets    Japanese text analysis; age, weekday and area read out of a question
search           the in-memory index (BM25F, readings, synonyms, relaxing filters)
schedule / cards a salon's sessions from its rules; what a card shows
service          ``KnowledgeBase``: what the handlers use — search, browse (the guided search),
                 an entry, its card, this week's salons
export           the knowledge base back out as YAML
"""
