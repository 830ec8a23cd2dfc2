"""A realistic evaluation for the report tests: recommendations in several components (listed
out of order), two units, evidence uploaded, accepted, returned and removed, and texts that
try formula injection or use Indonesian punctuation."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from tests import factories
from tests.evidence.support import pdf
from tracker.core import clock
from tracker.evaluations.models import Evaluation, Finding, Recommendation
from tracker.evidence import services as evidence
from tracker.evidence.models import Evidence
from tracker.extensions import db
from tracker.followups.models import ActionStep, FollowUp, FollowUpStatus
from tracker.reports.matrix import MatrixRow
from tracker.verification import services as verification

DOC_DATE = date(2025, 5, 2)
TICKS = {"cukup": True, "kompeten": True, "relevan": True}
INJECTIONS = ('=HYPERLINK("http://evil.example","klik")', "+1", "-1", "@x", "=1+1")


def at(day: date, hour: int = 3) -> None:
    """Move the frozen clock to `day` (03:00 UTC, 10:00 in Jakarta)."""
    clock.freeze(datetime(day.year, day.month, day.day, hour, tzinfo=UTC))


def add_recommendation(
    evaluation: Evaluation,
    component: int | None,
    number: int,
    text: str,
    units=(),
    pics=(),
    finding: str | None = None,
    **followup,
) -> FollowUp:
    """A recommendation under component `component` (its order; None: none) with its
    follow-up; `followup` sets the follow-up's fields."""
    by_order = {c.order: c for c in evaluation.components}
    owner = by_order[component] if component is not None else None
    recommendation = Recommendation(component=owner, number=number, text=text)
    if finding is not None:
        item = Finding(component=owner, number=number, text=finding)
        evaluation.findings.append(item)
        recommendation.findings.append(item)
    followup.setdefault("due_date", evaluation.followup_deadline)
    recommendation.followup = FollowUp(units=list(units), pics=list(pics), **followup)
    evaluation.recommendations.append(recommendation)
    db.session.commit()
    return recommendation.followup


def upload(followup: FollowUp, actor, name: str, marker: str, title: str = "") -> Evidence:
    item = evidence.add_file(
        followup, actor, io.BytesIO(pdf(marker)), name, title=title, document_date=DOC_DATE
    )
    db.session.commit()
    return item


def link(followup: FollowUp, actor, title: str, url: str) -> Evidence:
    item = evidence.add_link(followup, actor, url=url, title=title, document_date=DOC_DATE)
    db.session.commit()
    return item


def submit(followup: FollowUp, actor, realisation: str = "Sudah dilaksanakan.") -> None:
    followup.realisation = realisation
    db.session.commit()
    verification.submit(followup, actor, followup.version)
    db.session.commit()


def accept(followup: FollowUp, koordinator, note: str = "") -> None:
    verification.accept(
        followup, koordinator, **TICKS, note=note, expected_version=followup.version
    )
    db.session.commit()


def return_(followup: FollowUp, koordinator, note: str) -> None:
    verification.return_followup(followup, koordinator, note, expected_version=followup.version)
    db.session.commit()


@dataclass
class Report:
    evaluation: Evaluation
    iku: FollowUp  # component 1, no 1, UNIT-A: accepted (two files, one link), then a note
    renstra: FollowUp  # component 1, no 2, UNIT-A: returned with a note, overdue
    pengukuran: FollowUp  # component 2, no 1, UNIT-B: accepted (one file)
    pelaporan: FollowUp  # component 3, no 1, UNIT-A: untouched, injection texts
    loose: FollowUp  # no component, UNIT-B: waiting for verification


def make_report(world) -> Report:
    """The evaluation the report tests read; the clock is left at 2025-06-02."""
    at(date(2025, 5, 1))
    evaluation = factories.make_evaluation(
        n_recommendations=0,
        institution="Politeknik Negeri Contoh",
        year=2024,
        evaluator="Inspektorat Jenderal Kemendikbudristek",
        document_number="LHE-12/IJ/2025",
        report_date=date(2025, 3, 10),
        followup_deadline=date(2025, 5, 20),
    )
    a, b = world.unit_a, world.unit_b
    # Created out of order: the report sorts by component, then number.
    pelaporan = add_recommendation(
        evaluation,
        3,
        1,
        INJECTIONS[0],
        [a],
        [world.pic],
        action_plan="+1",
        realisation="-1",
        finding="@x",
    )
    loose = add_recommendation(
        evaluation, None, 1, "Lengkapi SOP pengumpulan data.", [b], [world.other_pic]
    )
    pengukuran = add_recommendation(
        evaluation, 2, 1, "Bangun aplikasi pengukuran kinerja.", [b], [world.other_pic]
    )
    renstra = add_recommendation(
        evaluation,
        1,
        2,
        "Selaraskan Renstra dengan RPJMN — termasuk kegiatan prioritas.",
        [a],
        [world.pic],
        finding="Renstra belum selaras.",
    )
    iku = add_recommendation(
        evaluation,
        1,
        1,
        "Reviu IKU agar berorientasi hasil (outcome).",
        [a],
        [world.pic],
        finding="IKU belum berorientasi hasil.",
        action_plan="Membentuk tim reviu IKU.",
    )
    db.session.add(ActionStep(followup=iku, position=1, text="Rapat tim", done=True))
    db.session.commit()

    at(date(2025, 5, 5))
    upload(iku, world.pic, "SK Tim IKU.pdf", "sk", title="SK Tim IKU")
    upload(iku, world.pic, "SK Tim IKU.pdf", "notulen", title="Notulen rapat")
    link(iku, world.pic, "Folder reviu IKU", "https://drive.example.com/iku")
    submit(iku, world.pic, "IKU telah direviu dan ditetapkan — SK Direktur 12/2025.")
    accept(iku, world.koordinator, note="Lengkap.")

    upload(renstra, world.pic, "Renstra draf.pdf", "draf")
    submit(renstra, world.pic)
    return_(renstra, world.koordinator, "Lampirkan Renstra yang sudah ditandatangani.")
    draft = upload(renstra, world.pic, "Renstra cadangan.pdf", "cadangan")
    evidence.remove(draft, world.pic)
    db.session.commit()

    upload(pengukuran, world.other_pic, "Aplikasi.pdf", "aplikasi")
    submit(pengukuran, world.other_pic)
    accept(pengukuran, world.koordinator)

    upload(loose, world.other_pic, "SOP.pdf", "sop")
    submit(loose, world.other_pic)

    at(date(2025, 6, 2))
    return Report(evaluation, iku, renstra, pengukuran, pelaporan, loose)


def matrix_row(**changes) -> MatrixRow:
    """A matrix row with plain values (a new follow-up, nothing written), `changes` applied."""
    values = dict(
        no=1,
        followup_id=1,
        component_order=1,
        component="Perencanaan Kinerja",
        number=1,
        findings="",
        recommendation="",
        action_plan="",
        units=[],
        pics=[],
        due_date=None,
        realisation="",
        evidence=[],
        status=FollowUpStatus.BELUM,
        status_label="Belum Ditindaklanjuti",
        progress=0,
        verifier_note="",
        remarks="",
    )
    values.update(changes)
    return MatrixRow(**values)
