"""Gmail v1: ``users.messages.send/list/get`` and ``users.getProfile``.

Sent mail is kept as raw RFC 822 bytes.  ``messages.list`` understands
``rfc822msgid:``, ``in:``/``label:``, ``from:``, ``to:``, ``subject:`` and
bare words (matched against the raw message).
"""

from __future__ import annotations

import base64
import email
import email.policy
import re
import shlex
from email.message import EmailMessage, Message
from email.utils import make_msgid
from typing import Any

from .errors import ApiError, legacy
from .routing import Router
from .state import MailMessage, State
from .uploads import Upload, receive
from .wire import Request, Response

router = Router("gmail")
USERS = "/gmail/v1/users/{userId}"
JsonDict = dict[str, Any]


def gmail_error(code: int, reason: str, message: str) -> ApiError:
    """Gmail's error body: Google's, plus the ``errors`` list."""
    return legacy(code, reason, message, status=None)


def invalid_argument(message: str) -> ApiError:
    return gmail_error(400, "invalidArgument", message)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    text = text.strip().replace("+", "-").replace("/", "_")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def check_user(state: State, request: Request) -> None:
    user = request.params["userId"]
    if user not in ("me", state.me.email):
        raise gmail_error(403, "forbidden", f"Delegation denied for {state.me.email}")


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _send(state: State, raw: bytes, thread_id: str | None) -> JsonDict:
    if not raw.strip():
        raise invalid_argument("Recipient address required")
    message = parse(raw)
    recipients = [message.get(h) for h in ("To", "Cc", "Bcc") if message.get(h)]
    if not recipients:
        raise invalid_argument("Recipient address required")
    if message.get("From") is None:
        message["From"] = state.me.email
    if message.get("Message-ID") is None:
        message["Message-ID"] = make_msgid(domain="mail.gmail.com")
    if message.get("Date") is None:
        message["Date"] = email.utils.format_datetime(state.now())
    raw = message.as_bytes(policy=email.policy.SMTP)
    message_id = state.new_hex_id()
    if thread_id is None:
        replied = (message.get("In-Reply-To") or "").strip()
        parent = next((m for m in state.messages if replied and _msgid(_header(m, "Message-ID")) == _msgid(replied)), None)
        thread_id = parent.thread_id if parent else message_id
    state.history_id += 1
    stored = MailMessage(message_id, thread_id, raw, ["SENT"], int(state.now().timestamp() * 1000), state.history_id)
    state.messages.append(stored)
    return {"id": stored.id, "threadId": stored.thread_id, "labelIds": list(stored.label_ids)}


@router.add("POST", USERS + "/messages/send", "users.messages.send", writes=True)
def send(state: State, request: Request) -> JsonDict:
    check_user(state, request)
    body = request.json() or {}
    if not body.get("raw"):
        raise invalid_argument("'raw' RFC822 payload message string or uploading message via /upload/* URL required")
    try:
        raw = unb64(body["raw"])
    except ValueError:
        raise invalid_argument("Invalid value for ByteString: " + str(body["raw"])[:40]) from None
    return _send(state, raw, body.get("threadId"))


@router.add("POST", "/upload" + USERS + "/messages/send", "users.messages.send", writes=True)
def send_upload(state: State, request: Request) -> Response | JsonDict:
    check_user(state, request)

    def finish(state: State, request: Request, upload: Upload) -> JsonDict:
        return _send(state, upload.media or b"", upload.metadata.get("threadId"))

    return receive(state, request, finish)


# ------------------------------------------------------------------ search

def _header(message: MailMessage, name: str) -> str:
    return str(parse(message.raw).get(name) or "")


def _msgid(text: str) -> str:
    return text.strip().strip("<>").strip().lower()


