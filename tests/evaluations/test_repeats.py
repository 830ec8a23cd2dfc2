"""Repeated recommendations: text similarity, which earlier recommendations count, the flags."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.lhe.import_helpers import hand_parse
from tracker.evaluations import repeats, services
from tracker.evaluations.models import Recommendation
from tracker.evaluations.repeats import REPEAT_THRESHOLD, flag_repeats, normalise, similarity
from tracker.extensions import db
from tracker.lhe.saving import create_from_parse

# Pairs taken from real LHEs (shared/samples, tests/lhe/samples) and reworded the way an evaluator
# repeats a recommendation the next year.
REPEATS = [
    (
        "Capaian kinerja tahun sebelumnya agar dijadikan bahan pertimbangan untuk menentukan "
        "target kinerja ditahun selanjutnya.",
        "Agar capaian kinerja tahun sebelumnya dijadikan pertimbangan dalam menentukan target "
        "kinerja tahun berikutnya.",
    ),
    (
        "Memperbaiki rumusan IKU agar berorientasi hasil (outcome) dan memenuhi kriteria SMART.",
        "Agar rumusan IKU diperbaiki sehingga berorientasi hasil (outcome) serta memenuhi "
        "kriteria SMART.",
    ),
    (
        "Menyampaikan Laporan Kinerja tepat waktu sesuai ketentuan dan memublikasikannya pada "
        "laman resmi Dinas.",
        "Menyampaikan Laporan Kinerja tepat waktu dan mempublikasikan pada laman resmi Dinas.",
    ),
    (
        "Membangun aplikasi pengumpulan data kinerja yang terintegrasi, meliputi: a) data "
        "akademik; b) data keuangan; c) data kepegawaian.",
        "Membangun aplikasi pengumpulan data kinerja yang terintegrasi (data akademik, keuangan, "
        "dan kepegawaian).",
    ),
    (
        "Agar dibuat kebijakan pengukuran kinerja yang menjadi dasar pemberian reward dan/atau "
        "punishment dan dituangkan dalam kebijakan secara formal.",
        "Agar dibuat kebijakan formal pemberian reward dan punishment yang didasarkan pada hasil "
        "pengukuran kinerja.",
    ),
    (
        "Menyelaraskan Rencana Strategis dengan RPJMD melalui reviu Renstra, khususnya rumusan "
        "sasaran strategis dan indikatornya.",
        "Melakukan reviu Renstra agar rumusan sasaran strategis dan indikatornya selaras dengan "
        "RPJMD.",
    ),
    (
        "Mengaitkan hasil pengukuran kinerja individu dengan pemberian tunjangan kinerja.",
        "Agar hasil pengukuran kinerja individu dikaitkan dengan pemberian tunjangan kinerja "
        "pegawai.",
    ),
]
# Different recommendations of the same field: they share "kinerja", "laporan", "evaluasi", ...
DIFFERENT = [
    (
        "Menyelaraskan Rencana Strategis dengan RPJMD melalui reviu Renstra, khususnya rumusan "
        "sasaran strategis dan indikatornya.",
        "Memperbaiki rumusan IKU agar berorientasi hasil (outcome) dan memenuhi kriteria SMART.",
    ),
    (
        "Melaksanakan pengukuran kinerja secara berkala setiap triwulan menggunakan aplikasi "
        "e-kinerja.",
        "Melaksanakan evaluasi internal secara menyeluruh dan mendokumentasikan tindak lanjut "
        "atas rekomendasi hasil evaluasi.",
    ),
    (
        "Menyampaikan Laporan Kinerja tepat waktu sesuai ketentuan dan memublikasikannya pada "
        "laman resmi Dinas.",
        "Menambahkan analisis penyebab kegagalan dan langkah perbaikan dalam laporan kinerja.",
    ),
    (
        "Menetapkan prosedur validasi data kinerja oleh pimpinan fakultas.",
        "Menetapkan target kinerja yang menantang dengan mempertimbangkan realisasi tahun "
        "sebelumnya.",
    ),
    (
        "Agar dalam Evaluasi AKIP Tahun selanjutnya melengkapi pembahasan/evaluasi mengenai hasil "
        "akuntabilitas kinerja internal tahun lalu yang dilakukan oleh unit kerja.",
        "Agar dalam Evaluasi AKIP Tahun selanjutnya melengkapi data dukung yang disajikan salah "
        "satunya sertifikat diklat SAKIP atau dokumen relevan lainnya.",
    ),
    (
        "Menetapkan kebijakan pemberian reward dan/atau punishment berdasarkan hasil pengukuran "
        "kinerja, antara lain dalam bentuk promosi/demosi.",
        "Mengaitkan hasil pengukuran kinerja individu dengan pemberian tunjangan kinerja.",
    ),
    (
        "Melaksanakan pengukuran kinerja secara berkala setiap triwulan.",
        "Agar rekomendasi/informasi dalam pengukuran kinerja triwulanan digunakan untuk "
        "menyesuaikan penggunaan anggaran untuk mencapai kinerja.",
    ),
    # A short text is not a repeat of every longer one that happens to contain its words.
    ("Menyusun IKU.", "Menyusun IKU, Renstra, dan perjanjian kinerja seluruh jurusan."),
]
PLAN = "Menetapkan target kinerja yang menantang dengan mempertimbangkan realisasi tahun lalu."
PLAN_AGAIN = (
    "Agar target kinerja ditetapkan menantang dengan mempertimbangkan realisasi tahun lalu."
)
REPORT = "Menyampaikan Laporan Kinerja tepat waktu dan memublikasikannya pada laman resmi."
OTHER = "Membentuk tim evaluasi internal dan mengikutsertakannya dalam pelatihan SAKIP."


def test_normalise_drops_case_punctuation_stop_words_and_list_markers():
    assert normalise("Agar rumusan IKU, dan/atau: a) target; b) indikator yang SMART.") == (
        "rumusan iku target indikator smart"
    )


@pytest.mark.parametrize(("earlier", "later"), REPEATS)
def test_reworded_repeats_reach_the_threshold(earlier, later):
    assert similarity(earlier, later) >= REPEAT_THRESHOLD
    assert similarity(later, earlier) == similarity(earlier, later)


@pytest.mark.parametrize(("earlier", "later"), DIFFERENT)
def test_different_topics_stay_below_the_threshold(earlier, later):
    assert similarity(earlier, later) < 70  # a clear margin below REPEAT_THRESHOLD


def test_empty_texts_are_not_similar():
    assert similarity("", "Menyusun IKU.") == 0
    assert similarity("dan yang agar", "dan yang agar") == 0


def evaluation_with(texts: list[str], **fields):
    """An evaluation whose recommendations have `texts` (numbered 1.. under the first component)."""
    evaluation = factories.make_evaluation(n_recommendations=len(texts), **fields)
    for recommendation, text in zip(evaluation.recommendations, texts, strict=True):
        recommendation.text = text
    db.session.commit()
    return evaluation


def flags(evaluation) -> list[tuple[str, int | None, int | None]]:
    """(text, id of the repeated recommendation, score) per recommendation, in created order."""
    db.session.expire_all()
    rows = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.evaluation_id == evaluation.id)
        .order_by(Recommendation.id)
    )
    return [(r.text, r.repeat_of_id, r.repeat_score) for r in rows]


def test_flags_the_most_similar_recommendation_of_an_earlier_year(app_ctx):
    earlier = evaluation_with([PLAN, REPORT], year=2023)
    later = evaluation_with([PLAN_AGAIN, OTHER], year=2024)
    flagged = flag_repeats(later)
    db.session.commit()
    plan = earlier.recommendations[0]
    score = similarity(PLAN, PLAN_AGAIN)
    assert score >= REPEAT_THRESHOLD
    assert [r.text for r in flagged] == [PLAN_AGAIN]
    assert flags(later) == [(PLAN_AGAIN, plan.id, score), (OTHER, None, None)]
    assert later.recommendations[0].repeat_of.evaluation.year == 2023
    assert flags(earlier) == [(PLAN, None, None), (REPORT, None, None)]  # untouched


def test_only_earlier_years_count(app_ctx):
    same_year = evaluation_with([PLAN], year=2024, evaluator="SPI")
    later = evaluation_with([PLAN], year=2025)
    evaluation = evaluation_with([PLAN_AGAIN], year=2024)
    assert flag_repeats(evaluation) == []
    assert flags(evaluation) == [(PLAN_AGAIN, None, None)]
    assert same_year.id and later.id


def test_only_the_same_institution_counts_ignoring_case_and_spaces(app_ctx):
    evaluation_with([PLAN], year=2023, institution="Politeknik Lain")
    same = evaluation_with([REPORT], year=2022, institution="  POLITEKNIK   contoh ")
    evaluation = evaluation_with([PLAN_AGAIN, REPORT], year=2024, institution="Politeknik Contoh")
    flag_repeats(evaluation)
    assert flags(evaluation) == [
        (PLAN_AGAIN, None, None),
        (REPORT, same.recommendations[0].id, 100),
    ]


def test_a_tie_takes_the_latest_year(app_ctx):
    evaluation_with([PLAN], year=2022)
    latest = evaluation_with([PLAN], year=2023)
    evaluation = evaluation_with([PLAN], year=2024)
    flag_repeats(evaluation)
    assert flags(evaluation) == [(PLAN, latest.recommendations[0].id, 100)]


def test_threshold_boundary(app_ctx):
    evaluation_with([PLAN], year=2023)
    evaluation = evaluation_with([PLAN_AGAIN], year=2024)
    score = similarity(PLAN, PLAN_AGAIN)
    assert 80 <= score < 100
    assert flag_repeats(evaluation, threshold=score + 1) == []
    assert flags(evaluation)[0][2] is None
    assert len(flag_repeats(evaluation, threshold=score)) == 1
    assert flags(evaluation)[0][2] == score


def test_flagging_again_clears_what_no_longer_repeats(app_ctx):
    evaluation_with([PLAN], year=2023)
    evaluation = evaluation_with([PLAN_AGAIN], year=2024)
    flag_repeats(evaluation)
    evaluation.recommendations[0].text = OTHER
    flag_repeats(evaluation)
    assert flags(evaluation) == [(OTHER, None, None)]


def test_carried_over_recommendations_are_not_flagged(app_ctx):
    earlier = evaluation_with([PLAN], year=2023)
    evaluation = evaluation_with([PLAN], year=2024)
    evaluation.recommendations[0].carried_from = earlier.recommendations[0]
    assert flag_repeats(evaluation) == []
    assert flags(evaluation) == [(PLAN, None, None)]


def test_deleting_the_earlier_evaluation_clears_the_flag(app_ctx, world):
    earlier = evaluation_with([PLAN], year=2023)
    evaluation = evaluation_with([PLAN], year=2024)
    flag_repeats(evaluation)
    db.session.commit()
    services.delete_evaluation(world.koordinator, earlier)
    db.session.commit()
    # The database unlinks it (ON DELETE SET NULL); the score means nothing without the link
    # and goes on the next flagging.
    assert flags(evaluation)[0][:2] == (PLAN, None)
    flag_repeats(evaluation)
    assert flags(evaluation) == [(PLAN, None, None)]


def test_an_imported_lhe_is_flagged_when_saved(app_ctx, world):
    first = create_from_parse(world.koordinator, hand_parse(year=2023), None, None)
    assert first.warnings == []
    parsed = hand_parse(year=2024)
    parsed.recommendations[3].text = OTHER
    result = create_from_parse(world.koordinator, parsed, None, None)
    db.session.commit()
    got = flags(result.evaluation)
    earlier = {r.text: r.id for r in first.evaluation.recommendations}
    assert [(text, repeat, score) for text, repeat, score in got[:3]] == [
        (text, earlier[text], 100) for text, _r, _s in got[:3]
    ]
    assert got[3] == (OTHER, None, None)
    assert result.warnings == [
        "3 rekomendasi mirip rekomendasi tahun sebelumnya dan ditandai berulang."
    ]


def test_an_older_lhe_imported_late_flags_the_later_years(app_ctx, world):
    later = create_from_parse(world.koordinator, hand_parse(year=2024), None, None).evaluation
    assert all(repeat is None for _t, repeat, _s in flags(later))
    create_from_parse(world.koordinator, hand_parse(year=2023), None, None)
    db.session.commit()
    assert [score for _t, _r, score in flags(later)] == [100, 100, 100, 100]


def test_cli_flags_every_evaluation(app, app_ctx):
    evaluation_with([PLAN], year=2023)
    evaluation = evaluation_with([PLAN_AGAIN, OTHER], year=2024)
    result = app.test_cli_runner().invoke(args=["evaluations", "flag-repeats"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 recommendations flagged as repeats."
    assert [r is not None for _t, r, _s in flags(evaluation)] == [True, False]


def test_repeat_score_is_kept_within_0_to_100(app_ctx):
    evaluation = evaluation_with([PLAN], year=2023)
    evaluation.recommendations[0].repeat_score = 101
    with pytest.raises(Exception, match="(?i)check|constraint"):
        db.session.commit()
    db.session.rollback()
    assert repeats.REPEAT_THRESHOLD == 80
