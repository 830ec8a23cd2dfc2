"""Assignment rules at the service level, including a real concurrent UPDATE."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from tests import factories
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.followups import services
from tracker.followups.history import describe
from tracker.followups.models import FollowUpStatus

pytestmark = pytest.mark.usefixtures("request_ctx")


@pytest.fixture
def followup(evaluation):
    return evaluation.recommendations[0].followup


def test_changing_only_the_units_bumps_the_version(world, followup):
    version = followup.version
    result = services.assign_followup(
        followup,
        world.koordinator,
        [world.unit_a, world.unit_b],
        [world.pic],
        followup.due_date,
        version,
    )
    db.session.commit()
    assert result.changed and result.warnings == []
    assert followup.version == version + 1


def test_a_racing_update_raises_stale_data_and_saves_nothing(world, followup):
    version = followup.version
    with db.engine.begin() as conn:  # another worker saves this follow-up meanwhile
        conn.execute(
            sa.text("UPDATE followups SET version = version + 1 WHERE id = :id"),
            {"id": followup.id},
        )
    with pytest.raises(StaleDataError):
        services.assign_followup(
            followup,
            world.koordinator,
            [world.unit_b],
            [world.other_pic],
            date(2025, 7, 31),
            version,
        )
    db.session.rollback()
    db.session.expire_all()
    assert [u.code for u in followup.units] == ["UNIT-A"]


def test_stale_expected_version_is_refused(world, followup):
    with pytest.raises(services.StaleFollowUpError):
        services.assign_followup(followup, world.koordinator, [], [], None, followup.version + 1)


def test_closed_followup_is_refused(world, followup):
    followup.status = FollowUpStatus.TIDAK_DAPAT
    with pytest.raises(services.FollowUpClosedError):
        services.assign_followup(
            followup, world.koordinator, [world.unit_b], [], date(2025, 7, 31), followup.version
        )


def test_new_pic_must_be_an_active_pic(world, followup):
    retired = factories.make_user("lama@example.com", Role.PIC, [world.unit_a], active=False)
    with pytest.raises(services.AssignmentError) as caught:
        services.assign_followup(
            followup,
            world.koordinator,
            [world.unit_a],
            [retired],
            date(2025, 7, 31),
            followup.version,
        )
    assert caught.value.errors == {"pics": ["Lama bukan pengguna PIC yang aktif."]}


def test_bulk_checks_every_followup_before_saving(world, evaluation):
    f1, f2, f3 = (r.followup for r in evaluation.recommendations)
    f3.units = []
    f3.due_date = None
    db.session.commit()
    versions = {f.id: f.version for f in (f1, f2, f3)}
    with pytest.raises(services.AssignmentError) as caught:
        services.bulk_assign(
            [f1, f2, f3],
            world.koordinator,
            [world.unit_a],
            [],
            None,
            replace_units=False,
            replace_pics=False,
            expected_versions=versions,
        )
    assert caught.value.errors == {
        "due_date": ["Rekomendasi 3: Wajib diisi bila unit pemilik sudah dipilih."]
    }
    db.session.rollback()
    assert [u.code for u in f3.units] == []


def test_bulk_describes_its_audit(world, evaluation):
    f1 = evaluation.recommendations[0].followup
    result = services.bulk_assign(
        [f1],
        world.koordinator,
        [world.unit_b],
        [world.other_pic],
        date(2025, 7, 31),
        replace_units=True,
        replace_pics=True,
        expected_versions={f1.id: f1.version},
    )
    db.session.commit()
    assert result.updated == [f1] and result.skipped == []
    (entry,) = services.history(f1)
    rows = describe(entry)
    assert ("Unit pemilik", "UNIT-A", "UNIT-B") in rows
    assert ("PIC", world.pic.name, world.other_pic.name) in rows
    assert ("Batas waktu", "30 April 2025", "31 Juli 2025") in rows