def _term_matches(message: MailMessage, parsed: Message, term: str) -> bool:
    key, sep, value = term.partition(":")
    if not sep:
        return term.lower() in message.raw.decode("utf-8", "replace").lower()
    key, value = key.lower(), value.strip()
    if key == "rfc822msgid":
        return _msgid(parsed.get("Message-ID") or "") == _msgid(value)
    if key in ("in", "label"):
        return value.upper() in message.label_ids or (value.lower() == "anywhere")
    if key in ("from", "to", "cc", "subject"):
        return value.lower() in str(parsed.get(key.capitalize()) or "").lower()
    return term.lower() in message.raw.decode("utf-8", "replace").lower()


@router.add("GET", USERS + "/messages", "users.messages.list")
def list_messages(state: State, request: Request) -> JsonDict:
    check_user(state, request)
    try:
        terms = shlex.split(request.arg("q") or "")
    except ValueError:
        terms = (request.arg("q") or "").split()
    labels = request.args("labelIds")
    found = []
    for message in reversed(state.messages):
        parsed = parse(message.raw)
        if labels and not all(label in message.label_ids for label in labels):
            continue
        if all(_term_matches(message, parsed, term) for term in terms):
            found.append(message)
    size = min(int(request.arg("maxResults") or 100), 500)
    start = int(request.arg("pageToken") or 0)
    page = found[start : start + size]
    out: JsonDict = {}
    if page:
        out["messages"] = [{"id": m.id, "threadId": m.thread_id} for m in page]
    if start + size < len(found):
        out["nextPageToken"] = str(start + size)
    out["resultSizeEstimate"] = len(page)
    return out


# ------------------------------------------------------------------ get

def _part_json(part: Message, part_id: str, with_data: bool) -> JsonDict:
    headers = [{"name": k, "value": str(v)} for k, v in part.items()]
    out: JsonDict = {
        "partId": part_id,
        "mimeType": part.get_content_type(),
        "filename": part.get_filename() or "",
        "headers": headers,
    }
    if part.is_multipart():
        out["body"] = {"size": 0}
        children = part.get_payload()
        assert isinstance(children, list)
        out["parts"] = [
            _part_json(child, f"{part_id}.{i}" if part_id else str(i), with_data) for i, child in enumerate(children)
        ]
        return out
    payload = part.get_payload(decode=True) or b""
    body: JsonDict = {"size": len(payload)}
    if part.get_filename():
        body["attachmentId"] = "ANGjdJ" + b64(part.get_filename().encode())[:40]
    elif with_data:
        body["data"] = b64(payload)
    out["body"] = body
    return out


def _snippet(parsed: EmailMessage) -> str:
    part = parsed.get_body(preferencelist=("plain", "html"))
    text = part.get_content() if part is not None else ""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(text))).strip()[:200]


@router.add("GET", USERS + "/messages/{id}", "users.messages.get")
def get_message(state: State, request: Request) -> JsonDict:
    check_user(state, request)
    message = next((m for m in state.messages if m.id == request.params["id"]), None)
    if message is None:
        raise gmail_error(404, "notFound", "Requested entity was not found.")
    parsed = parse(message.raw)
    form = request.arg("format") or "full"
    out: JsonDict = {
        "id": message.id,
        "threadId": message.thread_id,
        "labelIds": list(message.label_ids),
        "snippet": _snippet(parsed),
    }
    if form == "raw":
        out["raw"] = b64(message.raw)
    elif form == "metadata":
        wanted = {h.lower() for h in request.args("metadataHeaders")}
        headers = [{"name": k, "value": str(v)} for k, v in parsed.items() if not wanted or k.lower() in wanted]
        out["payload"] = {"mimeType": parsed.get_content_type(), "headers": headers}
    elif form == "full":
        out["payload"] = _part_json(parsed, "", True)
    out["sizeEstimate"] = len(message.raw)
    out["historyId"] = str(message.history_id)
    out["internalDate"] = str(message.internal_date)
    return out


@router.add("GET", USERS + "/profile", "users.getProfile")
def profile(state: State, request: Request) -> JsonDict:
    check_user(state, request)
    return {
        "emailAddress": state.me.email,
        "messagesTotal": len(state.messages),
        "threadsTotal": len({m.thread_id for m in state.messages}),
        "historyId": str(state.history_id),
    }
