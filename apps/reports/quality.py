"""Data-quality counts of the month's child measurements, added to the monthly computation so
the dashboards read them from MonthlyValue like every other indicator (never from visits).

Counted over every measurement of a balita (0-59 months) in the month, not only the last one:
the question is how the scales and boards were read, not how the children are.
- DQ_ZFLAG: measurements with a z-score flagged as implausible by WHO's limits / measurements
  with any z-score (the same flags that keep them out of the prevalences);
- DQ_DIGIT: weights whose first decimal (to 0.1 kg) is 0 or 5 / weights recorded. Without
  digit preference this is about 20 %;
- DQ_NOHEIGHT: weighings with no length/height measured / weighings.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from apps.reports.contributions import register
from apps.serviceday.models import Visit

CHILD_STAGES = ("bayi", "balita")


def weight_ends_in_0_or_5(weight: Decimal) -> bool:
    tenths = int(weight.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) * 10)
    return tenths % 5 == 0


@register
def data_quality(where: Q, start: dt.date, end: dt.date, add: Any) -> None:
    visits = (Visit.objects.filter(where, visit_date__gte=start, visit_date__lt=end, stage__in=CHILD_STAGES,
                                   age_months__lt=60)
              .values_list("posyandu_id", "person__sex", "weight_kg", "height_cm", "zwei", "zlen", "zwfl",
                           "z_flagged").order_by())
    for pid, sex, weight, height, zwei, zlen, zwfl, flagged in visits.iterator(chunk_size=5000):
        if zwei is not None or zlen is not None or zwfl is not None:
            add(pid, "DQ_ZFLAG", sex, int(bool(flagged)), 1)
        if weight is not None:
            add(pid, "DQ_DIGIT", sex, int(weight_ends_in_0_or_5(weight)), 1)
            add(pid, "DQ_NOHEIGHT", sex, int(height is None), 1)
