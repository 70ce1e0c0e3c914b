"""The time-zone rule: how every timestamp gets its local date, on any engine.

Rule 1 of the retention rule (``juro_privacy.rules.retention.rule``; GDPR Art. 5(1)(e),
storage limitation): every timestamp becomes a date in the organisation's time zone
(the workbook's ``timezone``, default Europe/London) before anything is compared. It is
read as the workbook loader reads a timestamp in every other table (``parse_datetime`` in
``juro_privacy/workbook/load.py``; issue #12, "one reading of naive timestamps"):

- **a naive timestamp (no UTC offset) is local wall time** in that zone, so its local
  date is its calendar date: ``2026-03-31T23:30:00`` is 31 March;
- **a date without a time is that local date**;
- **a timestamp with an offset is an instant**, whose local date comes from the zone's
  UTC offsets: ``2026-03-31T23:30:00+00:00`` is 00:30 BST on 1 April.

Whether a value has an offset is read from the column's type where the type says it
(:func:`column_readings`): a time-zone-aware type (DuckDB ``TIMESTAMPTZ``, a Parquet
timestamp with ``isAdjustedToUTC``, a pandas ``datetime64[ns, tz]``, Spark
``TIMESTAMP``, Postgres ``timestamptz``) holds instants; a naive type (DuckDB and
Postgres ``TIMESTAMP``, Spark ``TIMESTAMP_NTZ``, a naive ``datetime64``) holds wall
times; a date type holds local dates (Parquet ``INT96``, which DuckDB shows as naive,
is made an instant by ``source.py``, as Spark reads it). A text column (a CSV file,
strings in a frame) is read per value (:func:`offset_kind`), so one column may mix
``...T09:00:00`` and ``...T09:00:00+00:00``: each value is read as written. (Refusing
naive values instead would cost a CSV file the same per-value test, and would refuse
every naive column of a warehouse.)

A zone's UTC offsets come from zoneinfo as a table for 1970-2099 that travels to the
engine as one text literal, so the rule stays an Ibis expression and runs wherever the
data lives.
"""

from __future__ import annotations

import datetime
import functools
import math
import operator
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.datatypes as dt
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


#: How a column's values are read (:func:`column_readings`).
DATE, WALL_TIME, INSTANT, TEXT = "date", "wall time", "instant", "text"

#: A text value has a UTC offset when its time is followed by a numeric offset
#: (``+01:00``, ``-0500``, ``+01``, ``+00:00``) or by a letter (``Z``, ``UTC``, a zone
#: name); a date alone or a time alone (``2026-03-31``, ``2026-03-31T23:30:00.5``) has
#: none. Every value the workbook loader reads as having an offset (ending in ``Z`` or
#: ``±HH:MM``) has one here; the few wider forms are counted as offsets too, so that the
#: engine's parser applies them instead of a naive reading silently dropping them.
#: Anchored at the end: DuckDB's regular expressions then cost about one cast per value.
OFFSET_PATTERN = r"(?:[A-Za-z]|:\d\d(?:[.,]\d+)?\s*[+-]\d\d(?::?\d\d){0,2})\s*$"


#: What a text value says of its offset (:func:`offset_kind`).
NO_OFFSET, ZERO_OFFSET, OTHER_OFFSET = 0, 1, 2


def offset_kind(text: ir.StringValue) -> ir.IntegerValue:
    """What each text value says of its UTC offset: ``NO_OFFSET`` (wall time),
    ``ZERO_OFFSET`` (ends in ``+00:00`` or ``Z``: the time as written is UTC) or
    ``OTHER_OFFSET`` (any other :data:`OFFSET_PATTERN`). A null counts as
    ``NO_OFFSET``: its date is null either way.

    The commonest forms are told apart first, without the pattern: ``+00:00`` and ``Z``
    at the end, and the shape ``YYYY-MM-DDTHH:MM:SS`` (no room left for an offset).
    Engines evaluate a later test only for the values left, so a file written in those
    forms never runs the regular expression. DuckDB, one thread, 10M values: 0.17 s for
    ``+00:00`` values (the pattern alone: 0.94 s), 0.70 s for naive ones (0.82 s),
    against 0.5-0.6 s to cast them to timestamps.
    """
    return ibis.cases(
        (text.endswith("+00:00") | text.endswith("Z"), ZERO_OFFSET),
        (text.like("____-__-__T__:__:__"), NO_OFFSET),
        (text.re_search(OFFSET_PATTERN), OTHER_OFFSET),
        else_=NO_OFFSET,
    ).cast("int8")


