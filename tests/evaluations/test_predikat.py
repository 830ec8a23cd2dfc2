"""Predikat bands (every boundary, both rules) and the score-table warnings."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tracker.evaluations.predikat import BANDS, check_scores, predikat_for, predikat_label

# (total, default rule: equal to a bound is the lower band, inclusive rule: the higher band)
BOUNDARIES = [
    ("0", "D", "D"),
    ("30", "D", "C"),
    ("30.01", "C", "C"),
    ("29.99", "D", "D"),
    ("50", "C", "CC"),
    ("50.01", "CC", "CC"),
    ("60", "CC", "B"),
    ("60.01", "B", "B"),
    ("70", "B", "BB"),
    ("70.01", "BB", "BB"),
    ("80", "BB", "A"),
    ("80.01", "A", "A"),
    ("90", "A", "AA"),
    ("90.00", "A", "AA"),
    ("90.01", "AA", "AA"),
    ("100", "AA", "AA"),
]


@pytest.mark.parametrize(("total", "default", "inclusive"), BOUNDARIES)
def test_boundaries(total, default, inclusive):
    assert predikat_for(Decimal(total)) == default
    assert predikat_for(Decimal(total), inclusive=True) == inclusive


def test_floats_and_none():
    assert predikat_for(78.55) == "BB"
    assert predikat_for(None) is None


@pytest.mark.parametrize("total", ["-0.01", "100.01"])
def test_out_of_range_is_an_error(total):
    with pytest.raises(ValueError):
        predikat_for(Decimal(total))


def test_thresholds_are_data_in_descending_order():
    bounds = [lower for _code, lower, _label in BANDS]
    assert bounds == sorted(bounds, reverse=True)
    assert [code for code, _lower, _label in BANDS] == ["AA", "A", "BB", "B", "CC", "C", "D"]


def test_labels():
    assert predikat_label("BB") == "Sangat Baik"
    assert predikat_label("CC") == "Cukup/Memadai"
    assert predikat_label("D") == "Sangat Kurang"
    assert predikat_label(None) == ""


def _evaluation(total="78.55", predikat="BB", rows=None):
    rows = rows or [
        ("Perencanaan Kinerja", "30", "23.70"),
        ("Pengukuran Kinerja", "30", "23.10"),
        ("Pelaporan Kinerja", "15", "12.75"),
        ("Evaluasi Akuntabilitas Kinerja Internal", "25", "19.00"),
    ]
    components = [
        SimpleNamespace(
            name=name, weight=Decimal(weight), score=None if score is None else Decimal(score)
        )
        for name, weight, score in rows
    ]
    return SimpleNamespace(
        total_score=None if total is None else Decimal(total),
        predikat=predikat,
        components=components,
    )


def test_a_consistent_table_has_no_warnings():
    assert check_scores(_evaluation()) == []


def test_wrong_predikat_is_reported():
    (warning,) = check_scores(_evaluation(predikat="A"))
    assert warning == "Predikat A tidak sesuai dengan nilai total 78.55 (seharusnya BB)."


def test_predikat_check_follows_the_boundary_rule():
    rows = [("Satu", "100", "90")]
    assert check_scores(_evaluation(total="90", predikat="A", rows=rows)) == []
    assert check_scores(_evaluation(total="90", predikat="AA", rows=rows), inclusive=True) == []
    assert len(check_scores(_evaluation(total="90", predikat="AA", rows=rows))) == 1


def test_components_not_adding_up_to_the_total():
    (warning,) = check_scores(_evaluation(total="78.60", predikat="BB"))
    assert warning == "Jumlah nilai komponen (78.55) tidak sama dengan nilai total (78.6)."


def test_a_difference_within_the_tolerance_is_accepted():
    assert check_scores(_evaluation(total="78.56", predikat="BB")) == []


def test_score_above_its_weight():
    rows = [("Pelaporan Kinerja", "15", "15.01"), ("Lainnya", "85", "60")]
    (warning,) = check_scores(_evaluation(total="75.01", predikat="BB", rows=rows))
    assert warning == "Nilai komponen Pelaporan Kinerja (15.01) melebihi bobotnya (15)."


def test_weights_not_adding_up_to_100():
    rows = [("Satu", "30", "20"), ("Dua", "60", "50")]
    (warning,) = check_scores(_evaluation(total="70", predikat="B", rows=rows))
    assert warning == "Jumlah bobot komponen 90, seharusnya 100."


def test_missing_scores_and_total_give_no_sum_warning():
    rows = [("Satu", "50", None), ("Dua", "50", None)]
    assert check_scores(_evaluation(total="70", predikat="B", rows=rows)) == []
    assert check_scores(_evaluation(total=None, predikat=None)) == []


def test_numbers_use_the_given_formatter():
    warnings = check_scores(_evaluation(predikat="A"), fmt=lambda v: str(v).replace(".", ","))
    assert "78,55" in warnings[0]
