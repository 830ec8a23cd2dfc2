"""Upload → draft, refusals leave nothing, save as new, duplicates, discard."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.lhe.import_helpers import (
    MEASURE,
    PLAN,
    hand_parse,
    install_fake_parser,
    stored_files,
    upload,
)
from tracker.core.audit import AuditEntry
from tracker.core.storage import get_storage, release
from tracker.evaluations.models import ComponentScore, Evaluation, Finding, Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus
from tracker.lhe import services
from tracker.lhe.models import ImportStatus, LheImport


@pytest.fixture
def parser(monkeypatch):
    return install_fake_parser(monkeypatch)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def actions(object_type: str) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == object_type)
            .order_by(AuditEntry.id)
        )
    )


def test_upload_makes_a_draft(world, parser, frozen_clock):
    draft = upload(world.koordinator, b"LHE uji unggah\n", "C:\\Dokumen\\LHE Polman Babel.TXT")
    db.session.commit()
    assert draft.status == ImportStatus.DRAFT
    assert draft.original_filename == "LHE Polman Babel.TXT"
    assert draft.content_type == "text/plain"
    assert draft.size == len(b"LHE uji unggah\n")
    assert draft.uploaded_by_id == world.koordinator.id
    assert get_storage().exists(draft.storage_key)
    assert services.draft_parse(draft).institution == "Politeknik Contoh"
    assert services.draft_dates(draft) == (date(2025, 6, 2), None)  # received: today
    assert actions("lhe_imports") == ["upload"]
    assert count(Evaluation) == 0


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"BUKAN LHE sama sekali", "surat.txt", "tidak tampak seperti LHE"),
        (b"RUSAK", "lhe.txt", "tidak dapat dibaca"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "lhe.pdf", "Jenis berkas tidak didukung"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "scan.png", "Jenis berkas tidak didukung"),
        (b"", "lhe.txt", "Berkas kosong"),
    ],
)
def test_refused_upload_leaves_nothing(world, parser, content, filename, message):
    before = stored_files()
    with pytest.raises(services.LheImportError) as refused:
        upload(world.koordinator, content, filename)
    assert message in str(refused.value.message)
    db.session.rollback()
    assert count(LheImport) == 0
    assert stored_files() == before


def test_too_large_is_refused_with_the_limit(app, world, parser, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    before = stored_files()
    with pytest.raises(services.LheImportError) as refused:
        upload(world.koordinator, b"a" * (1024 * 1024 + 1))
    assert "paling besar 1 MB" in str(refused.value.message)
    assert count(LheImport) == 0
    assert stored_files() == before


def test_parser_crash_is_a_refusal(world, parser, monkeypatch, caplog):
    def crash(stream, kind):
        raise IndexError("bug")

    monkeypatch.setattr(services, "parse_document", crash)
    before = stored_files()
    with pytest.raises(services.LheImportError) as refused:
        upload(world.koordinator, b"LHE pemicu bug\n")
    assert refused.value.detail == "IndexError: bug"
    assert "reading lhe.txt as text failed" in caplog.text
    assert stored_files() == before
    assert count(LheImport) == 0


def test_refusal_keeps_a_file_another_import_uses(world, parser, monkeypatch):
    draft = upload(world.koordinator, b"LHE bersama\n")
    db.session.commit()

    def refuse(stream, kind):
        raise services.NotAnLHE("changed parser")

    monkeypatch.setattr(services, "parse_document", refuse)
    with pytest.raises(services.LheImportError):
        upload(world.koordinator, b"LHE bersama\n")
    assert get_storage().exists(draft.storage_key)
    assert count(LheImport) == 1


def test_save_new_creates_everything_with_followups(world, parser, frozen_clock):
    draft = upload(world.koordinator, b"LHE simpan baru\n")
    result = services.save_import(world.koordinator, draft, services.draft_parse(draft), "new")
    db.session.commit()
    evaluation = result.evaluation
    assert (evaluation.institution, evaluation.year, evaluation.predikat) == (
        "Politeknik Contoh",
        2024,
        "BB",
    )
    assert evaluation.document_number == "LHE-12/2024"
    assert evaluation.received_date == date(2025, 6, 2)
    assert evaluation.followup_deadline == date(2025, 6, 2) + timedelta(days=60)
    assert count(ComponentScore) == 4 and count(Finding) == 3 and count(Recommendation) == 4
    followups = db.session.scalars(select(FollowUp)).all()
    assert len(followups) == 4
    assert {f.due_date for f in followups} == {evaluation.followup_deadline}
    assert {f.status for f in followups} == {FollowUpStatus.BELUM}
    measure = [r for r in evaluation.recommendations if r.component.name == MEASURE]
    assert sorted(r.number for r in measure) == [1, 2]
    assert draft.status == ImportStatus.SAVED
    assert draft.evaluation_id == evaluation.id
    assert draft.saved_at == datetime(2025, 6, 2, tzinfo=UTC)
    assert actions("lhe_imports") == ["upload", "save"]
    assert actions("evaluations") == ["create"]
    assert actions("recommendations").count("create") == 4
    assert actions("followups").count("create") == 4
    assert result.counts == {"components": 4, "findings": 3, "recommendations": 4}


def test_given_deadline_is_used(world, parser):
    draft = upload(world.koordinator, b"LHE tenggat\n")
    parsed = services.draft_parse(draft)
    services.update_draft(world.koordinator, draft, parsed, date(2025, 1, 6), date(2025, 2, 28))
    result = services.save_import(world.koordinator, draft, parsed, "new")
    assert result.evaluation.followup_deadline == date(2025, 2, 28)
    assert {r.followup.due_date for r in result.evaluation.recommendations} == {date(2025, 2, 28)}


def test_missing_weight_of_a_standard_component_is_filled(world, parser):
    parsed = hand_parse()
    parsed.components[0].weight = None
    parser[0] = parsed
    draft = upload(world.koordinator, b"LHE tanpa bobot\n")
    result = services.save_import(world.koordinator, draft, services.draft_parse(draft), "new")
    plan = next(c for c in result.evaluation.components if c.name == PLAN)
    assert plan.weight == 30


def test_unsaveable_parse_is_refused(world, parser):
    parsed = hand_parse()
    parsed.institution = None
    parser[0] = parsed
    draft = upload(world.koordinator, b"LHE tanpa instansi\n")
    with pytest.raises(services.LheImportError) as refused:
        services.save_import(world.koordinator, draft, services.draft_parse(draft), "new")
    assert "Nama instansi belum diisi." in str(refused.value.message)
    db.session.rollback()
    assert count(Evaluation) == 0


def test_duplicate_requires_a_choice(world, parser):
    first = upload(world.koordinator, b"LHE pertama\n")
    services.save_import(world.koordinator, first, services.draft_parse(first), "new")
    parser[0] = hand_parse(institution="  POLITEKNIK   contoh ")
    second = upload(world.koordinator, b"LHE kedua\n")
    parsed = services.draft_parse(second)
    assert [e.institution for e in services.find_duplicates(parsed)] == ["Politeknik Contoh"]
    with pytest.raises(services.DuplicateEvaluation) as refused:
        services.save_import(world.koordinator, second, parsed, "new")
    assert refused.value.duplicates[0].id == first.evaluation_id
    assert count(Evaluation) == 1
    assert second.status == ImportStatus.DRAFT
    with pytest.raises(services.LheImportError):
        services.save_import(world.koordinator, second, parsed, "revision")  # no target
    result = services.save_import(world.koordinator, second, parsed, "new", confirm_duplicate=True)
    assert result.evaluation.id != first.evaluation_id
    assert count(Evaluation) == 2


def test_other_year_is_no_duplicate(world, parser):
    first = upload(world.koordinator, b"LHE 2024\n")
    services.save_import(world.koordinator, first, services.draft_parse(first), "new")
    assert services.find_duplicates(hand_parse(year=2023)) == []
    assert services.find_duplicates(hand_parse(institution="Politeknik Lain")) == []


def test_saved_draft_cannot_be_saved_again(world, parser):
    draft = upload(world.koordinator, b"LHE dua kali\n")
    parsed = services.draft_parse(draft)
    services.save_import(world.koordinator, draft, parsed, "new")
    with pytest.raises(services.LheImportError):
        services.save_import(world.koordinator, draft, parsed, "new", confirm_duplicate=True)
    assert count(Evaluation) == 1


def test_concurrent_save_is_refused_by_the_guarded_update(world, parser):
    draft = upload(world.koordinator, b"LHE balapan\n")
    db.session.commit()
    parsed = services.draft_parse(draft)
    # Another request saved it meanwhile: the row says saved, this session's object says draft.
    db.session.execute(
        LheImport.__table__.update()
        .where(LheImport.id == draft.id)
        .values(status=ImportStatus.SAVED.value)
    )
    with pytest.raises(services.LheImportError):
        services.save_import(world.koordinator, draft, parsed, "new")
    db.session.rollback()
    assert count(Evaluation) == 0


def test_discard_and_file_removal(world, parser):
    draft = upload(world.koordinator, b"LHE dibuang\n")
    db.session.commit()
    services.discard(world.koordinator, draft)
    db.session.commit()
    assert draft.status == ImportStatus.DISCARDED
    assert release(draft.storage_key) is True
    assert not get_storage().exists(draft.storage_key)
    assert actions("lhe_imports") == ["upload", "discard"]
    with pytest.raises(services.LheImportError):
        services.discard(world.koordinator, draft)


def test_file_still_used_is_not_removed(world, parser):
    first = upload(world.koordinator, b"LHE kembar\n")
    second = upload(world.koordinator, b"LHE kembar\n")
    services.discard(world.koordinator, first)
    db.session.commit()
    assert first.storage_key == second.storage_key
    assert release(first.storage_key) is False
    assert get_storage().exists(second.storage_key)


def test_cli_actor_may_be_nobody(world, parser):
    draft = services.upload_lhe(None, io.BytesIO(b"LHE sistem\n"), "lhe.txt", None)
    result = services.save_import(None, draft, services.draft_parse(draft), "new")
    assert draft.uploaded_by_id is None
    assert result.evaluation.id
