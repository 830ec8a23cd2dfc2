"""The list filters: read from the query string and written back unchanged, bad values explained
rather than failing, and each filter selecting exactly its follow-ups within the user's reach."""

from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from tests import factories
from tests.monitoring.support import followups, ids
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.followups.models import FollowUpStatus
from tracker.monitoring.filters import MAX_QUERY, FollowUpFilter, parse

# --- parse and to_args ------------------------------------------------------------------------


def test_empty_query_string_is_the_default_filter(app_ctx):
    flt, errors = parse(MultiDict())
    assert errors == []
    assert flt == FollowUpFilter()
    assert flt.to_args() == {}
    assert not flt.active


def test_every_field_round_trips_through_the_query_string(app_ctx):
    flt = FollowUpFilter(
        evaluation=3,
        component=7,
        unit=2,
        pic=5,
        status=FollowUpStatus.DIKEMBALIKAN,
        overdue=True,
        q="indikator kinerja",
        sort="progress",
        desc=True,
        page=4,
    )
    args = flt.to_args()
    assert args == {
        "evaluation": "3",
        "component": "7",
        "unit": "2",
        "pic": "5",
        "status": "dikembalikan",
        "overdue": "1",
        "q": "indikator kinerja",
        "sort": "progress",
        "desc": "1",
        "page": "4",
    }
    assert parse(MultiDict(args)) == (flt, [])
    assert flt.active


def test_a_change_goes_back_to_page_one_but_a_page_change_keeps_the_rest(app_ctx):
    flt = FollowUpFilter(unit=2, q="renstra", page=3)
    assert flt.to_args(sort="status") == {"unit": "2", "q": "renstra", "sort": "status"}
    assert flt.to_args(page=4) == {"unit": "2", "q": "renstra", "page": "4"}
    assert flt.to_args(page=1) == {"unit": "2", "q": "renstra"}
    assert FollowUpFilter(sort="number", desc=True).to_args(desc=False) == {"sort": "number"}


def test_search_text_is_squeezed_and_checkbox_values_accepted(app_ctx):
    flt, errors = parse(MultiDict({"q": "  indikator \t  kinerja\n", "overdue": "on"}))
    assert errors == []
    assert flt.q == "indikator kinerja"
    assert flt.overdue is True
    assert parse(MultiDict({"overdue": "0"}))[0].overdue is False


def test_bad_values_are_left_out_with_a_message_each(app_ctx):
    flt, errors = parse(
        MultiDict(
            {
                "evaluation": "abc",
                "component": "-1",
                "unit": "0",
                "pic": "1.5",
                "page": "x",
                "status": "selesai",
                "sort": "name; drop table users",
            }
        )
    )
    assert flt == FollowUpFilter()
    assert errors == [
        "Evaluasi tidak dikenal; filter itu diabaikan.",
        "Komponen tidak dikenal; filter itu diabaikan.",
        "Unit tidak dikenal; filter itu diabaikan.",
        "PIC tidak dikenal; filter itu diabaikan.",
        "Halaman tidak dikenal; filter itu diabaikan.",
        "Status tidak dikenal; filter itu diabaikan.",
        "Urutan tidak dikenal; diurutkan menurut batas waktu.",
    ]


def test_a_long_search_is_cut_with_a_message(app_ctx):
    flt, errors = parse(MultiDict({"q": "a" * (MAX_QUERY + 50), "unit": "2"}))
    assert len(flt.q) == MAX_QUERY
    assert flt.unit == 2
    assert errors == [f"Teks pencarian dipotong menjadi {MAX_QUERY} karakter."]


# --- matching_ids -----------------------------------------------------------------------------


def test_evaluation_and_component_filters(world):
    f2023 = followups([world.unit_a], n=1, year=2023)
    f2024 = followups([world.unit_a], n=3, year=2024)
    evaluation = f2024[0].recommendation.evaluation
    second = evaluation.components[1]
    f2024[2].recommendation.component = second
    db.session.commit()
    koordinator = world.koordinator

    assert ids(koordinator) == sorted(f.id for f in f2023 + f2024)
    assert ids(koordinator, evaluation=evaluation.id) == sorted(f.id for f in f2024)
    assert ids(koordinator, evaluation=evaluation.id, component=second.id) == [f2024[2].id]
    assert ids(koordinator, component=evaluation.components[0].id) == sorted(
        [f2024[0].id, f2024[1].id]
    )
    assert ids(koordinator, evaluation=f2023[0].recommendation.evaluation_id) == [f2023[0].id]
    assert ids(koordinator, evaluation=999_999) == []


