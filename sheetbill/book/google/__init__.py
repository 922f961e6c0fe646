"""The Google Sheets backend (see `book` for the requests a cycle makes,
`lease` for two workers, `anchors` for people editing meanwhile)."""

from .book import GoogleBook
from ...google import ApiFailure, Backoff, Google

__all__ = ["ApiFailure", "Backoff", "Google", "GoogleBook"]
