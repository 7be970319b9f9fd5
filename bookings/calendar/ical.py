"""Writing iCalendar (RFC 5545) text, fast enough for a year of a busy house.

A feed holds thousands of events; building each through `icalendar`'s
component objects costs a fraction of a millisecond per event. These few
functions write the same bytes for the content lines Samhus uses: TEXT
escaping (§3.3.11) and folding at 75 octets (§3.1) follow `icalendar` exactly,
which the tests check byte for byte on a corpus of awkward text. The calendar's
head and its VTIMEZONE are still written by `icalendar`.

Lines end in CRLF. The functions for lines and events return ``str``; the
document is bytes, made of events already encoded."""

import datetime
import functools
import re

from django.conf import settings
from icalendar import Calendar, Timezone

CRLF = "\r\n"
_END = b"END:VCALENDAR\r\n"
_NEEDS_ESCAPE = re.compile(r"[\\;,\r\n]")


def escape(text: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 says, as `icalendar` does:
    backslash, semicolon and comma get a backslash; any line break becomes \\n."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """A content line folded so no physical line reaches ``limit`` octets: a
    new line starts with a space, a multi-byte character is never split, and
    a backslash stays with the character it escapes."""
    if len(line) < limit and (line.isascii() or len(line.encode()) < limit):
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode())
        if current and size + width >= limit:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, size = [carried], len(carried.encode())
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def text(name: str, value: str) -> str:
    """One TEXT property as a folded content line with its CRLF."""
    return fold(f"{name}:{escape(value)}") + CRLF


def local_time(moment: datetime.datetime) -> str:
    """A local wall-clock time in the basic format (the TZID goes on the property)."""
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}"
    )


def utc_time(moment: datetime.datetime) -> str:
    return local_time(moment.astimezone(datetime.UTC)) + "Z"


def vevent(
    *,
    uid: str,
    summary: str,
    start: datetime.datetime,
    end: datetime.datetime,
    stamp: datetime.datetime,
    sequence: int,
    description: str,
    location: str,
    status: str,
    url: str,
) -> str:
    """One VEVENT. Its properties come in `icalendar`'s order (SUMMARY, DTSTART,
    DTEND, DTSTAMP, UID, SEQUENCE, then the others by name), so the text is the
    same as `icalendar.Event.to_ical()` gives for the same values."""
    tzid = start.tzinfo.key if hasattr(start.tzinfo, "key") else settings.TIME_ZONE
    changed = utc_time(stamp)
    return (
        "BEGIN:VEVENT\r\n"
        + text("SUMMARY", summary)
        + f"DTSTART;TZID={tzid}:{local_time(start)}\r\n"
        + f"DTEND;TZID={tzid}:{local_time(end)}\r\n"
        + f"DTSTAMP:{changed}\r\n"
        + text("UID", uid)
        + f"SEQUENCE:{sequence}\r\n"
        + (text("DESCRIPTION", description) if description else "")
        + f"LAST-MODIFIED:{changed}\r\n"
        + text("LOCATION", location)
        + f"STATUS:{status}\r\n"
        + fold(f"URL:{url}")
        + "\r\nEND:VEVENT\r\n"
    )


def with_description(event: bytes, extra: str) -> bytes:
    """A stored VEVENT with ``extra`` as a paragraph at the end of its
    DESCRIPTION (or as its DESCRIPTION, where it has none), folded again."""
    lines = event.decode().replace("\r\n ", "").split(CRLF)
    for number, line in enumerate(lines):
        if line.startswith("DESCRIPTION:"):
            lines[number] = fold(line + escape("\n\n" + extra))
            break
    else:
        at = next(n for n, line in enumerate(lines) if line.startswith("LAST-MODIFIED:"))
        lines.insert(at, fold("DESCRIPTION:" + escape(extra)))
    return CRLF.join(lines).encode()


@functools.cache
def _timezone(tzid: str) -> bytes:
    # A fixed text for a given zone: written once per process, not per feed.
    return Timezone.from_tzid(tzid).to_ical()


def document(events: list[bytes], *, name: str) -> bytes:
    """A VCALENDAR with the house's VTIMEZONE around ready-made VEVENTs."""
    name = " ".join(name.split())  # a calendar's name is one line, whatever its title holds
    calendar = Calendar.new(
        prodid="-//Samhus//Activities//DA",
        name=name,
        refresh_interval=datetime.timedelta(hours=1),
        method="PUBLISH",
    )
    del calendar["UID"]  # optional, and one feed's filters make it a different calendar
    # Read by Apple and Google calendars, which do not know REFRESH-INTERVAL.
    calendar.add("x-published-ttl", "PT1H")
    head = calendar.to_ical().removesuffix(_END)
    return head + _timezone(settings.TIME_ZONE) + b"".join(events) + _END
