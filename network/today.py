"""Today's network figures, computed by the job when the data changes (``jobs.figures``).

The one count every page shows (:func:`network.graph.counts_on`) for today and for the
network page's default "then" date, and the figures at the end of each of the last twelve
months. Counts name nobody, so one payload serves every viewer. The dashboard's network
panel reads them, and so does the network page when no filter narrows it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from jobs import figures as precomputed
from neighbourhoods.models import Neighbourhood

from . import figures as fig
from . import graph

FIGURE = "network.today"
MONTHS = 12


@precomputed.register(FIGURE)
def compute(neighbourhood: Neighbourhood) -> dict:
    today = timezone.localdate()
    then = graph.default_then(today)
    months = fig.month_starts(fig.months_back(today, MONTHS - 1), today)
    return {
        "day": today.isoformat(),
        "figures": graph.counts_on(neighbourhood, today).as_dict(),
        "then": then.isoformat(),
        "then_figures": graph.counts_on(neighbourhood, then).as_dict(),
        "months": [
            [p.month.isoformat(), p.connections, p.connected_people, p.largest_group]
            for p in graph.monthly_figures(neighbourhood, months)
        ],
    }


@dataclass(frozen=True)
class Today:
    day: datetime.date
    now: fig.Figures
    then_day: datetime.date
    then: fig.Figures
    months: list[fig.MonthPoint]
    as_of: datetime.datetime | None  # when the figures are from, if newer ones are coming


def read(neighbourhood: Neighbourhood) -> Today:
    """The stored figures (one query; computed now only the first time ever)."""
    stored = precomputed.read(neighbourhood, FIGURE)[FIGURE]
    payload = stored.payload
    return Today(
        day=datetime.date.fromisoformat(payload["day"]),
        now=fig.Figures.from_dict(payload["figures"]),
        then_day=datetime.date.fromisoformat(payload["then"]),
        then=fig.Figures.from_dict(payload["then_figures"]),
        months=[
            fig.MonthPoint(datetime.date.fromisoformat(m), c, p, g)
            for m, c, p, g in payload["months"]
        ],
        as_of=stored.as_of,
    )
