"""Every model, imported in one place so the metadata is complete."""

from tracker.auth.models import LoginAttempt, Role, User, user_units
from tracker.comments.models import Comment
from tracker.core.audit import AuditEntry
from tracker.evaluations.models import (
    ComponentScore,
    Evaluation,
    Finding,
    Recommendation,
    recommendation_findings,
)
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.followups.models import (
    ActionStep,
    FollowUp,
    FollowUpStatus,
    followup_pics,
    followup_units,
)
from tracker.lhe.models import ImportStatus, LheImport
from tracker.reminders.models import (
    Reminder,
    ReminderDigest,
    ReminderKind,
    ReminderSettings,
    ReminderStatus,
)
from tracker.units.models import Unit
from tracker.verification.models import Decision, Submission, SubmissionKind, submission_evidence

__all__ = [
    "Reminder",
    "ReminderDigest",
    "ReminderKind",
    "ReminderSettings",
    "ReminderStatus",
    "ActionStep",
    "Comment",
    "Decision",
    "Evidence",
    "EvidenceKind",
    "Submission",
    "SubmissionKind",
    "submission_evidence",
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
