"""Plain-text comments between the koordinator and the PICs on a follow-up."""
