"""Helpers of the monitoring tests: follow-ups of a new evaluation, ids matching a filter,
links read back from a page, and a query counter."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from tests import factories
from tracker.core.clock import today_local
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.monitoring.filters import FollowUpFilter, matching_ids


def followups(units=None, pics=None, n: int = 2, **fields) -> list[FollowUp]:
    """The n follow-ups (by recommendation number) of a new evaluation."""
    evaluation = factories.make_evaluation(units, pics, n_recommendations=n, **fields)
    return [r.followup for r in evaluation.recommendations]


def ids(user, **filters) -> list[int]:
    """The sorted ids of the follow-ups `user` gets with a filter made of `filters`."""
    query = matching_ids(user, FollowUpFilter(**filters), today_local())
    return sorted(db.session.scalars(query))


_LINK = re.compile(r'href="(/monitoring/[^"]*)"')


def monitoring_links(page_html: str) -> list[dict[str, str]]:
    """The query arguments of every link to the list on a page (one value per name)."""
    links = []
    for href in _LINK.findall(page_html):
        query = parse_qs(urlsplit(html.unescape(href)).query)
        links.append({name: values[-1] for name, values in query.items()})
    return links
