"""Evaluations (LHE): scores, predikat, findings and recommendations."""
