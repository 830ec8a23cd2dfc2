"""Shared plumbing: clock, column types, audit, permissions, form fields."""
