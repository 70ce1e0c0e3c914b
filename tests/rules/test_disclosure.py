"""Small counts: suppression, totals that must not give a hidden count back, rates."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juro_privacy.rules.disclosure import (
    count_label,
    format_rate,
    protect,
    protect_line,
    rate_bounds,
    rate_label,
    small_count_note,
    statistic,
    suppress_counts,
    unpublished_rate,
)

# --- rule 1: small counts ---------------------------------------------------------------


def test_small_counts_print_as_below_the_threshold_zero_stays():
    out = suppress_counts(pd.Series([0, 1, 4, 5, 12, None]), 5)
    assert out.tolist()[:5] == [0, "<5", "<5", 5, 12]
    assert pd.isna(out.iloc[5])


def test_the_label_names_the_threshold():
    assert suppress_counts(pd.Series([1, 2, 3]), 3).tolist() == ["<3", "<3", 3]
    assert count_label(9, 10) == "<10"


@pytest.mark.parametrize("threshold", [0, 1])
def test_a_threshold_of_0_or_1_hides_nothing(threshold):
    assert suppress_counts(pd.Series([0, 1, 2]), threshold).tolist() == [0, 1, 2]


def test_a_frame_is_suppressed_cell_by_cell():
    frame = pd.DataFrame({"a": [0, 3], "b": [7, 1]}, index=["x", "y"])
    out = suppress_counts(frame, 5)
    assert out.to_dict() == {"a": {"x": 0, "y": "<5"}, "b": {"x": 7, "y": "<5"}}


def test_a_withheld_count_prints_as_at_least_the_threshold():
    assert count_label(12, 5, hidden=True) == "≥5"
    assert count_label(3, 5, hidden=True) == "<5"
    assert count_label(3, 5, hidden=False) == 3


# --- rule 2: totals -----------------------------------------------------------------


def labels(prot):
    return prot.labels().iloc[:, 0].to_dict()


def test_one_hidden_cell_in_a_line_withholds_the_smallest_other():
    prot = protect_line(pd.Series({"on_time": 30, "late": 3, "open": 6, "overdue": 0}), 5)
    assert labels(prot) == {"on_time": 30, "late": "<5", "open": "≥5", "overdue": 0, "total": 39}


def test_two_small_cells_whose_sum_tells_each_withhold_a_third():
    # 7 + 1 + 1 = 9: with 7 and 9 shown, the two hidden ones could only be 1 and 1
    prot = protect_line(pd.Series({"a": 7, "b": 1, "c": 1}), 5)
    assert labels(prot) == {"a": "≥5", "b": "<5", "c": "<5", "total": 9}
    assert prot.recoverable() == []


def test_two_small_cells_with_room_are_left_as_they_are():
    prot = protect_line(pd.Series({"a": 20, "b": 3, "c": 2}), 5)
    assert labels(prot) == {"a": 20, "b": "<5", "c": "<5", "total": 25}


def test_zeros_are_never_withheld_and_a_part_goes_before_the_total():
    prot = protect_line(pd.Series({"a": 0, "b": 2, "c": 40}), 5)
    assert labels(prot) == {"a": 0, "b": "<5", "c": "≥5", "total": 42}


def test_a_line_with_nothing_to_hide_is_unchanged():
    prot = protect_line(pd.Series({"a": 10, "b": 0, "c": 5}), 5)
    assert labels(prot) == {"a": 10, "b": 0, "c": 5, "total": 15}


def test_pinned_cells_keep_the_state_another_table_gave_them():
    frame = pd.DataFrame({"n": [30, 3, 33]}, index=["on_time", "late", "total"])
    line = [[("on_time", "n"), ("late", "n"), ("total", "n")]]
    free = protect(frame, 5, line)
    assert free.is_hidden("on_time", "n")
    pinned = protect(frame, 5, line, fixed={("on_time", "n"): False})
    assert not pinned.is_hidden("on_time", "n")
    assert pinned.is_hidden("total", "n")  # the only cell left to cover the hidden one


def test_a_table_with_margins_is_protected_on_rows_and_columns():
    counts = pd.DataFrame(
        {"on_time": [35, 11, 46], "late": [6, 4, 10]}, index=["London", "Riga", "All"]
    )
    counts["judged"] = counts["on_time"] + counts["late"]
    rows = list(counts.index)
    lines = [[(r, "on_time"), (r, "late"), (r, "judged")] for r in rows]
    lines += [[(r, c) for r in rows] for c in counts.columns]
    prot = protect(counts, 5, lines)
    assert prot.label("Riga", "late") == "<5"
    assert prot.recoverable() == []
    # a reader can still narrow London's on-time count from the column: 46 - (11..14)
    assert prot.intervals()[("London", "on_time")] == (32, 35)


def assert_nothing_left_to_withhold(prot):
    """Every hidden cell the lines give away has no shown non-zero cell left to withhold
    in any of its lines: all hidden, or zeros (e.g. 1 + 1 with the total of 2 hidden)."""
    for cell in prot.recoverable():
        for line in prot.lines:
            if cell in line:
                assert all(prot.is_hidden(*c) or prot.counts.at[c] == 0 for c in line)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=6), st.integers(3, 6))
def test_no_hidden_cell_of_a_line_can_be_worked_out(values, threshold):
    prot = protect_line(pd.Series(values, index=[f"c{i}" for i in range(len(values))]), threshold)
    assert_nothing_left_to_withhold(prot)
    if sum(values) >= threshold:  # a total above the threshold covers its parts
        assert prot.recoverable() == []
    shown = prot.labels().iloc[:, 0]
    small = [v for v, n in zip(shown, prot.counts.iloc[:, 0], strict=True) if 0 < n < threshold]
    assert all(v == f"<{threshold}" for v in small)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 9), min_size=3, max_size=3), min_size=1, max_size=5),
)
def test_no_hidden_cell_of_a_table_with_margins_can_be_worked_out(grid):
    counts = pd.DataFrame(grid, columns=["a", "b", "c"], index=[f"r{i}" for i in range(len(grid))])
    counts["total"] = counts.sum(axis=1)
    counts.loc["all"] = counts.sum()
    rows, columns = list(counts.index), list(counts.columns)
    lines = [[(r, c) for c in columns] for r in rows]
    lines += [[(r, c) for r in rows] for c in columns]
    assert_nothing_left_to_withhold(protect(counts, 5, lines))


def test_a_threshold_of_2_gives_each_small_count_away_by_its_label():
    prot = protect_line(pd.Series({"a": 1, "b": 9}), 2)
    assert prot.label("a", "count") == "<2"
    assert prot.recoverable() == []  # "<2" is 1 by definition: nothing more to cover


# --- rule 3: rates --------------------------------------------------------------------


def test_a_rate_over_shown_counts_is_exact_and_never_rounds_up_to_100():
    assert rate_label(199, 1, 5) == "99.5%"
    assert rate_label(999, 1, 5) == "99.9%"
    assert rate_label(48, 16, 5) == "75.0%"
    assert rate_label(2, 1, 3) == "66.6%"


@pytest.mark.parametrize(("numerator", "other"), [(0, 0), (2, 2), (4, 0)])
def test_a_rate_over_fewer_than_the_threshold_is_na(numerator, other):
    assert rate_bounds(numerator, other, 5) is None
    assert rate_label(numerator, other, 5) == "n/a"


def test_a_rate_over_a_hidden_total_is_na():
    assert rate_label(30, 3, 5, True, True, total_hidden=True) == "n/a"


def test_a_rate_whose_count_is_hidden_shows_the_range_it_allows():
    # 30 of 33 on time, 3 late hidden: on time is 29 to 32 -> 87.8% to 96.9%
    low, high = rate_bounds(30, 3, 5, numerator_hidden=True, other_hidden=True)
    assert (low, high) == (29 / 33, 32 / 33)
    assert rate_label(30, 3, 5, True, True) == "87–97%"
    # 3 of 8, both hidden: "<5" on time, "≥5" not, so on time is 1 to 8 - 5 = 3
    assert rate_bounds(3, 5, 5, True, True) == (1 / 8, 3 / 8)


def test_protected_rates_use_what_the_table_shows():
    prot = protect_line(pd.Series({"on_time": 7, "late": 1, "overdue": 1}), 5)
    col = prot.counts.columns[0]
    share = prot.share(("on_time", col), [("late", col), ("overdue", col)], ("total", col))
    assert share == (5 / 9, 7 / 9)
    assert prot.rate(("on_time", col), [("late", col), ("overdue", col)], ("total", col)) == (
        "55–78%"
    )


def test_a_rate_shown_without_its_counts_hides_a_small_side():
    assert unpublished_rate(19, 1, 5) == (16 / 20, 19 / 20)  # 1 to 4 of 20 not
    assert unpublished_rate(15, 5, 5) == (0.75, 0.75)
    assert unpublished_rate(2, 1, 5) is None


def test_format_rate():
    assert format_rate(None) == "n/a"
    assert format_rate((0.5, 0.5)) == "50.0%"
    assert format_rate((0.62, 0.88)) == "62–88%"


def test_statistics_need_the_threshold_of_values():
    assert statistic(pd.Series([1, 2, 3, 4]), 5, 0.5) is None
    assert statistic(pd.Series([1, 2, 3, 4, 5]), 5, 0.5) == 3
    assert statistic(pd.Series([1, 2, None, 4, 5, 6]), 5, 0.9) == pytest.approx(5.6)
    assert statistic(pd.Series([], dtype="float64"), 0, 0.5) is None


def test_the_small_count_note_names_the_hidden_range_or_is_empty():
    assert small_count_note(5) == " Counts from 1 to 4 print as <5."
    assert small_count_note(2) == " Counts from 1 to 1 print as <2."
    assert small_count_note(1) == ""
    assert small_count_note(0) == ""
