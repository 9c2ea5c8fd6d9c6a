"""Exchange Online's dates: how Get-Mailbox serves WhenChanged/WhenChangedUTC, and the date forms
-Filter takes in a comparison ("WhenChangedUTC -ge '2026-12-05T10:11:12Z'").

Served shape: ISO 8601 to the second, WhenChangedUTC with "Z" and WhenChanged (the server's local
time, UTC in Exchange Online) with "+00:00", as in tests/data/exo/get-mailbox-full.json
(tests/data/exo/SOURCES.md: the property list of Get-Mailbox in Exchange Online,
https://learn.microsoft.com/powershell/module/exchange/get-mailbox).

Filter forms: a date/time value as the filterable-properties page describes for WhenChanged and
WhenChangedUTC (https://learn.microsoft.com/powershell/exchange/filter-properties): the sortable
form 'yyyy-MM-ddTHH:mm:ss' (with "Z" or an offset, or without: UTC, the service's own zone), a
date alone, and the en-US form 'MM/dd/yyyy HH:mm:ss' (optionally with AM/PM) of the service's
culture.  Times are whole seconds since the epoch, UTC.
"""

import calendar
import re
import time

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"
                  r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?", re.IGNORECASE)
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"
                 r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AP]M))?)?", re.IGNORECASE)


def parse(text):
    """Seconds since the epoch (UTC) of a date in one of the forms above; None if it is none."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    m = _ISO.fullmatch(text)
    if m:
        year, month, day, hour, minute, second, zone = m.groups()
        offset = _offset(zone)
    else:
        m = _US.fullmatch(text)
        if not m:
            return None
        month, day, year, hour, minute, second, ampm = m.groups()
        offset = 0
        if ampm:
            if hour is None or not 1 <= int(hour) <= 12:
                return None
            hour = str(int(hour) % 12 + (12 if ampm.upper() == "PM" else 0))
    fields = [int(year), int(month), int(day), int(hour or 0), int(minute or 0),
              int(second or 0)]
    if not (1 <= fields[1] <= 12 and 1 <= fields[2] <= calendar.monthrange(fields[0],
                                                                           fields[1])[1]
            and fields[3] <= 23 and fields[4] <= 59 and fields[5] <= 59):
        return None
    return calendar.timegm(tuple(fields) + (0, 0, 0)) - offset


def _offset(zone):
    if not zone or zone.upper() == "Z":
        return 0
    digits = zone[1:].replace(":", "")
    seconds = int(digits[:2]) * 3600 + int(digits[2:]) * 60
    return -seconds if zone[0] == "-" else seconds


def utc(seconds):
    """WhenChangedUTC as served: 2025-11-20T08:31:05Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def local(seconds):
    """WhenChanged as served: 2025-11-20T08:31:05+00:00 (Exchange Online's servers run in UTC)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(seconds))
