"""An institution's evaluations side by side: table, chart, recurring weaknesses, scoping."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest

from tests import factories
from tests.conftest import login
from tracker.auth.models import Role
from tracker.evaluations.models import ComponentScore
from tracker.evaluations.repeats import flag_repeats
from tracker.extensions import db

PLAN = "Menetapkan target kinerja yang menantang dengan mempertimbangkan realisasi tahun lalu."
PLAN_AGAIN = (
    "Agar target kinerja ditetapkan menantang dengan mempertimbangkan realisasi tahun lalu."
)
REWARD = "Membuat kebijakan reward dan punishment berdasarkan hasil pengukuran kinerja."
REWARD_AGAIN = "Agar dibuat kebijakan reward dan punishment berdasarkan hasil pengukuran kinerja."


class TableReader(HTMLParser):
    """The rows (lists of cell texts) of the table with the given id."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(html: str, table_id: str) -> list[list[str]]:
    reader = TableReader(table_id)
    reader.feed(html)
    return reader.rows


@pytest.fixture
def institution(world):
    """Politeknik Contoh: a five-component LHE of 2020 (UNIT-B's), 2023 (UNIT-A's) and 2024
    (UNIT-A's and UNIT-B's), and a 2024 LHE of another institution."""
    old = factories.make_evaluation(
        [world.unit_b],
        n_recommendations=1,
        year=2020,
        total_score=Decimal("61.20"),
        predikat="B",
        evaluator="Inspektorat Daerah",
    )
    for component, (name, weight, score) in zip(
        old.components,
        [
            ("Perencanaan Kinerja", 30, "20.10"),
            ("Pengukuran Kinerja", 25, "14.00"),
            ("Pelaporan Kinerja", 15, "10.50"),
            ("Evaluasi Internal", 10, "6.60"),
        ],
        strict=True,
    ):
        component.name, component.weight, component.score = name, Decimal(weight), Decimal(score)
    old.components.append(
        ComponentScore(order=5, name="Capaian Kinerja", weight=Decimal(20), score=Decimal("10"))
    )
    old.recommendations[0].text = REWARD
    mid = factories.make_evaluation(
        [world.unit_a], n_recommendations=1, year=2023, total_score=Decimal("72.40")
    )
    mid.recommendations[0].text = PLAN
    new = factories.make_evaluation(
        [world.unit_a], n_recommendations=2, year=2024, institution="POLITEKNIK contoh"
    )
    new.recommendations[0].text = PLAN_AGAIN
    new.recommendations[1].text = REWARD_AGAIN
    new.recommendations[1].followup.units = [world.unit_b]
    factories.make_evaluation([world.unit_a], year=2024, institution="Politeknik Lain")
    db.session.commit()
    flag_repeats(new)
    db.session.commit()
    return old, mid, new


def test_table_puts_the_years_side_by_side(client, world, institution):
    login(client, world.pimpinan)
    response = client.get("/evaluations/history?institution=politeknik%20contoh")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert table(html, "history-table") == [
        ["Tahun", "2020", "2023", "2024"],
        ["Evaluator", "Inspektorat Daerah", "Inspektorat Jenderal", "Inspektorat Jenderal"],
        ["Perencanaan Kinerja", "20,1 / 30", "23,7 / 30", "23,7 / 30"],
        ["Pengukuran Kinerja", "14 / 25", "23,1 / 30", "23,1 / 30"],
        ["Pelaporan Kinerja", "10,5 / 15", "12,75 / 15", "12,75 / 15"],
        ["Evaluasi Akuntabilitas Kinerja Internal", "—", "19 / 25", "19 / 25"],
        ["Evaluasi Internal", "6,6 / 10", "—", "—"],
        ["Capaian Kinerja", "10 / 20", "—", "—"],
        ["Nilai total", "61,2", "72,4", "78,55"],
        ["Predikat", "B", "BB", "BB"],
        ["Rekomendasi dibawa dari tahun sebelumnya", "0", "0", "0"],
    ]
    assert "Politeknik Lain" not in html
    assert "Riwayat evaluasi · POLITEKNIK contoh" in html  # the latest spelling


