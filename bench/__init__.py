"""Benchmarks (``python bench/webhook.py``); helpers here are imported by the servers they start."""
