"""Units (unit kerja): who owns follow-ups."""
