"""Tests for rules.deadlines.breaches: Art. 33(1)'s 72 hours, the sources' examples, clock
changes, and the property that the deadline is always 72 * 3600 s after awareness."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from juro_privacy.errors import DeadlineError, InputError
from juro_privacy.rules.deadlines import NOTIFICATION_WINDOW, breach_notification_deadline

LONDON = zoneinfo.ZoneInfo("Europe/London")
RIGA = zoneinfo.ZoneInfo("Europe/Riga")
UTC = dt.UTC


def test_the_window_is_72_hours():
    assert dt.timedelta(hours=72) == NOTIFICATION_WINDOW


def test_an_ordinary_week_three_days_later_same_wall_time():
    # aware on Tuesday 7 July 2026 at 14:30 BST: due Friday 10 July at 14:30 BST
    aware = dt.datetime(2026, 7, 7, 14, 30, tzinfo=LONDON)
    due = breach_notification_deadline(aware)
    assert due == dt.datetime(2026, 7, 10, 14, 30, tzinfo=LONDON)
    assert due.tzinfo is LONDON


def test_weekends_and_bank_holidays_count():
    # the ICO: 72 hours, not working days. Aware Friday 28 August 2026 at 17:00 BST, before
    # the August bank holiday (Monday 31 August): due Monday 31 August at 17:00 BST.
    aware = dt.datetime(2026, 8, 28, 17, 0, tzinfo=LONDON)
    assert breach_notification_deadline(aware) == dt.datetime(2026, 8, 31, 17, 0, tzinfo=LONDON)


def test_clocks_going_back_in_london_gives_71_wall_clock_hours():
    # UK clocks go back at 02:00 BST on Sunday 25 October 2026 (to 01:00 GMT). Aware
    # Saturday 24 October at 09:00 BST (08:00 UTC): due Tuesday 27 October at 08:00 GMT.
    aware = dt.datetime(2026, 10, 24, 9, 0, tzinfo=LONDON)
    due = breach_notification_deadline(aware)
    assert due.utcoffset() == dt.timedelta(0)
    assert (due.hour, due.day) == (8, 27)
    assert due.astimezone(UTC) == dt.datetime(2026, 10, 27, 8, 0, tzinfo=UTC)


def test_clocks_going_forward_in_riga_gives_73_wall_clock_hours():
    # Riga: EET to EEST at 03:00 on Sunday 29 March 2026. Aware Friday 27 March at
    # 10:00 EET (08:00 UTC): due Monday 30 March at 11:00 EEST (08:00 UTC).
    aware = dt.datetime(2026, 3, 27, 10, 0, tzinfo=RIGA)
    due = breach_notification_deadline(aware)
    assert due.replace(tzinfo=None) == dt.datetime(2026, 3, 30, 11, 0)
    assert due.astimezone(UTC) == dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_a_fixed_offset_stays_a_fixed_offset():
    aware = dt.datetime(2026, 10, 24, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    due = breach_notification_deadline(aware)
    assert due == dt.datetime(2026, 10, 27, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert due.utcoffset() == dt.timedelta(hours=1)


def test_a_pandas_timestamp_is_a_datetime():
    aware = pd.Timestamp("2026-07-07T13:30:00+00:00")
    assert breach_notification_deadline(aware) == pd.Timestamp("2026-07-10T13:30:00+00:00")


# The EDPB's examples of when a controller becomes "aware" (Guidelines 9/2022, section
# II.A.2): the clock runs from that instant, not from the first suspicion.


def test_edpb_lost_cd_aware_when_the_loss_is_realised():
    # "the controller would become 'aware' when it realised the CD had been lost": realised
    # Monday 6 July 2026 at 16:45 in Riga; notified Thursday 9 July at 16:40: in time.
    realised = dt.datetime(2026, 7, 6, 16, 45, tzinfo=RIGA)
    notified = dt.datetime(2026, 7, 9, 16, 40, tzinfo=RIGA)
    assert notified <= breach_notification_deadline(realised)


def test_edpb_short_investigation_does_not_start_the_clock():
    # a possible intrusion detected on Monday 6 July 2026 at 09:00 BST; the checks confirm
    # personal data was compromised at 15:00 BST: aware then. A notification on Thursday
    # 9 July at 12:00 is 75 hours after detection but in time from awareness.
    detected = dt.datetime(2026, 7, 6, 9, 0, tzinfo=LONDON)
    confirmed = dt.datetime(2026, 7, 6, 15, 0, tzinfo=LONDON)
    notified = dt.datetime(2026, 7, 9, 12, 0, tzinfo=LONDON)
    assert notified > breach_notification_deadline(detected)
    assert notified <= breach_notification_deadline(confirmed)


def test_awareness_in_another_zone_names_the_same_instant():
    # 15:00 BST in London is 17:00 EEST in Riga: one instant, one deadline
    london = breach_notification_deadline(dt.datetime(2026, 7, 6, 15, 0, tzinfo=LONDON))
    riga = breach_notification_deadline(dt.datetime(2026, 7, 6, 17, 0, tzinfo=RIGA))
    assert london == riga
    assert riga.replace(tzinfo=None) == dt.datetime(2026, 7, 9, 17, 0)


def test_a_naive_time_is_a_deadline_error():
    with pytest.raises(DeadlineError, match="no time zone"):
        breach_notification_deadline(dt.datetime(2026, 7, 6, 15, 0))
    assert issubclass(DeadlineError, InputError)  # bad input: exit 2 at the CLI


def test_a_date_is_a_deadline_error():
    with pytest.raises(DeadlineError, match="must be a datetime"):
        breach_notification_deadline(dt.date(2026, 7, 6))  # type: ignore[arg-type]


ZONES = ["Europe/London", "Europe/Riga", "Europe/Lisbon", "America/New_York", "Australia/Lord_Howe"]


@given(
    st.datetimes(
        min_value=dt.datetime(1990, 1, 1),
        max_value=dt.datetime(2199, 12, 28),
        timezones=st.sampled_from(ZONES).map(zoneinfo.ZoneInfo),
    )
)
def test_always_72_times_3600_seconds_after_awareness(aware):
    due = breach_notification_deadline(aware)
    elapsed = due.astimezone(UTC) - aware.astimezone(UTC)
    assert elapsed.total_seconds() == 72 * 3600
    assert due.tzinfo is aware.tzinfo


@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2199, 12, 28)))
def test_naive_times_are_always_refused(naive):
    with pytest.raises(DeadlineError):
        breach_notification_deadline(naive)
