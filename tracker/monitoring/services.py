"""The follow-up list of koordinator and pimpinan (and PICs, within their reach): one page of
the follow-ups matching a filter, sorted, in a fixed number of queries; and the options of the
filter form, limited to what the user may see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import contains_eager, selectinload

from tracker.auth.models import Role, User
from tracker.core.labels import STATUS_LABELS
from tracker.core.permissions import can_read_all, scoped_evaluations, visible_followup_ids
from tracker.evaluations.models import ComponentScore, Evaluation, Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus, followup_pics, followup_units
from tracker.monitoring.filters import FollowUpFilter, matching_ids
from tracker.units.models import Unit

# --- the page ---------------------------------------------------------------------------------


@dataclass
class Page:
    """One page of results, with what the pagination links need (the names of
    Flask-SQLAlchemy's Pagination, so the shared `pagination` look applies)."""

    items: list[FollowUp]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return -(-self.total // self.per_page)  # ceiling; 0 when nothing matches

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, edge: int = 2, around: int = 2) -> Iterator[int | None]:
        """Page numbers to link: the first and last `edge`, `around` either side of the current
        one, None where numbers are skipped."""
        previous = 0
        for number in range(1, self.pages + 1):
            if number <= edge or number > self.pages - edge or abs(number - self.page) <= around:
                if number != previous + 1:
                    yield None
                yield number
                previous = number


_STATUS_ORDER = case(
    {status: position for position, status in enumerate(FollowUpStatus)}, value=FollowUp.status
)


def _order_by(flt: FollowUpFilter) -> list:
    """The ORDER BY of `flt.sort` in `flt.desc` direction; missing due dates and components
    stay last either way, and FollowUp.id settles ties so pages never overlap."""

    def way(column):
        return column.desc() if flt.desc else column.asc()

    undated_last = case((FollowUp.due_date.is_(None), 1), else_=0)
    due = [undated_last, way(FollowUp.due_date)]
    if flt.sort == "status":
        keys = [way(_STATUS_ORDER), *due]
    elif flt.sort == "number":
        no_component_last = case((ComponentScore.id.is_(None), 1), else_=0)
        keys = [
            # Newest evaluation first by default: "desc" turns the whole order around.
            Evaluation.year.asc() if flt.desc else Evaluation.year.desc(),
            way(Evaluation.id),
            no_component_last,
            way(ComponentScore.order),
            way(Recommendation.number),
        ]
    elif flt.sort == "progress":
        keys = [way(FollowUp.progress)]
    elif flt.sort == "updated":
        keys = [way(FollowUp.updated_at)]
    else:  # "due"
        keys = due
    return [*keys, way(FollowUp.id)]


def list_page(user: User, flt: FollowUpFilter, today: date, per_page: int) -> Page:
    """The page `flt.page` (moved back to the last page when beyond it) of the follow-ups `user`
    may see that match `flt`, with recommendation, evaluation, component, units and PICs loaded.
    Four queries whatever the page size: count, rows, units, PICs."""
    ids = matching_ids(user, flt, today)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    page = Page(items=[], total=total, page=1, per_page=per_page)
    page.page = max(1, min(flt.page, page.pages))
    if not total:
        return page
    query = (
        select(FollowUp)
        .join(FollowUp.recommendation)
        .join(Recommendation.evaluation)
        .outerjoin(Recommendation.component)
        .where(FollowUp.id.in_(ids))
        .options(
            contains_eager(FollowUp.recommendation).contains_eager(Recommendation.evaluation),
            contains_eager(FollowUp.recommendation).contains_eager(Recommendation.component),
            selectinload(FollowUp.units),
            selectinload(FollowUp.pics),
        )
        .order_by(*_order_by(flt))
        .limit(per_page)
        .offset((page.page - 1) * per_page)
    )
    page.items = list(db.session.scalars(query))
    return page


# --- the filter form --------------------------------------------------------------------------


@dataclass
class FilterChoices:
    """The options of each select of the filter form."""

    evaluations: list[Evaluation] = field(default_factory=list)
    components: list[ComponentScore] = field(default_factory=list)  # of the chosen evaluation
    units: list[Unit] = field(default_factory=list)
    pics: list[User] = field(default_factory=list)
    statuses: list[tuple[FollowUpStatus, str]] = field(default_factory=list)


def _visible_evaluation_ids(user: User) -> Select:
    return scoped_evaluations(user).with_only_columns(Evaluation.id)


def filter_choices(user: User, flt: FollowUpFilter) -> FilterChoices:
    """Evaluations the user may see (newest first), the components of the chosen one, the
    units (inactive ones too: they still own follow-ups) and active PICs to filter by (for a
    PIC: those on the follow-ups they may see), and the statuses with their labels."""
    evaluations = db.session.scalars(
        scoped_evaluations(user).order_by(
            Evaluation.year.desc(), Evaluation.institution, Evaluation.id
        )
    ).all()
    components: list[ComponentScore] = []
    if flt.evaluation is not None:
        components = list(
            db.session.scalars(
                select(ComponentScore)
                .where(
                    ComponentScore.evaluation_id == flt.evaluation,
                    ComponentScore.evaluation_id.in_(_visible_evaluation_ids(user)),
                )
                .order_by(ComponentScore.order, ComponentScore.id)
            )
        )
    units = select(Unit).order_by(Unit.code)
    pics = select(User).where(User.active.is_(True), User.role == Role.PIC).order_by(User.name)
    if not can_read_all(user):
        visible = visible_followup_ids(user)
        units = units.where(
            Unit.id.in_(
                select(followup_units.c.unit_id).where(followup_units.c.followup_id.in_(visible))
            )
        )
        pics = pics.where(
            User.id.in_(
                select(followup_pics.c.user_id).where(followup_pics.c.followup_id.in_(visible))
            )
        )
    return FilterChoices(
        evaluations=list(evaluations),
        components=components,
        units=list(db.session.scalars(units)),
        pics=list(db.session.scalars(pics.order_by(User.id))),
        statuses=[(status, str(STATUS_LABELS[status])) for status in FollowUpStatus],
    )
