"""Small counts in shareable reports: hide them, and keep totals and rates from undoing it.

A report that leaves the DPO's desk must not let a reader single out the few people
behind a small count ("1 restriction request from Riga"). Three rules, each simple:

1. **Primary suppression.** A count from 1 to ``threshold - 1`` prints as ``"<5"``
   (with the threshold's number); 0 prints as 0 (there is nobody to single out) and
   larger counts as themselves (:func:`suppress_counts`).
2. **Secondary suppression.** A table shows totals, and a total minus the other cells
   of its line gives a hidden cell back (so do two hidden cells that add up to 2). So
   no hidden cell may be worked out exactly from the *lines* of its table (cells that
   add up to a total shown in the same table): while one can, the smallest other
   non-zero cell of its line is withheld too and prints as ``"≥5"`` (it is at least
   the threshold, or rule 1 would have hidden it) (:func:`protect`).
3. **Rates follow their counts.** A rate is a count in disguise (80% of 10 is 8). It
   shows exactly only when its numerator and denominator are both shown; when the
   numerator is hidden it shows the range of rates the hidden count allows
   (``"80–97%"``); when its denominator is hidden or below the threshold, ``"n/a"``
   (:func:`rate_bounds`, :func:`rate_label`).

What this does not do, said plainly: each table is protected on its own lines. A
reader who combines figures from different tables, or adds two hidden cells' ranges
cleverly, can sometimes narrow a hidden count; the topic modules keep the figures
that several tables repeat (a period's totals) identical across them, which closes
the obvious routes, not every one. This is the ICO's "small numbers" practice
(anonymisation guidance: suppression with a threshold, checked against totals), not
a formal guarantee such as differential privacy.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, overload

import pandas as pd

Cell: TypeAlias = tuple[Hashable, Hashable]
"""A table cell: (row label, column label)."""

Label: TypeAlias = int | str


def small(value: int, threshold: int) -> bool:
    """True for a count rule 1 hides: 1 to ``threshold - 1``."""
    return 0 < value < threshold


def count_label(value: int, threshold: int, *, hidden: bool | None = None) -> Label:
    """How one count prints: itself, ``"<5"`` (small) or ``"≥5"`` (withheld by rule 2).

    ``hidden=None`` applies rule 1 only; ``True`` or ``False`` says what :func:`protect`
    decided for the cell.
    """
    value = int(value)
    if hidden is None:
        hidden = small(value, threshold)
    if not hidden:
        return value
    return f"<{threshold}" if value < threshold else f"≥{threshold}"


def small_count_note(threshold: int) -> str:
    """The sentence a report's headline ends with when rule 1 hides counts (a space
    first), or ``""`` when the threshold hides none."""
    return f" Counts from 1 to {threshold - 1} print as <{threshold}." if threshold > 1 else ""


@overload
def suppress_counts(data: pd.Series, threshold: int) -> pd.Series: ...
@overload
def suppress_counts(data: pd.DataFrame, threshold: int) -> pd.DataFrame: ...
def suppress_counts(data: pd.Series | pd.DataFrame, threshold: int) -> pd.Series | pd.DataFrame:
    """Rule 1 on every cell: counts 1 to ``threshold - 1`` become ``"<5"``, 0 stays 0.

    Returns the same shape with ``object`` values (``int`` or ``str``); missing values
    stay missing. Use :func:`protect` where the table also shows totals.
    """

    def one(value: object) -> object:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return pd.NA
        return count_label(int(value), threshold)  # type: ignore[call-overload]

    return data.astype(object).map(one)


def _at(frame: pd.DataFrame, row: Hashable, column: Hashable) -> Any:
    """One cell's value (pandas types cells loosely)."""
    return frame.at[row, column]


