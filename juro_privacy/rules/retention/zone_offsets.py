"""The time-zone rule: a zone's UTC offsets, and the local date of an instant on any engine.

Rule 1 of the retention rule (``juro_privacy.rules.retention.rule``; GDPR Art. 5(1)(e), storage
limitation): every timestamp becomes a date in the organisation's time zone (default
Europe/London) before anything is compared; naive timestamps are taken as UTC, and so
are dates without a time (as midnight UTC). A zone's UTC offsets come from zoneinfo as a
table for 1970-2099 that travels to the engine as one text literal, so the rule stays an
Ibis expression and runs wherever the data lives.
"""

from __future__ import annotations

import datetime
import functools
import math
import operator
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from juro_privacy.errors import RetentionError

_SECONDS_PER_DAY = 86_400
_TABLE_END = 4_102_444_800  # 2100-01-01T00:00:00Z: the offset table covers 1970-2099.


@dataclass(frozen=True)
class _OffsetTable:
    """A zone's UTC offsets (seconds) from 1970 to 2099, cut into buckets of 2**bits s.

    ``starts[i]`` is the offset at the start of bucket ``i`` (one more entry than
    buckets, the last being the offset at the end); ``changes[i]`` is the instant
    (epoch seconds) within bucket ``i`` at which the offset becomes ``starts[i + 1]``,
    or the bucket's end when it does not change. No bucket holds two changes.
    """

    bits: int
    starts: tuple[int, ...]
    changes: tuple[int, ...]


@functools.lru_cache(maxsize=16)
def _utc_offsets(timezone: str) -> _OffsetTable:
    """The offset table of an IANA time zone, from zoneinfo (about 40 ms, once per zone).

    The bucket size is the largest power of two seconds with at most one offset
    change per bucket: 2**23 s (97 days) for London, 490 buckets.
    """
    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise RetentionError(f"unknown time zone {timezone!r}") from exc
    changes = list(_offset_changes(zone))
    bits = next(
        b for b in range(26, 0, -1) if len({c // (1 << b) for c, _ in changes}) == len(changes)
    )
    size = 1 << bits
    count = math.ceil(_TABLE_END / size)
    starts, change_at = [_offset(zone, 0)], [(i + 1) * size for i in range(count)]
    for instant, offset in changes:
        bucket = instant // size
        starts += [starts[-1]] * (bucket + 1 - len(starts))
        change_at[bucket] = instant
        starts.append(offset)
    starts += [starts[-1]] * (count + 1 - len(starts))
    return _OffsetTable(bits, tuple(starts), tuple(change_at))


def _offset(zone: zoneinfo.ZoneInfo, instant: int) -> int:
    """The zone's UTC offset in seconds at a Unix instant."""
    offset = datetime.datetime.fromtimestamp(instant, zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _offset_changes(zone: zoneinfo.ZoneInfo) -> Iterator[tuple[int, int]]:
    """Yield (instant, new offset) of each change of UTC offset from 1970 to 2099.

    Steps a day at a time and bisects to the second: zones change offset at most
    a few times a year, never twice in a day.
    """
    previous, instant = _offset(zone, 0), 0
    while instant < _TABLE_END:
        step_end = min(instant + _SECONDS_PER_DAY, _TABLE_END)
        offset = _offset(zone, step_end)
        if offset != previous:
            low, high = instant, step_end
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if _offset(zone, middle) == previous else (low, middle)
            yield high, offset
            previous = offset
        instant = step_end


def with_local_dates(table: ir.Table, columns: Mapping[str, str], timezone: str) -> ir.Table:
    """Add, per ``{new: timestamp column}``, the date of its instants in ``timezone``.

    Rule 1, on any engine. The UTC date is the local date unless the instant's UTC
    hour is within the zone's largest offset of midnight (for London, from 23:00
    UTC). Only for those instants is the zone's offset table (``_utc_offsets``) read,
    by epoch seconds, and the offset added before taking the date; engines evaluate
    that branch only for the rows that need it, which keeps the rule cheap. Instants
    outside 1970-2099 take the offset at the nearer end of the table. Ibis runs every
    session in UTC, so an engine's own date of a timestamp is its UTC date.
    """
    offsets = _utc_offsets(timezone)
    ahead, behind = max(0, *offsets.starts), max(0, *(-o for o in offsets.starts))
    if ahead == behind == 0:  # UTC itself
        return table.mutate(**{new: table[name].date() for new, name in columns.items()})
    # UTC hours from which (or before which) the local date may differ.
    late_hour, early_hour = (_SECONDS_PER_DAY - ahead) // 3600, -(-behind // 3600)
    records = ibis.literal(_packed_offsets(offsets))

    def record(instant: ir.TimestampValue) -> ir.StringValue:
        """The instant's record of the offset table, where its local date may differ."""
        hour = instant.hour()
        risky = [hour >= late_hour] if late_hour < 24 else []
        risky += [hour < early_hour] if early_hour > 0 else []
        seconds = instant.epoch_seconds()
        bucket = (seconds // (1 << offsets.bits)).clip(0, len(offsets.changes) - 1)
        found = _substr(records, (bucket * _RECORD + 1).cast("int32"), _RECORD)
        return ibis.ifelse(functools.reduce(operator.or_, risky), found, ibis.null("string"))

    def local_date(instant: ir.TimestampValue, found: ir.StringValue) -> ir.DateValue:
        change, before, after = (_substr(found, *field).cast("int64") for field in _FIELDS)
        offset = ibis.ifelse(instant.epoch_seconds() >= change, after, before)
        shifted = (instant + offset.as_interval("s")).date()
        return ibis.ifelse(found.isnull(), instant.date(), shifted)

    step = table.mutate(**{f"_{new}_offsets": record(table[name]) for new, name in columns.items()})
    return step.mutate(
        **{new: local_date(step[name], step[f"_{new}_offsets"]) for new, name in columns.items()}
    )


# The offset table travels as one text literal of fixed-width records, one per
# bucket: the instant of the bucket's change (sign and 11 digits), then the offsets
# before and after it (sign and 6 digits each). As three array literals of ~500
# numbers it cost Ibis and the engine's SQL parser ~0.1 s per query; as text it
# costs nothing, and substr is a function every engine has.
_FIELDS = ((1, 12), (13, 7), (20, 7))  # (1-based start, length) of each field
_RECORD = 26


def _packed_offsets(offsets: _OffsetTable) -> str:
    """The offset table as fixed-width text records (see _FIELDS)."""
    return "".join(
        f"{change:+012d}{before:+07d}{after:+07d}"
        for change, before, after in zip(
            offsets.changes, offsets.starts, offsets.starts[1:], strict=False
        )
    )


@ibis.udf.scalar.builtin(name="substr")  # type: ignore[untyped-decorator]
def _substr(text: str, start: int, length: int) -> str:  # type: ignore[empty-body]
    """SQL ``substr(text, start, length)``: 1-based, the same on every engine."""


def as_timestamp(column: ir.Value) -> ir.TimestampValue:
    """A timestamp column as is; a date column as midnight UTC; nulls as timestamps."""
    instant = column if column.type().is_timestamp() else column.cast("timestamp")
    assert isinstance(instant, ir.TimestampValue)
    return instant
