"""Submitting a follow-up for verification and the koordinator's decision on it."""
