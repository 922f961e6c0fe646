"""Loading and filling the practice's jinja2 templates, errors as `RenderError`.

Templates run in jinja2's sandbox with `StrictUndefined`, so a misspelt name
fails loudly instead of printing nothing. Context values are data: jinja2
never evaluates the text it substitutes, so a client called `{{ 7*7 }}` is
printed as written. HTML templates are autoescaped as well. A line holding
only a `{% tag %}` leaves no blank line (trim_blocks, lstrip_blocks).
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..language import template_functions
from .errors import RenderError


def load_template(path: Path, *, autoescape: bool) -> jinja2.Template:
    """The compiled template at `path`, its folder serving includes and imports."""
    environment = _environment(path.resolve().parent, autoescape)
    try:
        return environment.get_template(path.name)
    except jinja2.TemplateNotFound:
        raise RenderError(f"template not found: {path}") from None
    except jinja2.TemplateSyntaxError as error:
        raise RenderError(
            f"{error.filename or path}, line {error.lineno}: {error.message}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RenderError(f"cannot read template {path}: {error}") from None


def fill(template: jinja2.Template, context: Mapping[str, object]) -> str:
    """The template's text with `context`; a failure names the file and line.

    The template also gets `_` (and `gettext`, `ngettext`, `pgettext`, which
    `{% trans %}` uses): the words of the context's `language`."""
    language = context.get("language", "")
    try:
        return template.render({**template_functions(language if isinstance(language, str) else ""),
                                **context})
    except jinja2.TemplateError as error:
        raise RenderError(f"{_where(template, error)}: {error}") from None


def _where(template: jinja2.Template, error: Exception) -> str:
    """`invoice.html, line 42`: the template frame of the error's traceback."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if frame.filename == template.filename]
    where = template.filename or template.name or "template"
    return f"{where}, line {lines[-1]}" if lines else where


@lru_cache(maxsize=32)
def _environment(folder: Path, autoescape: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folder),
        extensions=["jinja2.ext.i18n"],
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
