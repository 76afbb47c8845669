import pytest

from bpd.fund.waittimes import (
    Wait,
    WaitTimeError,
    parse_csv,
    parse_state_department_html,
    parse_wait,
)


@pytest.mark.parametrize(
    ("text", "wait"),
    [
        ("58 Days", Wait(58)),
        ("1 Day", Wait(1)),
        ("3.5 Months", Wait(105)),
        ("< 0.5 Month", Wait(15)),
        ("Closed", Wait(None, closed=True)),
        ("", Wait(None)),
        ("N/A", Wait(None)),
        ("12", Wait(12)),
    ],
)
def test_parse_wait(text, wait):
    assert parse_wait(text) == wait


def test_parse_wait_rejects_nonsense():
    with pytest.raises(ValueError, match="cannot read"):
        parse_wait("soon")


def test_parse_csv():
    rows = parse_csv(
        "post,country,visa_category,wait_days\nLagos,ng,visitor,120\nAccra,GH,visitor,closed\n"
    )

    assert [(r.post, r.country, r.wait) for r in rows] == [
        ("Lagos", "NG", Wait(120)),
        ("Accra", "GH", Wait(None, closed=True)),
    ]


def test_parse_csv_reports_every_bad_line():
    with pytest.raises(WaitTimeError) as raised:
        parse_csv(
            "post,country,visa_category,wait_days\nLagos,Nigeria,visitor,120\n,GH,visitor,3\nAbuja,NG,visitor,soon\n"
        )

    assert [line for line, _message in raised.value.problems] == [2, 3, 4]


def test_parse_csv_needs_header():
    with pytest.raises(WaitTimeError, match="header"):
        parse_csv("Lagos,NG,visitor,120\n")


STATE_DEPARTMENT = """
<table class="table"><thead><tr><th>City/Post</th><th>Interview Required Students/Exchange Visitors</th>
<th>Interview Required Visitors (B1/B2)</th></tr></thead>
<tbody>
<tr><td>Abuja</td><td>< 0.5 Month</td><td>10.5 Months</td></tr>
<tr><td>Lagos</td><td>58 Days</td><td>Closed</td></tr>
<tr><td>Nairobi</td><td>N/A</td><td>3 Months</td></tr>
</tbody></table>
"""


def test_parse_state_department_table():
    rows = parse_state_department_html(STATE_DEPARTMENT)

    assert [(r.post, r.category, r.wait) for r in rows] == [
        ("Abuja", "Interview Required Students/Exchange Visitors", Wait(15)),
        ("Abuja", "Interview Required Visitors (B1/B2)", Wait(315)),
        ("Lagos", "Interview Required Students/Exchange Visitors", Wait(58)),
        ("Lagos", "Interview Required Visitors (B1/B2)", Wait(None, closed=True)),
        ("Nairobi", "Interview Required Visitors (B1/B2)", Wait(90)),
    ]


def test_parse_state_department_table_without_table():
    with pytest.raises(WaitTimeError):
        parse_state_department_html("<p>nothing here</p>")
