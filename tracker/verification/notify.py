"""Who hears about a verification step, by e-mail after the commit: the koordinators when a
PIC submits; the follow-up's PICs when the koordinator decides or reopens."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.auth.models import Role, User
from tracker.core.mail import external_url, render_mail, send_after_commit
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.verification.models import Decision, Submission, SubmissionKind


def _koordinators() -> list[User]:
    query = select(User).where(User.role == Role.KOORDINATOR, User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.id)))


def _pics(followup: FollowUp) -> list[User]:
    return [pic for pic in followup.pics if pic.active]


def _link(followup: FollowUp) -> str:
    return external_url("followups.detail", followup_id=followup.id)


def _send(template: str, subject, people: list[User], **context) -> None:
    mails = []
    for person in people:
        with force_locale(person.language):
            text_subject = str(subject) % {
                "number": context["followup"].recommendation.number,
                "institution": context["followup"].recommendation.evaluation.institution,
            }
        mails.append(
            render_mail(
                template, person.email, text_subject, person.language, person=person, **context
            )
        )
    send_after_commit(*mails)


def submitted(followup: FollowUp, submission: Submission) -> None:
    if submission.kind == SubmissionKind.CANNOT:
        subject = _l("Usulan tidak dapat ditindaklanjuti: rekomendasi %(number)s")
    else:
        subject = _l("Menunggu verifikasi: rekomendasi %(number)s")
    _send(
        "submitted",
        subject,
        _koordinators(),
        followup=followup,
        submission=submission,
        link=_link(followup),
    )


def decided(followup: FollowUp, submission: Submission) -> None:
    if submission.decision == Decision.RETURNED:
        subject = _l("Dikembalikan (belum sesuai): rekomendasi %(number)s")
    elif submission.kind == SubmissionKind.CANNOT:
        subject = _l("Disetujui tidak dapat ditindaklanjuti: rekomendasi %(number)s")
    else:
        subject = _l("Diterima (sesuai): rekomendasi %(number)s")
    _send(
        "decided",
        subject,
        _pics(followup),
        followup=followup,
        submission=submission,
        link=_link(followup),
    )


def reopened(followup: FollowUp, reason: str) -> None:
    _send(
        "reopened",
        _l("Dibuka kembali: rekomendasi %(number)s"),
        _pics(followup),
        followup=followup,
        reason=reason,
        link=_link(followup),
    )
