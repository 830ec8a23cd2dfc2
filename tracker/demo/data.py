"""The demo data set: units, one account per role, the 2025 evaluation (and the 2024 one of
earlier.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from tracker.auth.models import Role, User
from tracker.auth.services import hash_password
from tracker.core import audit
from tracker.demo import earlier
from tracker.evaluations import repeats
from tracker.evaluations.models import ComponentScore, Evaluation, Finding, Recommendation
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db
from tracker.followups.models import ActionStep, FollowUp, FollowUpStatus
from tracker.units.models import Unit
from tracker.verification.models import Submission, SubmissionKind

EMAIL_DOMAIN = "demo.tracker.id"

UNITS = [
    ("UPM", "Unit Penjaminan Mutu"),
    ("PERENCANAAN", "Bagian Perencanaan"),
    ("KEPEGAWAIAN", "Bagian Kepegawaian"),
    ("JTM", "Jurusan Teknik Mesin"),
    ("JTE", "Jurusan Teknik Elektro"),
    ("SPI", "Satuan Pengawas Internal"),
]

# (e-mail local part, name, role, unit codes)
ACCOUNTS = [
    ("admin", "Admin Sistem", Role.ADMIN, []),
    ("koordinator", "Dewi Lestari", Role.KOORDINATOR, ["UPM"]),
    ("pimpinan", "Dr. Bambang Setiawan", Role.PIMPINAN, []),
    ("pic.perencanaan", "Andi Pratama", Role.PIC, ["PERENCANAAN"]),
    ("pic.kepegawaian", "Siti Rahmawati", Role.PIC, ["KEPEGAWAIAN"]),
]

# The four components since PermenPANRB 88/2021: name, weight, score (sum 72.35 = BB).
COMPONENTS = [
    ("Perencanaan Kinerja", "30", "22.50"),
    ("Pengukuran Kinerja", "30", "20.85"),
    ("Pelaporan Kinerja", "15", "11.25"),
    ("Evaluasi Akuntabilitas Kinerja Internal", "25", "17.75"),
]
TOTAL_SCORE = Decimal("72.35")
PREDIKAT = "BB"

RECEIVED = date(2026, 10, 19)
# When the demo's waiting follow-up was submitted (fixed, so reminders are predictable).
SUBMITTED_AT = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # Friday 09:00 in Jakarta
FOLLOWUP_DAYS = 60

# Per component (by order): findings (catatan), then recommendations. Each recommendation
# answers the finding with the same position; `owners` are unit codes, `pics` e-mail local
# parts; `work` = (action plan, progress) for follow-ups already started.
FINDINGS = {
    1: [
        "Indikator Kinerja Utama pada Rencana Strategis belum seluruhnya selaras dengan indikator "
        "pada Perjanjian Kinerja tahun berjalan.",
        "Rencana aksi atas target kinerja belum disusun per triwulan, sehingga kemajuan "
        "pencapaian target sulit dipantau oleh pimpinan.",
    ],
    2: [
        "Data capaian kinerja masih dikumpulkan secara manual dari setiap jurusan dan belum "
        "didukung sistem informasi yang terintegrasi.",
        "Penjenjangan (cascading) kinerja dari tingkat politeknik sampai tingkat individu belum "
        "lengkap, terutama pada jurusan.",
        "Hasil pengukuran kinerja belum menjadi dasar pemberian penghargaan dan sanksi kepada "
        "pegawai.",
    ],
    3: [
        "Laporan Kinerja belum menyajikan analisis efisiensi penggunaan sumber daya dibandingkan "
        "dengan capaian kinerja.",
        "Laporan Kinerja tahun lalu disampaikan melewati batas waktu yang ditetapkan.",
    ],
    4: [
        "Evaluasi akuntabilitas kinerja internal belum dilaksanakan pada seluruh unit kerja dan "
        "hasilnya belum ditindaklanjuti dengan rencana perbaikan yang terukur.",
    ],
}

RECOMMENDATIONS = {
    1: [
        {
            "text": "Menyelaraskan Indikator Kinerja Utama pada Rencana Strategis dengan "
            "Perjanjian Kinerja dan menetapkan target berdasarkan capaian tahun sebelumnya.",
            "owners": ["PERENCANAAN"],
            "pics": ["pic.perencanaan"],
            "work": (
                "Menyusun matriks keselarasan IKU Renstra dan Perjanjian Kinerja, lalu membahasnya "
                "dalam rapat pimpinan bulan November.",
                40,
            ),
            "steps": [
                (
                    "Menyusun matriks keselarasan IKU dan Perjanjian Kinerja",
                    date(2026, 11, 14),
                    True,
                ),
                ("Membahas matriks dalam rapat pimpinan", date(2026, 11, 28), False),
                ("Menetapkan revisi Perjanjian Kinerja", date(2026, 12, 12), False),
            ],
        },
        {
            "text": "Menyusun rencana aksi triwulanan untuk setiap target kinerja dan memantau "
            "pelaksanaannya dalam rapat evaluasi berkala.",
            "owners": ["PERENCANAAN"],
            "pics": [],
        },
    ],
    2: [
        {
            "text": "Membangun sistem informasi kinerja yang menghimpun data capaian dari seluruh "
            "unit kerja secara berkala.",
            "owners": [],
            "pics": [],
        },
        {
            "text": "Menyelesaikan penjenjangan kinerja sampai tingkat individu pada seluruh "
            "jurusan dan menuangkannya dalam Sasaran Kinerja Pegawai.",
            "owners": ["KEPEGAWAIAN", "JTM", "JTE"],
            "pics": ["pic.kepegawaian"],
            "work": (
                "Mengumpulkan pohon kinerja setiap jurusan dan menyelaraskannya dengan SKP dosen "
                "dan tenaga kependidikan.",
                25,
            ),
        },
        {
            "text": "Menetapkan kebijakan tertulis tentang pemberian penghargaan dan sanksi "
            "berdasarkan hasil pengukuran kinerja.",
            "owners": ["KEPEGAWAIAN"],
            "pics": ["pic.kepegawaian"],
            "work": ("Menyusun rancangan peraturan direktur dan membahasnya dengan senat.", 100),
            # Already sent for verification: the koordinator has something to check.
            "submitted": {
                "realisation": "Peraturan Direktur tentang penghargaan dan sanksi berbasis "
                "kinerja telah ditetapkan dan disosialisasikan kepada seluruh pegawai.",
                "link": (
                    "Peraturan Direktur No. 12 Tahun 2026 (folder bersama)",
                    "https://drive.example.com/sakip/perdir-12-2026",
                    date(2026, 11, 10),
                ),
            },
        },
    ],
    3: [
        {
            "text": "Melengkapi Laporan Kinerja dengan analisis efisiensi penggunaan sumber daya "
            "terhadap capaian setiap sasaran.",
            "owners": ["PERENCANAAN"],
            "pics": [],
        },
        {
            "text": "Menetapkan jadwal penyusunan Laporan Kinerja beserta penanggung jawabnya agar "
            "laporan disampaikan tepat waktu.",
            "owners": [],
            "pics": [],
        },
    ],
    4: [
        {
            "text": "Melaksanakan evaluasi akuntabilitas kinerja internal pada seluruh unit kerja "
            "dan memantau tindak lanjut hasilnya sampai selesai.",
            "owners": ["SPI"],
            "pics": [],
        },
    ],
}


@dataclass(frozen=True)
class Credential:
    """A demo account and its one-time password."""

    role: str
    units: str
    email: str
    password: str


def has_data() -> bool:
    """True when the database already holds any unit, user or evaluation."""
    return any(
        db.session.scalar(select(model.id).limit(1)) is not None
        for model in (Unit, User, Evaluation)
    )


def load() -> list[Credential]:
    """Add the demo units, accounts and evaluation (caller commits); returns the credentials."""
    units = {code: Unit(code=code, name=name) for code, name in UNITS}
    db.session.add_all(units.values())
    credentials: list[Credential] = []
    users: dict[str, User] = {}
    for local_part, name, role, unit_codes in ACCOUNTS:
        password = secrets.token_urlsafe(12)
        email = f"{local_part}@{EMAIL_DOMAIN}"
        users[local_part] = User(
            email=email,
            name=name,
            role=role,
            password_hash=hash_password(password),
            units=[units[code] for code in unit_codes],
        )
        unit_names = ", ".join(units[code].name for code in unit_codes) or "-"
        credentials.append(Credential(role.value, unit_names, email, password))
    db.session.add_all(users.values())
    evaluation = _evaluation(units, users)
    db.session.add(evaluation)
    db.session.flush()
    audit.record(
        None,
        evaluation,
        "create",
        institution=evaluation.institution,
        year=evaluation.year,
        source="demo",
    )
    db.session.flush()
    for recommendation, item in zip(
        evaluation.recommendations,
        [item for order in sorted(RECOMMENDATIONS) for item in RECOMMENDATIONS[order]],
        strict=True,
    ):
        if "submitted" in item:
            _submit(recommendation.followup, item, users)
    db.session.flush()
    earlier.load(units, users)
    db.session.flush()
    repeats.flag_repeats(evaluation)  # three 2025 recommendations repeat a 2024 one
    db.session.flush()
    return credentials


def _evaluation(units: dict[str, Unit], users: dict[str, User]) -> Evaluation:
    deadline = RECEIVED + timedelta(days=FOLLOWUP_DAYS)
    evaluation = Evaluation(
        institution="Politeknik Negeri Contoh",
        year=2025,
        evaluator="Inspektorat Jenderal",
        document_number="PW.03.01/0417/IJ/2026",
        report_date=date(2026, 10, 12),
        received_date=RECEIVED,
        followup_deadline=deadline,
        next_evaluation_date=date(2027, 8, 31),
        total_score=TOTAL_SCORE,
        predikat=PREDIKAT,
        notes="Data contoh: LHE fiktif untuk mencoba aplikasi.",
    )
    finding_number = recommendation_number = 0
    for order, (name, weight, score) in enumerate(COMPONENTS, start=1):
        component = ComponentScore(
            order=order, name=name, weight=Decimal(weight), score=Decimal(score)
        )
        evaluation.components.append(component)
        findings = []
        for text in FINDINGS[order]:
            finding_number += 1
            findings.append(Finding(component=component, number=finding_number, text=text))
        evaluation.findings.extend(findings)
        for finding, item in zip(findings, RECOMMENDATIONS[order], strict=True):
            recommendation_number += 1
            recommendation = Recommendation(
                component=component,
                number=recommendation_number,
                text=item["text"],
                findings=[finding],
            )
            recommendation.followup = _followup(item, deadline, units, users)
            evaluation.recommendations.append(recommendation)
    return evaluation


def _followup(item: dict, deadline: date, units: dict, users: dict) -> FollowUp:
    followup = FollowUp(
        due_date=deadline,
        units=[units[code] for code in item["owners"]],
        pics=[users[local_part] for local_part in item["pics"]],
        status=FollowUpStatus.BELUM,
        progress=0,
    )
    if "work" in item:
        followup.action_plan, followup.progress = item["work"]
        followup.status = FollowUpStatus.PROSES
    for position, (text, target, done) in enumerate(item.get("steps", []), start=1):
        followup.steps.append(
            ActionStep(position=position, text=text, target_date=target, done=done)
        )
    return followup


def _submit(followup: FollowUp, item: dict, users: dict) -> None:
    """Put a demo follow-up in "menunggu verifikasi" with a link as its evidence."""
    pic = users[item["pics"][0]]
    title, url, document_date = item["submitted"]["link"]
    followup.realisation = item["submitted"]["realisation"]
    evidence = Evidence(
        followup_id=followup.id,
        kind=EvidenceKind.LINK,
        title=title,
        url=url,
        document_date=document_date,
        uploaded_by_id=pic.id,
        uploaded_at=SUBMITTED_AT,
    )
    db.session.add(evidence)
    db.session.add(
        Submission(
            followup_id=followup.id,
            kind=SubmissionKind.COMPLETION,
            realisation=followup.realisation,
            submitted_by_id=pic.id,
            submitted_at=SUBMITTED_AT,
            evidence=[evidence],
        )
    )
    followup.status = FollowUpStatus.MENUNGGU
    audit.record(pic, followup, "evidence_added", title=title, url=url)
    audit.record(
        pic,
        followup,
        "status",
        move="submit",
        status=[FollowUpStatus.PROSES, FollowUpStatus.MENUNGGU],
        evidence=1,
    )
