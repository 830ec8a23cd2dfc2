"""Admin pages for user accounts."""