@dataclass(frozen=True)
class Protected:
    """A table of counts and which cells are hidden after rules 1 and 2."""

    counts: pd.DataFrame
    hidden: pd.DataFrame
    threshold: int
    lines: tuple[tuple[Cell, ...], ...] = ()

    def label(self, row: Hashable, column: Hashable) -> Label:
        """How the cell at ``row``, ``column`` prints."""
        return count_label(
            int(_at(self.counts, row, column)),
            self.threshold,
            hidden=bool(_at(self.hidden, row, column)),
        )

    def labels(self) -> pd.DataFrame:
        """Every cell as it prints (``object`` values)."""
        return pd.DataFrame(
            [[self.label(r, c) for c in self.counts.columns] for r in self.counts.index],
            index=self.counts.index,
            columns=self.counts.columns,
            dtype=object,
        )

    def is_hidden(self, row: Hashable, column: Hashable) -> bool:
        return bool(_at(self.hidden, row, column))

    def intervals(self) -> dict[Cell, tuple[float, float]]:
        """What a reader can work out about each cell from the table as it prints.

        A shown cell is itself; a hidden small one 1 to ``threshold - 1``; a withheld
        one ``threshold`` or more. Then each line narrows its cells (a part is its total
        minus the others, a total the sum of its parts) until nothing changes. The
        result always contains the true value; a hidden cell narrowed to one value is
        one the table gives away (:meth:`recoverable`).
        """
        known: dict[Cell, tuple[float, float]] = {}
        for row in self.counts.index:
            for column in self.counts.columns:
                known[(row, column)] = _interval(
                    int(_at(self.counts, row, column)), self.is_hidden(row, column), self.threshold
                )
        for _ in range(100):
            before = dict(known)
            for line in self.lines:
                *parts, total = line
                low_t, high_t = known[total]
                low_t = max(low_t, sum(known[c][0] for c in parts))
                high_t = min(high_t, sum(known[c][1] for c in parts))
                known[total] = (low_t, high_t)
                for cell in parts:
                    rest = [c for c in parts if c != cell]
                    low, high = known[cell]
                    low = max(low, low_t - sum(known[c][1] for c in rest))
                    high = min(high, high_t - sum(known[c][0] for c in rest))
                    known[cell] = (low, high)
            if known == before:
                break
        return known

    def recoverable(self) -> list[Cell]:
        """Hidden cells the table's own lines give away exactly (should be none).

        A threshold of 2 gives every hidden small count away by its label (``"<2"`` is
        1); that is the threshold's doing, not the table's, and not listed.
        """
        known = self.intervals()
        return [
            c
            for c, (low, high) in known.items()
            if self.is_hidden(*c) and low == high and self.threshold > 2
        ]

    def share(
        self, numerator: Cell, others: Sequence[Cell], total: Cell
    ) -> tuple[float, float] | None:
        """The lowest and highest share of the cell ``numerator`` in the cell ``total``
        a reader can tell, where ``numerator`` and ``others`` add up to ``total``.

        Rule 3: ``None`` when the total is 0, below the threshold or hidden; exact when
        the numerator is shown; else the numerator's range from :meth:`intervals`.
        """
        value = int(_at(self.counts, *numerator))
        total_value = value + sum(int(_at(self.counts, *c)) for c in others)
        if total_value == 0 or total_value < self.threshold or self.is_hidden(*total):
            return None
        if not self.is_hidden(*numerator):
            return value / total_value, value / total_value
        known = self.intervals()
        low, high = known[numerator]
        low = max(low, total_value - sum(known[c][1] for c in others), 0)
        high = min(high, total_value - sum(known[c][0] for c in others), total_value)
        return low / total_value, high / total_value

    def rate(self, numerator: Cell, others: Sequence[Cell], total: Cell) -> str:
        """The rate of :meth:`share` as it prints (:func:`format_rate`)."""
        return format_rate(self.share(numerator, others, total))


def protect(
    counts: pd.DataFrame,
    threshold: int,
    lines: Sequence[Sequence[Cell]],
    *,
    fixed: Mapping[Cell, bool] | None = None,
    keep: Collection[Cell] = (),
) -> Protected:
    """Rules 1 and 2 on a table of counts.

    ``lines`` lists the cells that add up to a total shown in the table, the total last
    (a row's parts and its total, a column's groups and the total row). Rule 1 hides
    every small count; then, while the lines give some hidden cell away exactly
    (:meth:`Protected.recoverable`: one hidden cell in a line, or two small ones whose
    sum tells each), the smallest non-zero shown cell of a line through it is withheld
    (a cell in ``keep``, such as a rate's denominator, only when nothing else will do;
    then a part before the total; ties: the first in the line). ``fixed`` pins cells whose
    state another table already decided (e.g. a period total shown elsewhere): they
    keep that state and are never chosen. A hidden cell whose lines hold only zeros and
    pinned cells cannot be covered; that is rare (it is then the only non-zero part)
    and left as it is.
    """
    values = counts.astype("int64")
    shut = values.apply(lambda col: (col > 0) & (col < threshold)).astype(bool)
    pinned = dict(fixed or {})
    for (row, column), state in pinned.items():
        shut.loc[row, column] = state
    lines_ = tuple(tuple(line) for line in lines)
    while True:
        table = Protected(values, shut.copy(), threshold, lines_)
        choice = None
        for cell in table.recoverable():
            candidates = [
                (c in keep, c == line[-1], int(_at(values, *c)), i, c)
                for line in lines_
                if cell in line
                for i, c in enumerate(line)
                if not table.is_hidden(*c) and int(_at(values, *c)) > 0 and c not in pinned
            ]
            if candidates:
                choice = min(candidates, key=lambda x: x[:4])[4]
                break
        if choice is None:
            return table
        shut.loc[choice[0], choice[1]] = True


