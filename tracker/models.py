"""Every model, imported in one place so the metadata is complete."""

from tracker.auth.models import LoginAttempt, Role, User, user_units
from tracker.core.audit import AuditEntry
from tracker.evaluations.models import (
    ComponentScore,
    Evaluation,
    Finding,
    Recommendation,
    recommendation_findings,
)
from tracker.followups.models import FollowUp, FollowUpStatus, followup_pics, followup_units
from tracker.lhe.models import ImportStatus, LheImport
from tracker.units.models import Unit

__all__ = [
    "AuditEntry",
    "ComponentScore",
    "Evaluation",
    "Finding",
    "FollowUp",
    "FollowUpStatus",
    "ImportStatus",
    "LheImport",
    "LoginAttempt",
    "Recommendation",
    "Role",
    "Unit",
    "User",
    "followup_pics",
    "followup_units",
    "recommendation_findings",
    "user_units",
]
