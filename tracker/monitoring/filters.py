"""The filters of a follow-up list, read from and written back to the URL's query string, so a
view can be bookmarked and shared, and the exports select exactly what the list shows.

    flt, errors = parse(request.args)       # errors: Indonesian messages for bad values
    ids = matching_ids(current_user, flt, today_local())   # a SELECT of follow-up ids
    url_for("monitoring.index", **flt.to_args())
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from tracker.auth.models import User
from tracker.core.permissions import can_read_all, visible_followup_ids
from tracker.dashboard.queries import is_overdue
from tracker.evaluations.models import Recommendation
from tracker.followups.models import (
    FollowUp,
    FollowUpStatus,
    followup_pics,
    followup_units,
)

SORTS = ("due", "status", "number", "progress", "updated")
MAX_QUERY = 200  # characters of search text


@dataclass(frozen=True)
class FollowUpFilter:
    evaluation: int | None = None  # Evaluation.id
    component: int | None = None  # ComponentScore.id
    unit: int | None = None  # Unit.id
    pic: int | None = None  # User.id
    status: FollowUpStatus | None = None
    overdue: bool = False  # open and past its due date
    q: str = ""  # words that must all appear in the recommendation's text
    sort: str = "due"
    desc: bool = False
    page: int = 1

    def to_args(self, **changes) -> dict[str, str]:
        """The query-string arguments (defaults left out), with `changes` applied; a change of
        anything but the page goes back to page 1."""
        flt = replace(self, **changes)
        if changes and "page" not in changes:
            flt = replace(flt, page=1)
        args: dict[str, str] = {}
        for field in fields(flt):
            value = getattr(flt, field.name)
            if value == field.default:
                continue
            if isinstance(value, bool):
                args[field.name] = "1"
            elif isinstance(value, FollowUpStatus):
                args[field.name] = value.value
            else:
                args[field.name] = str(value)
        return args

    @property
    def active(self) -> bool:
        """Something narrows the list (sorting and paging aside)."""
        narrowing = ("evaluation", "component", "unit", "pic", "status", "overdue", "q")
        return any(
            getattr(self, name) != FollowUpFilter.__dataclass_fields__[name].default
            for name in narrowing
        )


def _positive_int(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(value)
    return int(value)


def parse(args) -> tuple[FollowUpFilter, list[str]]:
    """A filter from request.args; a bad value is left out and explained (never a 500)."""
    errors: list[str] = []
    values: dict = {}
    labels = {
        "evaluation": _l("Evaluasi"),
        "component": _l("Komponen"),
        "unit": _l("Unit"),
        "pic": _l("PIC"),
        "page": _l("Halaman"),
    }
    for name, label in labels.items():
        try:
            number = _positive_int(args.get(name, ""))
        except ValueError:
            errors.append(str(_l("%(field)s tidak dikenal; filter itu diabaikan.", field=label)))
            continue
        if number is not None:
            values[name] = number
    status = args.get("status", "").strip()
    if status:
        try:
            values["status"] = FollowUpStatus(status)
        except ValueError:
            errors.append(str(_l("Status tidak dikenal; filter itu diabaikan.")))
    values["overdue"] = args.get("overdue", "") in ("1", "true", "on")
    q = " ".join(args.get("q", "").split())
    if len(q) > MAX_QUERY:
        errors.append(str(_l("Teks pencarian dipotong menjadi %(num)d karakter.", num=MAX_QUERY)))
        q = q[:MAX_QUERY]
    values["q"] = q
    sort = args.get("sort", "").strip()
    if sort:
        if sort in SORTS:
            values["sort"] = sort
        else:
            errors.append(str(_l("Urutan tidak dikenal; diurutkan menurut batas waktu.")))
    values["desc"] = args.get("desc", "") in ("1", "true", "on")
    return FollowUpFilter(**values), errors


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matching_ids(user: User, flt: FollowUpFilter, today: date) -> Select:
    """A SELECT of the ids of the follow-ups `user` may see that match `flt` (no order)."""
    query = select(FollowUp.id).join(
        Recommendation, Recommendation.id == FollowUp.recommendation_id
    )
    if not can_read_all(user):  # for readers the scope is every follow-up: no IN to evaluate
        query = query.where(FollowUp.id.in_(visible_followup_ids(user)))
    if flt.evaluation is not None:
        query = query.where(Recommendation.evaluation_id == flt.evaluation)
    if flt.component is not None:
        query = query.where(Recommendation.component_id == flt.component)
    if flt.unit is not None:
        query = query.where(
            FollowUp.id.in_(
                select(followup_units.c.followup_id).where(followup_units.c.unit_id == flt.unit)
            )
        )
    if flt.pic is not None:
        query = query.where(
            FollowUp.id.in_(
                select(followup_pics.c.followup_id).where(followup_pics.c.user_id == flt.pic)
            )
        )
    if flt.status is not None:
        query = query.where(FollowUp.status == flt.status)
    if flt.overdue:  # the dashboard's own definition: its overdue figure links here
        query = query.where(is_overdue(today))
    for word in flt.q.split():
        pattern = f"%{_escape_like(word)}%"
        query = query.where(Recommendation.text.ilike(pattern, escape="\\"))
    return query
