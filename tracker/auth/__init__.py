"""Accounts: users, roles, login, logout, throttling."""
