"""Concern notes and cases: a network member's quick note becomes a case a specialist claims,
acts on, refers to providers and closes — with every view audited and every change recorded.

models     the tables (Staff, Invite, ConcernNote, Case, CaseEvent, Referral, AuditEntry)
invites    one-time codes that register staff; seed_simulator_staff for local mode
routing    route_note: which specialist leads a new case, and who is told
access     who may see what (checked on every tap, never trusted from postback data)
workflow   claim, act, follow up, refer, hand over, close; the reporter hears back
labels     the names of stages, urgencies, outcomes … (message ids)
messages   the push a specialist gets (never a family's details in a push)
cli        ``python -m bot invite …`` and ``python -m bot members …``
"""
