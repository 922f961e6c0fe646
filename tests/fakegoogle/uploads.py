"""Media uploads the way googleapiclient sends them.

``uploadType=media`` carries the bytes alone; ``multipart`` is a
``multipart/related`` body of JSON metadata plus the media; ``resumable``
starts with the metadata (answered 200 with a ``Location`` session URL),
then PUTs chunks with ``Content-Range`` (answered 308 with ``Range`` until
the last one, which gets the final resource).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlencode

from .errors import ApiError
from .state import State
from .validate import check_body
from .wire import Request, Response


@dataclass
class Upload:
    """What arrived: JSON metadata (if any) and media bytes (if any)."""

    metadata: dict[str, Any]
    media: bytes | None
    media_type: str | None


Finish = Callable[[State, Request, Upload], "Response | dict[str, Any]"]


@dataclass
class Session:
    """A resumable upload in progress."""

    id: str
    request: Request
    finish: Finish
    metadata: dict[str, Any]
    media_type: str | None
    total: int | None
    data: bytearray = field(default_factory=bytearray)


def receive(state: State, request: Request, finish: Finish) -> Response | dict[str, Any]:
    """Read an upload request; resumable starts answer with a session URL."""
    kind = request.arg("uploadType") or "media"
    if kind == "media":
        return finish(state, request, Upload({}, request.body, request.content_type or None))
    if kind == "multipart":
        metadata, media, media_type = parse_multipart(request.body, request.content_type)
        return finish(state, request, Upload(check_body(request.method_id, metadata), media, media_type))
    if kind == "resumable":
        metadata = request.json() if request.body else {}
        total = request.headers.get("x-upload-content-length")
        session = Session(
            state.new_hex_id(),
            request,
            finish,
            metadata or {},
            request.headers.get("x-upload-content-type"),
            int(total) if total else None,
        )
        state.uploads[session.id] = session
        query = {k: v[0] for k, v in request.query.items()}
        query["upload_id"] = session.id
        location = f"http://{request.headers.get('host', '127.0.0.1')}{request.path}?{urlencode(query)}"
        return Response(200, b"", {"Location": location, "X-GUploader-UploadID": session.id})
    raise ApiError(400, f"Invalid upload type: {kind}")


def session_for(state: State, request: Request) -> Session | None:
    """The resumable session a chunk PUT belongs to (labels the request)."""
    upload_id = request.arg("upload_id")
    if upload_id is None or not request.path.startswith("/upload/") or request.method != "PUT":
        return None
    session = state.uploads.get(upload_id)
    if session is None:
        raise ApiError(404, "The upload session was not found or has expired.")
    request.api = session.request.api
    request.method_id = session.request.method_id
    request.writes = True
    return session


_RANGE = re.compile(r"bytes (\*|(\d+)-(\d+))/(\*|\d+)")


def resume(state: State, request: Request) -> Response:
    """Take one chunk (or a status query) of a resumable upload."""
    session = state.uploads[request.arg("upload_id") or ""]
    header = request.headers.get("content-range", "")
    match = _RANGE.match(header)
    if match and match.group(4) != "*":
        session.total = int(match.group(4))
    if request.body:
        start = int(match.group(2)) if match and match.group(2) else len(session.data)
        if start != len(session.data):
            raise ApiError(400, f"Chunk starts at byte {start}, expected {len(session.data)}.")
        session.data.extend(request.body)
    if session.total is not None and len(session.data) >= session.total:
        del state.uploads[session.id]
        upload = Upload(session.metadata, bytes(session.data), session.media_type)
        result = session.finish(state, session.request, upload)
        return result if isinstance(result, Response) else Response.json(result)
    headers = {"Range": f"bytes=0-{len(session.data) - 1}"} if session.data else {}
    return Response(308, b"", headers)


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, Any], bytes | None, str | None]:
    """Split a ``multipart/related`` body into (metadata, media, media type)."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise ApiError(400, "Multipart upload without a boundary.")
    delimiter = b"--" + match.group(1).encode()
    metadata: dict[str, Any] = {}
    media: bytes | None = None
    media_type: str | None = None
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk[1:] if chunk.startswith(b"\n") else chunk
        chunk = chunk[:-2] if chunk.endswith(b"\r\n") else chunk[:-1] if chunk.endswith(b"\n") else chunk
        split = re.search(rb"\r?\n\r?\n", chunk)
        head, content = (chunk[: split.start()], chunk[split.end() :]) if split else (chunk, b"")
        headers = {}
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("content-transfer-encoding", "").lower() == "base64":
            content = base64.b64decode(content)
        kind = headers.get("content-type", "application/octet-stream")
        if "json" in kind and not metadata and media is None:
            try:
                metadata = json.loads(content.decode("utf-8") or "{}")
            except ValueError:
                raise ApiError(400, "Invalid JSON payload received in the metadata part.") from None
        else:
            media, media_type = content, kind
    return metadata, media, media_type
