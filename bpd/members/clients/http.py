"""The one place outside services are called over HTTP (standard library only)."""

import json
import urllib.error
import urllib.parse
import urllib.request


class ServiceError(Exception):
    """The outside service refused or could not be reached."""


def request(method, url, *, token=None, token_type="Bearer", form=None, payload=None, timeout=10):
    headers = {"Accept": "application/json", "User-Agent": "bpd-platform"}
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif payload is not None:
        data = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"{token_type} {token}"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            body = response.read()
            return response.status, json.loads(body) if body else {}
    except urllib.error.HTTPError as error:
        raise ServiceError(f"{method} {url} answered {error.code}") from error
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as error:
        raise ServiceError(f"{method} {url} failed: {error}") from error
