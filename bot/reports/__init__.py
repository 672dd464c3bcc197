"""Monthly figures for the city: tables of counts (small counts masked) as CSV and PNG charts,
a short summary pushed to the admins, and the same figures on the admins' page.

Each table is one small function in a registry (``registry.py``); ``monthly.py`` runs them all for
a month and writes the files. No table holds a family's details: counts, codes and durations only.
"""
