"""What a retention period may be: a whole number of months from 0 to 100 years.

Kept apart from :mod:`juro_privacy.rules.retention` (which needs Ibis and DuckDB) so
that the data contract and the workbook's checks read the same limit without loading
the engine.
"""

from __future__ import annotations

MAX_MONTHS = 1_200
"""The longest retention period the rule applies, in months (100 years). Storage
limitation (Art. 5(1)(e)) keeps data "no longer than is necessary": a longer period is a
slip (days or weeks written as months), and from about 10^10 months the engine cannot
date the due day at all."""


def months_problem(months: object) -> str | None:
    """Why ``months`` is not a retention period the rule can apply (a whole number of
    months from 0 to :data:`MAX_MONTHS`), or ``None`` when it is one."""
    if not isinstance(months, int) or isinstance(months, bool):
        return "is not a whole number of months"
    if months < 0:
        return "is negative: a retention period is 0 months or more"
    if months > MAX_MONTHS:
        return f"is over {MAX_MONTHS:,} months (100 years), the longest retention period"
    return None