def has_offset(text: ir.StringValue) -> ir.BooleanValue:
    """Whether each text value has a UTC offset (:func:`offset_kind`)."""
    return offset_kind(text) != NO_OFFSET


def column_readings(table: ir.Table, names: Iterable[str]) -> dict[str, str]:
    """How each column's values are read by rule 1: ``DATE``, ``WALL_TIME``, ``INSTANT``
    or ``TEXT`` (per value), from the column's type (see the module docstring).

    Ibis shows Spark's ``TIMESTAMP`` (an instant, shown in the session's time zone) and
    ``TIMESTAMP_NTZ`` (wall time) as the same naive timestamp, so on Spark the type is
    read from Spark's own schema of the table (analysed, not run). A column of any
    other type is refused.
    """
    readings: dict[str, str] = {}
    spark_instants: frozenset[str] | None = None
    for name in names:
        kind = table[name].type()
        if kind.is_string():
            readings[name] = TEXT
        elif kind.is_date():
            readings[name] = DATE
        elif kind.is_null():
            readings[name] = WALL_TIME  # all null: any reading gives null
        elif kind.is_timestamp():
            if kind.timezone is None and spark_instants is None:
                spark_instants = _spark_instant_columns(table)
            aware = kind.timezone is not None or name in (spark_instants or ())
            readings[name] = INSTANT if aware else WALL_TIME
        else:
            raise RetentionError(f"column {name!r} must hold timestamps, not {kind}")
    return readings


def _backend(table: ir.Table) -> Any:
    """The table's Ibis backend, or None for an unbound table."""
    try:
        return table.get_backend()
    except Exception:  # an unbound table: no engine to ask
        return None


def _spark_instant_columns(table: ir.Table) -> frozenset[str]:
    """On Spark, the columns of type ``TIMESTAMP`` (instants); elsewhere none."""
    backend = _backend(table)
    if getattr(backend, "name", None) != "pyspark":
        return frozenset()
    schema = backend._session.sql(backend.compile(table)).schema
    return frozenset(f.name for f in schema.fields if type(f.dataType).__name__ == "TimestampType")


