"""Counting the SQL a page costs, for the query-count tests of list pages."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def get_with_queries(client, url):
    """GET `url` (it must answer 200); returns the response and the SQL it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, [query["sql"] for query in captured]
