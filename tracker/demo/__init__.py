"""The demo data set: units, one account per role, one evaluation."""
