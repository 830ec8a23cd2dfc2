"""Reminders: the policy, planning them into an outbox, sending one digest per person per day,
and the scheduler process that runs the cycle."""
