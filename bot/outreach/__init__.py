"""Outreach consultations (出張相談, seed outline ② 4): the sessions the city publishes in the
knowledge base (entries of kind ``outreach``), their slots, and parents' bookings of them."""
