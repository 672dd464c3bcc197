"""Consultation requests: a parent asks a specialist (利用者支援専門員) to get in touch.

models   the table (ConsultationRequest): what the parent wrote and how to reach them
service  record a request as a case of its own kind (S-0001), within a daily limit
"""
