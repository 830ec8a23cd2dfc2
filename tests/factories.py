"""Builders for test data, written straight to the database (the app's services are tested
elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracker.auth.models import Role, User
from tracker.auth.services import hash_password
from tracker.evaluations.models import ComponentScore, Evaluation, Finding, Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.units.models import Unit

PASSWORD = "rahasia-uji-123"


@dataclass
class World:
    unit_a: Unit
    unit_b: Unit
    admin: User
    koordinator: User
    pimpinan: User
    pic: User
    other_pic: User

    def by_role(self, name: str) -> User:
        return getattr(self, name)


def make_unit(code: str, name: str | None = None) -> Unit:
    unit = Unit(code=code, name=name or f"Unit {code}")
    db.session.add(unit)
    db.session.flush()
    return unit


def make_user(email: str, role: Role, units: list[Unit] | None = None, **kwargs) -> User:
    user = User(
        email=email,
        name=kwargs.pop("name", email.split("@")[0].title()),
        role=role,
        password_hash=hash_password(kwargs.pop("password", PASSWORD)),
        units=list(units or []),
        **kwargs,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_world() -> World:
    unit_a = make_unit("UNIT-A", "Bagian Perencanaan")
    unit_b = make_unit("UNIT-B", "Bagian Kepegawaian")
    world = World(
        unit_a=unit_a,
        unit_b=unit_b,
        admin=make_user("admin@example.com", Role.ADMIN),
        koordinator=make_user("koordinator@example.com", Role.KOORDINATOR),
        pimpinan=make_user("pimpinan@example.com", Role.PIMPINAN),
        pic=make_user("pic@example.com", Role.PIC, [unit_a]),
        other_pic=make_user("pic.b@example.com", Role.PIC, [unit_b]),
    )
    db.session.commit()
    return world


def make_evaluation(
    owner_units: list[Unit] | None = None,
    pics: list[User] | None = None,
    n_recommendations: int = 2,
    **fields,
) -> Evaluation:
    """An evaluation with four components, one finding and n recommendations (with follow-ups)."""
    evaluation = Evaluation(
        institution=fields.pop("institution", "Politeknik Contoh"),
        year=fields.pop("year", 2024),
        evaluator=fields.pop("evaluator", "Inspektorat Jenderal"),
        received_date=fields.pop("received_date", date(2025, 3, 1)),
        followup_deadline=fields.pop("followup_deadline", date(2025, 4, 30)),
        total_score=fields.pop("total_score", Decimal("78.55")),
        predikat=fields.pop("predikat", "BB"),
        **fields,
    )
    for order, (name, weight, score) in enumerate(
        [
            ("Perencanaan Kinerja", 30, "23.70"),
            ("Pengukuran Kinerja", 30, "23.10"),
            ("Pelaporan Kinerja", 15, "12.75"),
            ("Evaluasi Akuntabilitas Kinerja Internal", 25, "19.00"),
        ],
        start=1,
    ):
        evaluation.components.append(
            ComponentScore(order=order, name=name, weight=Decimal(weight), score=Decimal(score))
        )
    db.session.add(evaluation)
    db.session.flush()
    first = evaluation.components[0]
    evaluation.findings.append(
        Finding(component=first, number=1, text="Target kinerja belum menantang.")
    )
    for number in range(1, n_recommendations + 1):
        recommendation = Recommendation(
            component=first, number=number, text=f"Rekomendasi nomor {number}."
        )
        recommendation.followup = FollowUp(
            due_date=evaluation.followup_deadline,
            units=list(owner_units or []),
            pics=list(pics or []),
        )
        evaluation.recommendations.append(recommendation)
    db.session.commit()
    return evaluation
