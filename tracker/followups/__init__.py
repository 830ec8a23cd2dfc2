"""Follow-ups (tindak lanjut): one per recommendation, with owners, PICs, deadline and status."""
