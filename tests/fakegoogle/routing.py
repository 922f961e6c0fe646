"""URL templates to handlers, one :class:`Router` per API."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import unquote

from .errors import ApiError
from .state import State
from .validate import DOCUMENTS, discovery, methods
from .wire import Request, Response

Handler = Callable[[State, Request], "Response | dict[str, Any]"]


@dataclass
class Route:
    """One endpoint: HTTP method + path template -> handler."""

    http_method: str
    template: str
    method_id: str
    handler: Handler
    writes: bool
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        regex = ""
        for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", self.template):
            regex += re.escape(literal)
            if name:
                regex += f"(?P<{name}>[^/]+?)"
        self.pattern = re.compile(f"^{regex}$")

    @property
    def api(self) -> str:
        return self.method_id.split(".", 1)[0]


class Router:
    """Collects the routes of one API; ``api`` prefixes the method ids."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.routes: list[Route] = []

    def add(self, http_method: str, template: str, name: str, writes: bool = False) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes.append(Route(http_method, template, f"{self.api}.{name}", handler, writes))
            return handler

        return register


def resolve(routes: list[Route], request: Request) -> Route:
    """Find the route for a request and fill in its path parameters."""
    path_matched = False
    for route in routes:
        match = route.pattern.match(request.path)
        if not match:
            continue
        path_matched = True
        if route.http_method != request.method:
            continue
        request.api = route.api
        request.method_id = route.method_id
        request.writes = route.writes
        request.params = {k: unquote(v) for k, v in match.groupdict().items()}
        return route
    known = _documented(request.method, request.path)
    if known:
        raise ApiError(501, f"{known} is not implemented by the local fake.")
    if path_matched:
        raise ApiError(405, f"Method {request.method} is not allowed on {request.path}.", "UNIMPLEMENTED")
    raise ApiError(404, f"The requested URL {request.path} was not found on this server.", "NOT_FOUND")


@lru_cache(maxsize=None)
def _documented_patterns() -> list[tuple[str, re.Pattern[str], str]]:
    """(HTTP method, path pattern, method id) for every method the discovery documents list."""
    found = []
    for api in DOCUMENTS:
        prefix = "/" + discovery(api)["servicePath"]
        for method_id, method in methods(api).items():
            template = prefix + method.get("flatPath", method["path"])
            regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            found.append((method["httpMethod"], re.compile(f"^{regex}$"), method_id))
    return found


def _documented(http_method: str, path: str) -> str | None:
    for method, pattern, method_id in _documented_patterns():
        if method == http_method and pattern.match(path):
            return method_id
    return None


def to_response(result: Response | dict[str, Any], compact: bool = False) -> Response:
    return result if isinstance(result, Response) else Response.json(result, compact=compact)