def test_chart_shows_component_scores_and_predikat_by_year(client, world, institution):
    login(client, world.koordinator)
    html = client.get("/evaluations/history?institution=Politeknik Contoh").get_data(as_text=True)
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in chart
    for text in ("2020 · B", "2023 · BB", "2024 · BB", "Capaian Kinerja", "Perencanaan Kinerja"):
        assert text in chart
    assert chart.count("<rect") >= 5 + 4 + 4  # a bar per component and year (and legend keys)


def test_recurring_weaknesses_show_the_earlier_text(client, world, institution):
    _old, mid, new = institution
    login(client, world.koordinator)
    html = client.get(f"/evaluations/{new.id}/history").get_data(as_text=True)
    rows = table(html, "repeats")
    assert rows[0] == ["Tahun", "Rekomendasi", "Rekomendasi tahun sebelumnya", "Kemiripan"]
    assert len(rows) == 3
    plan = next(row for row in rows if PLAN_AGAIN in row[1])
    assert plan[0] == "2024" and plan[2] == f"Berulang · 2023 {PLAN}"
    assert plan[3] == f"{new.recommendations[0].repeat_score}%"
    reward = next(row for row in rows if REWARD_AGAIN in row[1])
    assert reward[2] == f"Berulang · 2020 {REWARD}"
    assert new.recommendations[0].repeat_of == mid.recommendations[0]
    assert "table-active" in html  # the evaluation the page was opened from


def test_a_pic_sees_only_evaluations_and_repeats_of_their_units(client, world, institution):
    login(client, world.pic)  # UNIT-A: the 2023 and 2024 LHEs, not 2020
    html = client.get("/evaluations/history?institution=Politeknik Contoh").get_data(as_text=True)
    assert table(html, "history-table")[0] == ["Tahun", "2023", "2024"]
    repeats = table(html, "repeats")
    assert len(repeats) == 2 and PLAN_AGAIN in repeats[1][1]
    assert REWARD_AGAIN not in html and REWARD not in html


def test_earlier_text_of_another_unit_is_hidden(client, world, institution):
    old, _mid, new = institution
    new.recommendations[1].followup.units = [world.unit_a]  # now the PIC's, repeating UNIT-B's
    db.session.commit()
    login(client, world.pic)
    html = client.get("/evaluations/history?institution=Politeknik Contoh").get_data(as_text=True)
    reward = next(row for row in table(html, "repeats") if REWARD_AGAIN in row[1])
    assert reward[2] == "Berulang · 2020 Rekomendasi unit lain."
    assert REWARD not in html
    assert old.year == 2020


def test_unknown_or_invisible_institution_is_404(app, client, world, institution):
    login(client, world.koordinator)
    assert client.get("/evaluations/history?institution=Entah").status_code == 404
    other = factories.make_user("pic.c@example.com", Role.PIC, [])
    db.session.commit()
    client = app.test_client()
    login(client, other)
    assert client.get("/evaluations/history?institution=Politeknik Contoh").status_code == 404
    assert client.get(f"/evaluations/{institution[0].id}/history").status_code == 404


def test_without_institution_lists_the_visible_ones(app, client, world, institution):
    login(client, world.other_pic)  # UNIT-B: Politeknik Contoh only
    html = client.get("/evaluations/history").get_data(as_text=True)
    assert "institution=POLITEKNIK+contoh" in html
    assert "Politeknik Lain" not in html
    client = app.test_client()
    login(client, world.koordinator)
    html = client.get("/evaluations/history").get_data(as_text=True)
    assert html.index("POLITEKNIK contoh") < html.index("Politeknik Lain")


def test_user_text_is_escaped(client, world):
    evaluation = factories.make_evaluation(institution="Dinas <b>X</b>", n_recommendations=0)
    evaluation.components[0].name = '<script>alert("x")</script>'
    db.session.commit()
    login(client, world.koordinator)
    html = client.get(f"/evaluations/{evaluation.id}/history").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>X</b>" not in html
    assert "&lt;script&gt;alert" in html
