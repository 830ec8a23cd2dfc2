"""The follow-up list (/monitoring/): sorting, pages, filters kept in every link, the filter
form's options, what a PIC sees, bad parameters, and a query count that does not grow."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import factories
from tests.conftest import count_queries, login
from tests.monitoring.support import followups, monitoring_links
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.followups.models import FollowUpStatus
from tracker.monitoring.filters import FollowUpFilter
from tracker.monitoring.services import Page, filter_choices, list_page

TODAY = date(2025, 6, 2)


def _five(world) -> dict[str, object]:
    """Five follow-ups (ids in the order a, b, c, d, e) that each sort differently."""
    a, b = followups([world.unit_a], [world.pic], n=2, year=2023)
    c, d, e = followups([world.unit_a], [world.pic], n=3, year=2024)
    components = c.recommendation.evaluation.components
    d.recommendation.component = None
    e.recommendation.component = components[1]
    rows = {
        # name: due date, status, progress, updated on (May 2025)
        "a": (a, date(2025, 6, 10), FollowUpStatus.SESUAI, 100, 1),
        "b": (b, None, FollowUpStatus.BELUM, 0, 3),
        "c": (c, date(2025, 6, 1), FollowUpStatus.PROSES, 40, 2),
        "d": (d, date(2025, 6, 10), FollowUpStatus.MENUNGGU, 80, 5),
        "e": (e, None, FollowUpStatus.PROSES, 40, 4),
    }
    for name, (followup, due, status, progress, day) in rows.items():
        followup.due_date = due
        followup.status = status
        followup.progress = progress
        followup.updated_at = datetime(2025, 5, day, 9, 0, tzinfo=UTC)
        followup.recommendation.text = f"Rekomendasi {name.upper()} tentang kinerja."
    db.session.commit()
    return {name: row[0] for name, row in rows.items()}


@pytest.mark.parametrize(
    ("sort", "desc", "expected"),
    [
        ("due", False, "cadbe"),  # undated last, ties by id
        ("due", True, "daceb"),  # undated still last
        ("status", False, "bceda"),  # workflow order, then due date
        ("status", True, "adceb"),
        ("number", False, "cedab"),  # newest evaluation, component order (none last), number
        ("number", True, "baecd"),
        ("progress", False, "bceda"),
        ("progress", True, "adecb"),
        ("updated", False, "acbed"),
        ("updated", True, "debca"),
    ],
)
def test_sort_orders(world, sort, desc, expected):
    rows = _five(world)
    page = list_page(world.koordinator, FollowUpFilter(sort=sort, desc=desc), TODAY, 10)
    names = {followup.id: name for name, followup in rows.items()}
    assert "".join(names[f.id] for f in page.items) == expected
    assert page.total == 5 and page.pages == 1


def test_pages_split_the_sorted_list_without_overlap(world):
    rows = _five(world)
    pages = [
        list_page(world.koordinator, FollowUpFilter(sort="number", page=n), TODAY, 2)
        for n in (1, 2, 3)
    ]
    assert [[f.id for f in p.items] for p in pages] == [
        [rows["c"].id, rows["e"].id],
        [rows["d"].id, rows["a"].id],
        [rows["b"].id],
    ]
    assert (pages[0].has_prev, pages[0].has_next, pages[0].next_num) == (False, True, 2)
    assert (pages[2].has_next, pages[2].prev_num, pages[2].pages) == (False, 2, 3)
    beyond = list_page(world.koordinator, FollowUpFilter(sort="number", page=9), TODAY, 2)
    assert beyond.page == 3 and [f.id for f in beyond.items] == [rows["b"].id]


def test_page_numbers_skip_the_middle_of_a_long_list():
    page = Page(items=[], total=200, page=10, per_page=10)
    assert page.pages == 20
    assert list(page.iter_pages()) == [1, 2, None, 8, 9, 10, 11, 12, None, 19, 20]
    assert list(Page(items=[], total=0, page=1, per_page=10).iter_pages()) == []


def test_list_loads_its_relations_with_the_rows(world):
    _five(world)
    page = list_page(world.pimpinan, FollowUpFilter(), TODAY, 10)
    first = page.items[0]
    assert first.recommendation.evaluation.year == 2024
    assert first.recommendation.component.name == "Perencanaan Kinerja"
    assert [u.code for u in first.units] == ["UNIT-A"]
    assert [p.email for p in first.pics] == ["pic@example.com"]


# --- the filter form's options ----------------------------------------------------------------


def test_filter_choices_for_a_koordinator(world):
    f2023 = followups([world.unit_a], [world.pic], n=1, year=2023, institution="Politeknik A")
    f2024 = followups([world.unit_b], [world.other_pic], n=1, year=2024, institution="Dinas B")
    factories.make_user("retired@example.com", Role.PIC, [world.unit_a], active=False)
    evaluation = f2024[0].recommendation.evaluation

    choices = filter_choices(world.koordinator, FollowUpFilter())
    assert [str(e) for e in choices.evaluations] == ["Dinas B (2024)", "Politeknik A (2023)"]
    assert choices.components == []
    assert [u.code for u in choices.units] == ["UNIT-A", "UNIT-B"]
    assert [p.email for p in choices.pics] == ["pic@example.com", "pic.b@example.com"]
    assert [s for s, _label in choices.statuses] == list(FollowUpStatus)
    assert choices.statuses[3] == (FollowUpStatus.DIKEMBALIKAN, "Belum Sesuai")

    chosen = filter_choices(world.koordinator, FollowUpFilter(evaluation=evaluation.id))
    assert [c.name for c in chosen.components] == [
        "Perencanaan Kinerja",
        "Pengukuran Kinerja",
        "Pelaporan Kinerja",
        "Evaluasi Akuntabilitas Kinerja Internal",
    ]
    assert all(c.evaluation_id == evaluation.id for c in chosen.components)
    assert f2023  # the other evaluation's components are not offered


def test_filter_choices_for_a_pic_hold_only_what_they_may_see(world):
    followups([world.unit_a], [world.pic], n=1, year=2023, institution="Politeknik A")
    theirs = followups([world.unit_b], [world.other_pic], n=1, year=2024, institution="Dinas B")
    their_evaluation = theirs[0].recommendation.evaluation

    choices = filter_choices(world.pic, FollowUpFilter(evaluation=their_evaluation.id))
    assert [str(e) for e in choices.evaluations] == ["Politeknik A (2023)"]
    assert choices.components == []  # not the components of an evaluation they cannot see
    assert [u.code for u in choices.units] == ["UNIT-A"]
    assert [p.email for p in choices.pics] == ["pic@example.com"]


# --- the page ---------------------------------------------------------------------------------


def test_the_export_links_carry_the_filters(client, world):
    (first, *_rest) = followups([world.unit_a], [world.pic], n=2)
    evaluation = first.recommendation.evaluation_id
    login(client, world.koordinator)

    page_html = client.get(f"/monitoring/?evaluation={evaluation}&overdue=1&q=nomor").get_data(
        as_text=True
    )
    for fmt in ("xlsx", "pdf", "zip"):
        link = re.search(
            rf'href="(/reports/evaluation/{evaluation}/matrix\.{fmt}\?[^"]*)"', page_html
        )
        assert link, fmt
        query = parse_qs(urlsplit(html.unescape(link.group(1))).query)
        assert {name: values[-1] for name, values in query.items()} == {
            "evaluation": str(evaluation),
            "overdue": "1",
            "q": "nomor",
        }


def test_filters_are_kept_in_sort_and_page_links(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    followups([world.unit_a], [world.pic], n=5)
    followups([world.unit_b], [world.other_pic], n=2, year=2023)
    unit = str(world.unit_a.id)
    kept = {"unit": unit, "status": "belum_ditindaklanjuti", "q": "nomor"}
    login(client, world.koordinator)

    response = client.get("/monitoring/?unit=" + unit + "&status=belum_ditindaklanjuti&q=nomor")
    assert response.status_code == 200
    page_html = response.get_data(as_text=True)
    assert "5 tindak lanjut" in page_html
    links = monitoring_links(page_html)
    assert {**kept, "sort": "status"} in links
    assert {**kept, "sort": "number"} in links
    assert {**kept, "sort": "progress"} in links
    assert {**kept, "sort": "updated"} in links
    assert {**kept, "desc": "1"} in links  # the current sort (due date) turned around
    assert {**kept, "page": "2"} in links and {**kept, "page": "3"} in links
    assert f'<option value="{unit}" selected>' in page_html
    assert 'value="nomor"' in page_html
    assert "Pilih satu evaluasi untuk mengunduh matriksnya" in page_html  # no evaluation chosen

    page_html = client.get(
        "/monitoring/?unit=" + unit + "&status=belum_ditindaklanjuti&q=nomor"
        "&sort=number&desc=1&page=2"
    ).get_data(as_text=True)
    links = monitoring_links(page_html)
    sorted_kept = {**kept, "sort": "number", "desc": "1"}
    assert sorted_kept in links  # page 1
    assert {**sorted_kept, "page": "3"} in links
    assert {**kept, "sort": "number"} in links  # the current sort turned around, page 1
    assert '<input type="hidden" name="sort" value="number">' in page_html
    assert '<input type="hidden" name="desc" value="1">' in page_html
    # Recommendations 5 and 4 are on page 1 (number, descending), 3 and 2 on page 2.
    assert "Rekomendasi nomor 3." in page_html and "Rekomendasi nomor 2." in page_html
    assert "Rekomendasi nomor 4." not in page_html and "Rekomendasi nomor 1." not in page_html


def test_page_shows_each_row_sorted(client, world, frozen_clock):
    rows = _five(world)
    login(client, world.pimpinan)
    page_html = client.get("/monitoring/?sort=progress&desc=1").get_data(as_text=True)
    positions = [page_html.find(f"Rekomendasi {name} tentang") for name in "ADECB"]
    assert -1 not in positions and positions == sorted(positions)
    assert f'href="/followups/{rows["c"].id}"' in page_html
    assert "terlambat 1 hari" in page_html  # c: due 1 June, today is 2 June
    assert "8 hari lagi" in page_html  # d: due 10 June, open
    assert 'text-bg-warning">Menunggu Verifikasi<' in page_html
    assert 'text-bg-success">Sesuai<' in page_html
    assert 'style="width: 80%"' in page_html
    assert "Pelaporan Kinerja" not in page_html  # no recommendation under that component
    assert "Pengukuran Kinerja" in page_html  # e's component


def test_a_pic_gets_200_with_only_their_followups(client, world):
    mine = followups([world.unit_a], [world.pic], n=2)
    theirs = followups([world.unit_b], [world.other_pic], n=2, year=2023)
    for followup in theirs:
        followup.recommendation.text = "Rahasia unit B."
    db.session.commit()
    login(client, world.pic)

    for url in ("/monitoring/", f"/monitoring/?unit={world.unit_b.id}", "/monitoring/?q=rahasia"):
        response = client.get(url)
        assert response.status_code == 200
        page_html = response.get_data(as_text=True)
        assert "Rahasia unit B." not in page_html
        assert f'href="/followups/{theirs[0].id}"' not in page_html
        assert "Pic.B" not in page_html  # the other unit's PIC is not even offered
    page_html = client.get("/monitoring/").get_data(as_text=True)
    assert "2 tindak lanjut" in page_html
    assert all(f'href="/followups/{f.id}"' in page_html for f in mine)


def test_query_count_does_not_grow_with_the_rows(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 50)
    url = "/monitoring/?sort=number"

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            unit = factories.make_unit(f"U-{i}")
            pic = factories.make_user(f"pic{i}@example.com", Role.PIC, [unit])
            followups([unit, world.unit_a], [pic], n=1, year=2000 + i)

    add(3, 0)
    login(client, world.koordinator)
    client.get(url)  # warm-up: the session's user and locale
    small = count_queries(app, client, url)
    add(27, 3)
    large = count_queries(app, client, url)
    assert "30 tindak lanjut" in client.get(url).get_data(as_text=True)
    assert small == large


def test_bad_parameters_answer_200_with_a_message(client, world):
    followups([world.unit_a], [world.pic], n=1)
    login(client, world.koordinator)
    response = client.get("/monitoring/?evaluation=abc&status=selesai&sort=nama&page=-2")
    assert response.status_code == 200
    page_html = response.get_data(as_text=True)
    assert "Evaluasi tidak dikenal; filter itu diabaikan." in page_html
    assert "Status tidak dikenal; filter itu diabaikan." in page_html
    assert "Urutan tidak dikenal; diurutkan menurut batas waktu." in page_html
    assert "Halaman tidak dikenal; filter itu diabaikan." in page_html
    assert "Rekomendasi nomor 1." in page_html  # the rest of the list still shows

    response = client.get("/monitoring/?page=99&unit=999999")
    assert response.status_code == 200
    assert "Tidak ada tindak lanjut yang cocok dengan saringan ini." in response.get_data(
        as_text=True
    )
    response = client.get("/monitoring/?page=99")
    assert response.status_code == 200
    assert "Rekomendasi nomor 1." in response.get_data(as_text=True)  # the last page


def test_search_text_is_escaped(client, world):
    login(client, world.koordinator)
    page_html = client.get('/monitoring/?q="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)" not in page_html
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page_html


def test_empty_states(client, world):
    login(client, world.pimpinan)
    page_html = client.get("/monitoring/").get_data(as_text=True)
    assert "Belum ada tindak lanjut yang dapat Anda lihat." in page_html
    assert "0 tindak lanjut" in page_html
    followups([world.unit_a], n=1)
    page_html = client.get("/monitoring/?status=sesuai").get_data(as_text=True)
    assert "Tidak ada tindak lanjut yang cocok dengan saringan ini." in page_html


def test_login_is_required(client, world):
    response = client.get("/monitoring/?unit=1")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
