"""Pages inside an evaluation: component table, findings, recommendations, deletes."""

from decimal import Decimal

from sqlalchemy import func, select

from tests import factories
from tests.conftest import post
from tracker.evaluations.models import ComponentScore, Evaluation, Finding, Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_components_page(manager, world):
    evaluation = factories.make_evaluation([world.unit_a])
    url = f"/evaluations/{evaluation.id}/components"
    html = manager.get(url).get_data(as_text=True)
    assert 'name="rows-4-name"' in html  # the four rows and one empty row
    ids = [c.id for c in evaluation.components]
    data = {}
    for index, component in enumerate(evaluation.components):
        data[f"rows-{index}-component_id"] = component.id
        data[f"rows-{index}-name"] = component.name
        data[f"rows-{index}-weight"] = str(component.weight)
        data[f"rows-{index}-score"] = str(component.score)
        data[f"rows-{index}-order"] = component.order
    added = post(manager, url, {**data, "add_row": "1"}, token_from=url)
    assert added.status_code == 200
    assert 'name="rows-4-name"' in added.get_data(as_text=True)
    data["rows-1-score"] = "24,5"
    data["rows-3-delete"] = "y"
    data.update({"rows-4-name": "Capaian Kinerja", "rows-4-weight": "25", "rows-4-score": ""})
    assert post(manager, url, data, token_from=url).status_code == 302
    db.session.expire_all()
    assert [(c.name, c.score) for c in evaluation.components] == [
        ("Perencanaan Kinerja", Decimal("23.70")),
        ("Pengukuran Kinerja", Decimal("24.50")),
        ("Pelaporan Kinerja", Decimal("12.75")),
        ("Capaian Kinerja", None),
    ]
    # The first component holds the finding: it is not deleted, and nothing else changes.
    data = {"rows-0-component_id": ids[0], "rows-0-name": "X", "rows-0-weight": "30"}
    data["rows-0-delete"] = "y"
    data.update({"rows-1-component_id": ids[1], "rows-1-name": "Baru", "rows-1-weight": "30"})
    response = post(manager, url, data, token_from=url)
    assert response.status_code == 400
    assert "masih dipakai catatan atau rekomendasi" in response.get_data(as_text=True)
    db.session.expire_all()
    assert count(ComponentScore) == 4
    assert evaluation.components[1].name == "Pengukuran Kinerja"


def test_findings_and_recommendations_pages(manager, world):
    evaluation = factories.make_evaluation([world.unit_a], n_recommendations=0)
    base = f"/evaluations/{evaluation.id}"
    component = evaluation.components[1]
    response = post(
        manager,
        f"{base}/findings/new",
        {"component": component.id, "number": "", "text": "IKU belum selaras."},
        token_from=f"{base}/findings/new",
    )
    assert response.status_code == 302
    finding = db.session.scalars(select(Finding).where(Finding.text == "IKU belum selaras.")).one()
    assert (finding.component_id, finding.number) == (component.id, 1)
    form = manager.get(f"{base}/recommendations/new").get_data(as_text=True)
    assert 'type="checkbox"' in form and "IKU belum selaras." in form
    response = post(
        manager,
        f"{base}/recommendations/new",
        {"component": component.id, "text": "Selaraskan IKU.", "findings": [finding.id]},
        token_from=f"{base}/recommendations/new",
    )
    assert response.status_code == 302
    recommendation = db.session.scalars(select(Recommendation)).one()
    assert recommendation.findings == [finding]
    assert recommendation.followup.status == FollowUpStatus.BELUM
    assert recommendation.followup.due_date == evaluation.followup_deadline
    edit = f"{base}/recommendations/{recommendation.id}/edit"
    assert "checked" in manager.get(edit).get_data(as_text=True)
    response = post(
        manager, edit, {"component": 0, "number": "3", "text": "Ubah."}, token_from=edit
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (recommendation.component_id, recommendation.number) == (None, 3)
    assert recommendation.findings == []
    empty = post(manager, f"{base}/findings/new", {"component": 0, "text": " "}, token_from=edit)
    assert empty.status_code == 400
    assert "Wajib diisi." in empty.get_data(as_text=True)
    response = post(manager, f"{base}/findings/{finding.id}/delete", {}, token_from=edit)
    assert response.status_code == 302
    assert count(Finding) == 1  # the factory's one is left


def test_delete_recommendation_refused_then_allowed(manager, world):
    evaluation = factories.make_evaluation([world.unit_a], n_recommendations=2)
    started, fresh = evaluation.recommendations
    started.followup.progress = 20
    db.session.commit()
    base = f"/evaluations/{evaluation.id}/recommendations"
    response = post(manager, f"{base}/{started.id}/delete", {}, token_from="/evaluations/")
    assert response.status_code == 302
    html = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "tindak lanjutnya sudah dikerjakan" in html
    post(manager, f"{base}/{fresh.id}/delete", {}, token_from="/evaluations/")
    assert count(Recommendation) == 1
    assert count(FollowUp) == 1


def test_delete_evaluation_refused_then_allowed(manager, world):
    evaluation = factories.make_evaluation([world.unit_a])
    evaluation.recommendations[0].followup.status = FollowUpStatus.MENUNGGU
    db.session.commit()
    url = f"/evaluations/{evaluation.id}/delete"
    response = post(manager, url, {}, token_from="/evaluations/")
    assert response.headers["Location"] == f"/evaluations/{evaluation.id}"
    html = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "tidak dapat dihapus karena 1 tindak lanjutnya sudah dikerjakan" in html
    assert count(Evaluation) == 1
    evaluation.recommendations[0].followup.status = FollowUpStatus.BELUM
    db.session.commit()
    response = post(manager, url, {}, token_from="/evaluations/")
    assert response.headers["Location"] == "/evaluations/"
    assert count(Evaluation) == 0
    assert count(FollowUp) == 0
