"""The regional networks (地域子育て支援ネットワーク, outline ② 3): a specialist calls a meeting for
an area; the area's members are invited and reminded the day before; the specialist gets an
agenda of the area's open cases by reference (never names or words).

models   the meetings
service  calling one (invitations, the agenda) and the clock's reminder
"""