def with_local_dates(table: ir.Table, columns: Mapping[str, str], timezone: str) -> ir.Table:
    """Add, per ``{new: column}``, the date in ``timezone`` of each value of the column.

    Rule 1, on any engine, read as :func:`column_readings` says: a date is its own local
    date; a wall time's local date is its calendar date; an instant's is found as
    follows. The UTC date is the local date unless the instant's UTC hour is within the
    zone's largest offset of midnight (for London, from 23:00 UTC). Only for those
    instants is the zone's offset table (``_utc_offsets``) read, by epoch seconds, and
    the offset added before taking the date; engines evaluate that branch only for the
    rows that need it, which keeps the rule cheap. Instants outside 1970-2099 take the
    offset at the nearer end of the table. Ibis runs every session in UTC, so an
    engine's own date of an instant is its UTC date. In a text column each value is
    read one way or the other by :func:`offset_kind`.
    """
    offsets = _utc_offsets(timezone)
    readings = column_readings(table, columns.values())
    on_duckdb = getattr(_backend(table), "name", None) == "duckdb"
    texts = {new: name for new, name in columns.items() if readings[name] == TEXT}
    instants = {new: name for new, name in columns.items() if readings[name] in (INSTANT, TEXT)}

    # 1. In text columns, what each value says of its offset (one test per value).
    step = table.mutate(**{f"_{new}_kind": offset_kind(table[name]) for new, name in texts.items()})
    # 2. The instants as naive UTC timestamps (null where a text value has no offset),
    #    and their local dates from the offset table. A text value with a zero offset
    #    is cast as written: the cheapest cast, and the same on every engine.
    parsed: dict[str, ir.Value] = {}
    for new, name in instants.items():
        if new in texts:
            text, kind = step[name], step[f"_{new}_kind"]
            other = _naive_utc(text.cast(dt.Timestamp(timezone="UTC")), on_duckdb)
            parsed[f"_{new}_instant"] = ibis.cases(
                (kind == ZERO_OFFSET, text.cast("timestamp")),
                (kind == OTHER_OFFSET, other.cast("timestamp")),
                else_=ibis.null("timestamp"),
            )
        else:
            parsed[f"_{new}_instant"] = _naive_utc(step[name], on_duckdb)
    step = step.mutate(**parsed)
    step = _with_instant_dates(
        step, {f"_{new}_local": f"_{new}_instant" for new in instants}, offsets
    )

    # 3. Every column's local date.
    dates: dict[str, ir.Value] = {}
    for new, name in columns.items():
        if readings[name] == DATE:
            dates[new] = step[name]
        elif readings[name] == WALL_TIME:
            dates[new] = as_timestamp(step[name]).date()
        elif readings[name] == INSTANT:
            dates[new] = step[f"_{new}_local"]
        else:  # text: a value without an offset is wall time
            wall = step[name].cast("timestamp").date()
            no_offset = step[f"_{new}_kind"] == NO_OFFSET
            dates[new] = ibis.ifelse(no_offset, wall, step[f"_{new}_local"])
    return step.mutate(**dates)


def _naive_utc(instant: ir.Value, on_duckdb: bool) -> ir.TimestampValue:
    """An instant as a naive UTC timestamp, which every engine's date operations read
    as UTC (Ibis runs every session in UTC). On DuckDB a ``TIMESTAMPTZ`` is converted
    with ``make_timestamp(epoch_us(x))``: Ibis' own operations on ``TIMESTAMPTZ`` go
    through an ICU cast about six times slower (0.3 s against 1.9 s for 10M rows)."""
    kind = instant.type()
    if on_duckdb and kind.is_timestamp() and kind.timezone is not None:
        return _make_timestamp(_epoch_us(instant))
    assert isinstance(instant, ir.TimestampValue)
    return instant


@ibis.udf.scalar.builtin(name="epoch_us")  # type: ignore[untyped-decorator]
def _epoch_us(instant: dt.Timestamp(timezone="UTC")) -> dt.int64:  # type: ignore[empty-body,valid-type]
    """DuckDB ``epoch_us(x)``: microseconds since 1970 of a ``TIMESTAMPTZ``."""


@ibis.udf.scalar.builtin(name="make_timestamp")  # type: ignore[untyped-decorator]
def _make_timestamp(micros: dt.int64) -> dt.Timestamp():  # type: ignore[empty-body,valid-type]
    """DuckDB ``make_timestamp(us)``: the naive timestamp that many microseconds after 1970."""


def _with_instant_dates(
    table: ir.Table, columns: Mapping[str, str], offsets: _OffsetTable
) -> ir.Table:
    """Add, per ``{new: naive UTC timestamp column}``, the local date of its instants."""
    if not columns:
        return table
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

    step = table.mutate(**{f"{new}_offsets": record(table[name]) for new, name in columns.items()})
    return step.mutate(
        **{new: local_date(step[name], step[f"{new}_offsets"]) for new, name in columns.items()}
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
    """A timestamp column as is; a date column as its midnight (wall time, so its local
    date is the date itself); an all-null column as naive timestamps."""
    instant = column if column.type().is_timestamp() else column.cast("timestamp")
    assert isinstance(instant, ir.TimestampValue)
    return instant