def test_unit_and_pic_filters(world):
    second_pic = factories.make_user("pic2@example.com", Role.PIC, [world.unit_a])
    only_a, both, only_b = (
        followups([world.unit_a], [world.pic], n=1)[0],
        followups([world.unit_a, world.unit_b], [world.pic, world.other_pic], n=1)[0],
        followups([world.unit_b], [world.other_pic, second_pic], n=1)[0],
    )
    pimpinan = world.pimpinan

    assert ids(pimpinan, unit=world.unit_a.id) == sorted([only_a.id, both.id])
    assert ids(pimpinan, unit=world.unit_b.id) == sorted([both.id, only_b.id])
    assert ids(pimpinan, pic=world.pic.id) == sorted([only_a.id, both.id])
    assert ids(pimpinan, pic=second_pic.id) == [only_b.id]
    assert ids(pimpinan, unit=world.unit_a.id, pic=world.other_pic.id) == [both.id]


def test_status_filter(world):
    belum, proses, sesuai = followups([world.unit_a], n=3)
    proses.status = FollowUpStatus.PROSES
    sesuai.status = FollowUpStatus.SESUAI
    db.session.commit()

    assert ids(world.koordinator, status=FollowUpStatus.PROSES) == [proses.id]
    assert ids(world.koordinator, status=FollowUpStatus.SESUAI) == [sesuai.id]
    assert ids(world.koordinator, status=FollowUpStatus.BELUM) == [belum.id]
    assert ids(world.koordinator, status=FollowUpStatus.MENUNGGU) == []


def test_overdue_is_open_and_past_its_due_date_in_local_time(world, frozen_clock):
    # The clock is frozen at Monday 2 June 2025, 07:00 in Jakarta.
    late, due_today, closed_late, undated, later, returned_late = followups([world.unit_a], n=6)
    late.due_date = date(2025, 6, 1)
    due_today.due_date = date(2025, 6, 2)
    closed_late.due_date = date(2025, 5, 1)
    closed_late.status = FollowUpStatus.TIDAK_DAPAT
    undated.due_date = None
    later.due_date = date(2025, 7, 1)
    returned_late.due_date = date(2025, 5, 20)
    returned_late.status = FollowUpStatus.DIKEMBALIKAN
    db.session.commit()

    assert ids(world.koordinator, overdue=True) == sorted([late.id, returned_late.id])
    assert ids(world.koordinator, overdue=True, status=FollowUpStatus.BELUM) == [late.id]


def test_search_needs_every_word_in_any_order_and_case(world):
    first, second, third = followups([world.unit_a], n=3)
    first.recommendation.text = "Menyusun Indikator Kinerja Utama yang berorientasi hasil."
    second.recommendation.text = "Menyusun rencana strategis."
    third.recommendation.text = "Menetapkan indikator kinerja individu."
    db.session.commit()

    assert ids(world.koordinator, q="indikator MENYUSUN") == [first.id]
    assert ids(world.koordinator, q="kinerja indikator") == sorted([first.id, third.id])
    assert ids(world.koordinator, q="menyusun") == sorted([first.id, second.id])
    assert ids(world.koordinator, q="menyusun evaluasi") == []


def test_search_takes_like_wildcards_literally(world):
    percent, thousand, underscore, letter, backslash = followups([world.unit_a], n=5)
    percent.recommendation.text = "Capaian 100% dari target."
    thousand.recommendation.text = "Capaian 1000 dari target."
    underscore.recommendation.text = "Isi kolom kode_unit."
    letter.recommendation.text = "Isi kolom kodeXunit."
    backslash.recommendation.text = r"Simpan di folder data\sakip."
    db.session.commit()
    koordinator = world.koordinator

    assert ids(koordinator, q="100%") == [percent.id]
    assert ids(koordinator, q="%") == [percent.id]
    assert ids(koordinator, q="kode_unit") == [underscore.id]
    assert ids(koordinator, q="_") == [underscore.id]
    assert ids(koordinator, q=r"data\sakip") == [backslash.id]
    assert ids(koordinator, q="\\") == [backslash.id]


def test_a_pic_never_gets_another_units_followups(world):
    mine = followups([world.unit_a], [world.pic], n=2)
    theirs = followups([world.unit_b], [world.other_pic], n=2, year=2023)
    for followup in theirs:
        followup.recommendation.text = "Rekomendasi milik unit B."
    db.session.commit()
    pic = world.pic
    their_evaluation = theirs[0].recommendation.evaluation

    assert ids(pic) == sorted(f.id for f in mine)
    assert ids(pic, unit=world.unit_b.id) == []
    assert ids(pic, pic=world.other_pic.id) == []
    assert ids(pic, evaluation=their_evaluation.id) == []
    assert ids(pic, component=their_evaluation.components[0].id) == []
    assert ids(pic, q="unit B") == []
    assert ids(world.other_pic) == sorted(f.id for f in theirs)
    assert ids(world.other_pic, unit=world.unit_a.id) == []


def test_a_pic_named_on_another_units_followup_sees_that_one(world):
    shared = followups([world.unit_b], [world.pic], n=1)[0]
    followups([world.unit_b], [world.other_pic], n=1)
    assert ids(world.pic) == [shared.id]
    assert ids(world.pic, unit=world.unit_b.id) == [shared.id]
