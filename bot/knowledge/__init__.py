"""The knowledge base: what the city offers families, how it is imported, and how it is found.

Dialogs use `bot.knowledge.search` (SearchIndex, load_entries), `bot.knowledge.cards`
(card_data, salons_this_week) and `bot.knowledge.city` (load_city).
"""