def protect_line(counts: pd.Series, threshold: int, *, total: Hashable = "total") -> Protected:
    """Rules 1 and 2 on one line of counts with its total (added under ``total``).

    The result is a one-column table (the column is the series' name, or ``"count"``).
    """
    name = counts.name if counts.name is not None else "count"
    line = pd.concat([counts, pd.Series({total: int(counts.sum())})]).rename(name)
    frame = line.to_frame()
    return protect(frame, threshold, [[(r, name) for r in frame.index]])


def _interval(value: int, hidden: bool, threshold: int) -> tuple[float, float]:
    """What a reader knows of a count: itself, 1 to threshold - 1, or threshold up."""
    if not hidden:
        return float(value), float(value)
    if value < threshold:
        return 1.0, float(threshold - 1)
    return float(threshold), math.inf


def share_bounds(
    numerator: tuple[int, bool],
    others: Sequence[tuple[int, bool]],
    threshold: int,
    *,
    total_hidden: bool = False,
) -> tuple[float, float] | None:
    """The lowest and highest share of ``numerator`` in the total a reader can tell.

    Each count comes with whether it is hidden; the total is the numerator plus the
    ``others``. Rule 3: ``None`` (no rate) when the total is 0, below the threshold or
    hidden; the exact share twice when the numerator is shown; otherwise the range of
    shares the shown cells allow (the numerator from its own range, and from the total
    minus the others' ranges).
    """
    value, hidden = numerator
    total = value + sum(v for v, _ in others)
    if total == 0 or total < threshold or total_hidden:
        return None
    if not hidden or threshold <= 1:
        return value / total, value / total
    low, high = _interval(value, hidden, threshold)
    known = [_interval(v, h, threshold) for v, h in others]
    low = max(low, total - sum(h for _, h in known), 0)
    high = min(high, total - sum(lo for lo, _ in known), total)
    return low / total, high / total


def rate_bounds(
    numerator: int,
    other: int,
    threshold: int,
    numerator_hidden: bool = False,
    other_hidden: bool = False,
    total_hidden: bool = False,
) -> tuple[float, float] | None:
    """:func:`share_bounds` of ``numerator / (numerator + other)``: two counts."""
    return share_bounds(
        (numerator, numerator_hidden), [(other, other_hidden)], threshold, total_hidden=total_hidden
    )


def format_rate(bounds: tuple[float, float] | None) -> str:
    """``"95.5%"`` (rounded down: a rate short of 100% never prints as 100%),
    ``"80–97%"`` (a range, widened to whole percents) or ``"n/a"``."""
    if bounds is None:
        return "n/a"
    low, high = bounds
    if low == high:
        return f"{math.floor(low * 1000 + 1e-9) / 10:.1f}%"
    return f"{math.floor(low * 100 + 1e-9)}–{math.ceil(high * 100 - 1e-9)}%"


def rate_label(
    numerator: int,
    other: int,
    threshold: int,
    numerator_hidden: bool = False,
    other_hidden: bool = False,
    total_hidden: bool = False,
) -> str:
    """:func:`rate_bounds` as it prints (:func:`format_rate`)."""
    return format_rate(
        rate_bounds(numerator, other, threshold, numerator_hidden, other_hidden, total_hidden)
    )


def unpublished_rate(numerator: int, other: int, threshold: int) -> tuple[float, float] | None:
    """Bounds of a rate shown without its counts (e.g. a trend by group).

    Neither count is printed, so if either is small both are taken as hidden: a reader
    who knew the denominator could otherwise work the small one out of an exact rate.
    """
    hide = small(numerator, threshold) or small(other, threshold)
    return rate_bounds(numerator, other, threshold, hide, hide)


def statistic(values: pd.Series, threshold: int, q: float) -> float | None:
    """The ``q`` quantile of ``values`` when at least ``threshold`` values (and one) are
    known, else ``None``: a median of two requests is nearly one person's figure."""
    known = values.dropna().astype("float64")
    if len(known) == 0 or len(known) < threshold:
        return None
    return float(known.quantile(q, interpolation="linear"))
