"""The LHE text parser's parts: cleanup, header fields, score table, findings, recommendations."""
