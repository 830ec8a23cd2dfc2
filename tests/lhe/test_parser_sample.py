"""The shared real LHE (Polman Babel 2024) parses exactly to its expected JSON."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.lhe.conftest import SHARED_SAMPLE, needs_shared_sample
from tracker.lhe.document import ParsedLHE
from tracker.lhe.parser import parse_text

pytestmark = needs_shared_sample


@pytest.fixture(scope="module")
def parsed() -> ParsedLHE:
    return parse_text(SHARED_SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(SHARED_SAMPLE.with_suffix(".expected.json").read_text(encoding="utf-8"))


def test_every_expected_key_is_equal(parsed, expected):
    got = parsed.to_json()
    for key in ("institution", "year", "components", "total_score", "predikat"):
        assert got[key] == expected[key], key
    for key in ("findings", "recommendations"):
        assert [{"component": i["component"], "text": i["text"]} for i in got[key]] == expected[key]


def test_numbers_are_written_as_in_the_expected_file(parsed):
    text = json.dumps(parsed.to_json())
    assert '"weight": 30,' in text and '"score": 23.7}' in text and '"total_score": 78.55' in text


def test_extra_keys(parsed):
    got = parsed.to_json()
    assert got["report_date"] == "2024-12-10"
    assert parsed.report_date == date(2024, 12, 10)
    # No "Nomor" line and no evaluator letterhead in this document: both stay empty.
    assert got["evaluator"] is None
    assert got["number"] is None
    assert got["warnings"] == []


def test_items_are_numbered_within_their_component(parsed):
    def numbers(items):
        result: dict[str, list[int]] = {}
        for item in items:
            result.setdefault(item.component, []).append(item.number)
        return result

    assert numbers(parsed.findings) == {
        "Perencanaan Kinerja": [1, 2],
        "Pengukuran Kinerja": [1, 2, 3, 4, 5],
        "Pelaporan Kinerja": [1, 2, 3],
        "Evaluasi Akuntabilitas Kinerja Internal": [1, 2],
    }
    assert numbers(parsed.recommendations) == {
        "Perencanaan Kinerja": [1],
        "Pengukuran Kinerja": [1, 2, 3],
        "Pelaporan Kinerja": [1, 2, 3],
        "Evaluasi Akuntabilitas Kinerja Internal": [1, 2, 3],
    }


def test_signature_notice_and_page_break_do_not_leak_into_items(parsed):
    texts = [item.text for item in [*parsed.findings, *parsed.recommendations]]
    assert not any("UU ITE" in t or "Balai" in t or "Elektronik" in t for t in texts)
    assert parsed.recommendations[4].text.endswith(
        "wawancara dapat dilakukan secara real kepada beberapa pegawai yang mewakili seluruh "
        "jabatan."
    )


def test_round_trip_through_json(parsed):
    assert ParsedLHE.from_json(parsed.to_json()) == parsed
