"""Reading consulate appointment wait times that staff import (CSV, or the US State
Department's "Global Visa Wait Times" table saved as HTML). Parsing only; the
import service checks everything before writing anything."""

import csv
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

DAYS_PER_MONTH = 30


class WaitTimeError(ValueError):
    """The file cannot be imported; `problems` lists (line, message)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(f"line {line}: {message}" for line, message in problems))


@dataclass(frozen=True)
class Wait:
    days: int | None  # None with closed=False: no data
    closed: bool = False


def parse_wait(text):
    """'58 Days' → 58, '3.5 Months' → 105, '< 0.5 Month' → 15, 'Closed' → closed, '' → no data."""
    value = " ".join(str(text).split()).lower()
    if value in {"", "n/a", "na", "-", "—"}:
        return Wait(None)
    if value.startswith("closed"):
        return Wait(None, closed=True)
    match = re.fullmatch(r"(<\s*)?(\d+(?:\.\d+)?)\s*(day|days|month|months|week|weeks)?", value)
    if not match:
        raise ValueError(f"cannot read the wait {text!r}")
    number = float(match.group(2))
    unit = match.group(3) or "days"
    if unit.startswith("month"):
        number *= DAYS_PER_MONTH
    elif unit.startswith("week"):
        number *= 7
    return Wait(round(number))


@dataclass(frozen=True)
class Row:
    line: int
    post: str
    country: str  # where the post is; may be empty when the source does not say
    category: str
    wait: Wait


MAX_ROWS = 5000  # every consulate of one country many times over
MAX_FIELD = 500


def parse_csv(text):
    """Columns: post, country, visa category, wait in days (a number, or 'closed')."""
    previous = csv.field_size_limit(MAX_FIELD)  # the limit is per process: put it back
    try:
        return _parse_csv(text)
    except csv.Error as error:
        raise WaitTimeError([(0, f"the file is not readable CSV ({error})")]) from None
    finally:
        csv.field_size_limit(previous)


def _parse_csv(text):
    reader = csv.DictReader(io.StringIO(text))
    required = {"post", "country", "visa_category", "wait_days"}
    if not reader.fieldnames or not required <= {name.strip() for name in reader.fieldnames}:
        raise WaitTimeError([(1, "the header must be: post,country,visa_category,wait_days")])
    rows, problems = [], []
    for number, record in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise WaitTimeError([(number, f"more than {MAX_ROWS} rows: split the file")])
        record = {key.strip(): (value or "").strip() for key, value in record.items() if key}
        country = record["country"].upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            problems.append(
                (number, f"country must be a two-letter code, not {record['country']!r}")
            )
            continue
        if not record["post"]:
            problems.append((number, "the post (consulate city) is empty"))
            continue
        try:
            wait = parse_wait(record["wait_days"])
        except ValueError as error:
            problems.append((number, str(error)))
            continue
        rows.append(
            Row(number, record["post"], country, record["visa_category"] or "visitor", wait)
        )
    if problems:
        raise WaitTimeError(problems)
    return rows


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._in_cell = [], None, [], False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._in_cell, self._cell = True, []

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self._row is not None and self._in_cell:
            self._row.append(" ".join("".join(self._cell).split()))
            self._in_cell = False
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_cell:
            self._cell.append(data)


def parse_state_department_html(html):
    """Rows of the "Global Visa Wait Times" table: one per post and visa category.

    The first row is the header: the post column, then one column per category.
    The table names posts by city, not country; the importer looks the city up.
    """
    reader = _TableReader()
    reader.feed(html)
    table = [row for row in reader.rows if any(row)]
    if len(table) < 2:
        raise WaitTimeError([(1, "no table with a header row and data rows was found")])
    header = table[0]
    categories = header[1:]
    rows, problems = [], []
    for number, cells in enumerate(table[1:], start=2):
        post = cells[0] if cells else ""
        if not post:
            continue
        for category, cell in zip(categories, cells[1:], strict=False):
            try:
                wait = parse_wait(cell)
            except ValueError as error:
                problems.append((number, f"{post}: {error}"))
                continue
            if wait.days is None and not wait.closed:
                continue
            rows.append(Row(number, post, "", category, wait))
    if problems:
        raise WaitTimeError(problems)
    if not rows:
        raise WaitTimeError([(1, "the table holds no wait times")])
    return rows
