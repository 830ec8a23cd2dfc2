"""Lists of follow-ups with filters, search, sorting and pages, kept in the URL."""
