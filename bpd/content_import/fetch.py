"""The one client the importer uses to reach other sites: downloading an external image
at import time. Small on purpose: HTTPS or HTTP GET, a timeout, a size limit, no
cookies, and errors the report can show."""

import urllib.error
import urllib.request

from bpd.content_import.assets import AssetProblem

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 10


class Fetcher:
    def __init__(self, *, timeout=TIMEOUT, max_bytes=MAX_BYTES):
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.opener = urllib.request.build_opener()

    def get(self, url):
        """(bytes, content type) of `url`, or raise AssetProblem saying why not."""
        if not url.startswith(("https://", "http://")):
            raise AssetProblem(f"{url}: only http and https addresses are downloaded")
        request = urllib.request.Request(
            url, headers={"User-Agent": "BPD-importer/1 (+https://blackpythondevs.com)"}
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                data = response.read(self.max_bytes + 1)
                content_type = response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            raise AssetProblem(f"{url} answered {error.code}; kept as a link") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise AssetProblem(
                f"{url} could not be downloaded ({reason}); kept as a link"
            ) from None
        if len(data) > self.max_bytes:
            raise AssetProblem(
                f"{url} is larger than {self.max_bytes // (1024 * 1024)} MB; kept as a link"
            )
        return data, content_type
