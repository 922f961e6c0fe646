"""The one exception the renderers raise."""

from __future__ import annotations

from ..errors import SheetbillError


class RenderError(SheetbillError):
    """A PDF could not be made: template missing or broken, or a converter failed.

    The message is meant for the practice's admin: it names the template file
    (and line, when there is one) or the program that failed.
    """
