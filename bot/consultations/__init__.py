"""Consultation requests: a parent asks a specialist (利用者支援専門員) to get in touch.

models   the table (ConsultationRequest, S-0001)
service  record a request and tell the specialists (topic, stage, area — never the words);
         open one, audited
"""
