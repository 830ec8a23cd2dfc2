"""LHE import: read an evaluation report (text, PDF, DOCX), parse it, review it, save it."""
