"""The summary charts at the head of the matrix PDF: the follow-ups per BPK category and the
progress per component, counted over the matrix's own rows (so they follow the list's filters),
drawn with the dashboard's SVG builders."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from tracker.core.labels import BPK_CATEGORY_OF, BPK_LABELS, BpkCategory
from tracker.dashboard.categories import BPK_COLOURS
from tracker.dashboard.charts import Bar, Segment, progress_bars, stacked_bar
from tracker.followups.models import CLOSED_STATUSES
from tracker.reports.matrix import Matrix


def _percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"


def summary_charts(matrix: Matrix) -> list[Markup]:
    """Two SVG charts, or none for an empty matrix. A closed follow-up counts as 100 %."""
    if not matrix.rows:
        return []
    total = len(matrix.rows)
    per_category = Counter(BPK_CATEGORY_OF[row.status] for row in matrix.rows)
    segments = [
        Segment(
            str(BPK_LABELS[category]),
            per_category[category],
            BPK_COLOURS[category],
            f"{per_category[category]} ({_percent(per_category[category], total)})",
        )
        for category in BpkCategory
    ]
    progress: dict[str, list[int]] = defaultdict(list)
    order: dict[str, tuple] = {}
    for row in matrix.rows:
        name = row.component or _("Tanpa Komponen")
        progress[name].append(100 if row.status in CLOSED_STATUSES else row.progress)
        order.setdefault(name, (row.component_order is None, row.component_order or 0))
    bars = []
    for name in sorted(progress, key=order.__getitem__):
        values = progress[name]
        average = sum(values) / len(values)
        count = ngettext("%(num)d rekomendasi", "%(num)d rekomendasi", len(values))
        bars.append(Bar(name, average, f"{round(average)} % · {count}"))
    return [
        stacked_bar(_("Status tindak lanjut (kategori BPK)"), segments),
        progress_bars(_("Progres per komponen"), bars),
    ]


def for_pdf(svg: Markup, font: str) -> bytes:
    """The SVG as fpdf2 reads it: in the PDF's own font, without the <title> it ignores."""
    text = re.sub(r"<title>.*?</title>", "", str(svg), flags=re.S)
    return re.sub(r'font-family="[^"]*"', f'font-family="{font}"', text, count=1).encode()
