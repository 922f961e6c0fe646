"""The Google client every layer uses: sign-in (`auth`), HTTP without silent resends
(`http.Google`), retries with backoff (`retry`), and errors explained in one line (`errors`).
The workbook (book/google), the PDFs (render/drive, render/gdocs) and Gmail (deliver/gmail)
all go through it."""

from .http import Google
from .retry import ApiFailure, Backoff

__all__ = ["ApiFailure", "Backoff", "Google"]
