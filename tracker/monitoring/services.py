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


def _order_by(flt: FollowUpFilter, source=None) -> list:
    """The ORDER BY of `flt.sort` in `flt.desc` direction; missing due dates and components
    stay last either way, and FollowUp.id settles ties so pages never overlap. `source` (a
    derived table with the columns of `_sort_columns`) sorts by its columns instead."""

    def col(column, name: str):
        return column if source is None else source.c[name]

    def way(column):
        return column.desc() if flt.desc else column.asc()

    def due() -> list:
        due_date = col(FollowUp.due_date, "due_date")
        return [case((due_date.is_(None), 1), else_=0), way(due_date)]  # undated last

    if flt.sort == "status":
        keys = [way(col(_STATUS_ORDER, "status_order")), *due()]
    elif flt.sort == "number":
        component_id = col(ComponentScore.id, "component_id")
        year = col(Evaluation.year, "year")
        no_component_last = case((component_id.is_(None), 1), else_=0)
        keys = [
            # Newest evaluation first by default: "desc" turns the whole order around.
            year.asc() if flt.desc else year.desc(),
            way(col(Evaluation.id, "evaluation_id")),
            no_component_last,
            way(col(ComponentScore.order, "component_order")),
            way(col(Recommendation.number, "number")),
        ]
    elif flt.sort == "progress":
        keys = [way(col(FollowUp.progress, "progress"))]
    elif flt.sort == "updated":
        keys = [way(col(FollowUp.updated_at, "updated_at"))]
    else:  # "due"
        keys = due()
    return [*keys, way(col(FollowUp.id, "id"))]


def _sort_columns(flt: FollowUpFilter) -> list:
    """The columns `_order_by(flt)` needs, labelled for the derived table of one page."""
    if flt.sort == "status":
        return [_STATUS_ORDER.label("status_order"), FollowUp.due_date.label("due_date")]
    if flt.sort == "number":
        return [
            Evaluation.year.label("year"),
            Evaluation.id.label("evaluation_id"),
            ComponentScore.id.label("component_id"),
            ComponentScore.order.label("component_order"),
            Recommendation.number.label("number"),
        ]
    if flt.sort == "progress":
        return [FollowUp.progress.label("progress")]
    if flt.sort == "updated":
        return [FollowUp.updated_at.label("updated_at")]
    return [FollowUp.due_date.label("due_date")]


def _page_rows(user: User, flt: FollowUpFilter, today: date, per_page: int, number: int) -> list:
    """[(follow-up, how many match)] of page `number`, with recommendation, evaluation,
    component, units and PICs loaded.

    The whole list is sorted on narrow rows (id and sort keys, in a derived table) and the page
    cut from them; the wide rows (texts) are read for this page alone: sorting the wide rows
    made a middle page of 50,000 cost 0.25-0.5 s on SQLite. The total comes with the page
    (COUNT(*) OVER ()), so the matching rows are found once: a text search scans every
    recommendation, ~80 ms on PostgreSQL for 50,000."""
    narrow = matching_ids(user, flt, today).add_columns(
        *_sort_columns(flt), func.count().over().label("total")
    )
    if flt.sort == "number":
        narrow = narrow.join(Evaluation, Evaluation.id == Recommendation.evaluation_id).outerjoin(
            ComponentScore, ComponentScore.id == Recommendation.component_id
        )
    page_ids = (
        narrow.order_by(*_order_by(flt))
        .limit(per_page)
        .offset((number - 1) * per_page)
        .subquery("page_ids")
    )
    query = (
        select(FollowUp, page_ids.c.total)
        .join(page_ids, page_ids.c.id == FollowUp.id)
        .join(FollowUp.recommendation)
        .join(Recommendation.evaluation)
        .outerjoin(Recommendation.component)
        .options(
            contains_eager(FollowUp.recommendation).contains_eager(Recommendation.evaluation),
            contains_eager(FollowUp.recommendation).contains_eager(Recommendation.component),
            selectinload(FollowUp.units),
            selectinload(FollowUp.pics),
        )
        .order_by(*_order_by(flt, page_ids))
    )
    return list(db.session.execute(query))


def list_page(user: User, flt: FollowUpFilter, today: date, per_page: int) -> Page:
    """The page `flt.page` (moved back to the last page when beyond it) of the follow-ups `user`
    may see that match `flt`, with recommendation, evaluation, component, units and PICs loaded.
    Three queries whatever the page size and the data (rows with the total, units, PICs); two
    more when the page asked for is beyond the last one."""
    number = max(1, flt.page)
    rows = _page_rows(user, flt, today, per_page, number)
    if not rows and number > 1:
        ids = matching_ids(user, flt, today)
        total = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
        number = max(1, -(-total // per_page))
        rows = _page_rows(user, flt, today, per_page, number) if total else []
    return Page(
        items=[followup for followup, _total in rows],
        total=rows[0].total if rows else 0,
        page=number,
        per_page=per_page,
    )


# --- the filter form --------------------------------------------------------------------------


# An evaluation selector offers the newest ones; older ones are opened from their own page
# (or the evaluation list). 1,252 options made the list page 150 KB and the choice unreadable.
EVALUATION_CHOICES = 50


def bounded_evaluations(query: Select, chosen: Evaluation | None) -> tuple[list[Evaluation], bool]:
    """The first EVALUATION_CHOICES evaluations of `query` (scoped and ordered newest first),
    with `chosen` added at the end when it is older than those, and whether more exist."""
    rows = list(db.session.scalars(query.limit(EVALUATION_CHOICES + 1)))
    shown = rows[:EVALUATION_CHOICES]
    if chosen is not None and chosen not in shown:
        shown.append(chosen)
    return shown, len(rows) > EVALUATION_CHOICES


@dataclass
class FilterChoices:
    """The options of each select of the filter form."""

    evaluations: list[Evaluation] = field(default_factory=list)  # at most EVALUATION_CHOICES + 1
    more_evaluations: bool = False  # some are not offered
    components: list[ComponentScore] = field(default_factory=list)  # of the chosen evaluation
    units: list[Unit] = field(default_factory=list)
    pics: list[User] = field(default_factory=list)
    statuses: list[tuple[FollowUpStatus, str]] = field(default_factory=list)


def filter_choices(user: User, flt: FollowUpFilter) -> FilterChoices:
    """The newest evaluations the user may see (and the chosen one), the components of the
    chosen one, the units (inactive ones too: they still own follow-ups) and active PICs to
    filter by (for a PIC: those on the follow-ups they may see), and the statuses with their
    labels. Three queries; five with an evaluation chosen (it and its components)."""
    chosen = None
    components: list[ComponentScore] = []
    if flt.evaluation is not None:
        chosen = db.session.scalar(scoped_evaluations(user).where(Evaluation.id == flt.evaluation))
    if chosen is not None:
        components = list(
            db.session.scalars(
                select(ComponentScore)
                .where(ComponentScore.evaluation_id == chosen.id)
                .order_by(ComponentScore.order, ComponentScore.id)
            )
        )
    evaluations, more = bounded_evaluations(
        scoped_evaluations(user).order_by(
            Evaluation.year.desc(), Evaluation.institution, Evaluation.id
        ),
        chosen,
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
        evaluations=evaluations,
        more_evaluations=more,
        components=components,
        units=list(db.session.scalars(units)),
        pics=list(db.session.scalars(pics.order_by(User.id))),
        statuses=[(status, str(STATUS_LABELS[status])) for status in FollowUpStatus],
    )
