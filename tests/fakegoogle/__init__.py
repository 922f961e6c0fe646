"""A local, stateful fake of Google's Sheets v4, Drive v3, Docs v1 and Gmail v1 APIs.

Real gspread and googleapiclient talk to it over HTTP on 127.0.0.1::

    with FakeGoogle() as fake:
        gc = gspread_client(fake.base_url)
        drive = google_service(fake.base_url, "drive")

See ``server.FakeGoogle`` for faults and call counts, ``seed`` for putting
data in directly and ``humans`` for concurrent edits.
"""

from .clients import api_endpoint, google_service, gspread_client, http_client_for
from .pdf import extract_text
from .server import FakeGoogle

__all__ = ["FakeGoogle", "api_endpoint", "extract_text", "google_service", "gspread_client", "http_client_for"]
