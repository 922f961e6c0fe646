"""Drive v3 ``files``, ``permissions``, ``revisions`` and ``about`` (plus the
v2 upload gspread's ``import_csv`` uses)."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from . import fields
from .cells import Cell, from_input
from .docmodel import Paragraph
from .drive_json import DEFAULT_FILE_FIELDS, file_json, file_v2_json, revision_json
from .drive_query import compile_query
from .errors import file_not_found, legacy
from .exports import export
from .routing import Router
from .spreadsheet import Sheet
from .state import DOCUMENT, FOLDER, GOOGLE_TYPES, SPREADSHEET, DriveFile, State
from .uploads import Upload, receive
from .wire import Request, Response

router = Router("drive")
FILES = "/drive/v3/files"
UPLOAD = "/upload/drive/v3/files"
JsonDict = dict[str, Any]
ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
TYPES = ("user", "group", "domain", "anyone")


def find(state: State, file_id: str) -> DriveFile:
    entry = state.files.get(file_id)
    if entry is None or entry.private:
        raise file_not_found(file_id)
    return entry


def shaped(obj: JsonDict, request: Request, default: str) -> JsonDict:
    return fields.select(obj, fields.parse(request.arg("fields") or default))


def _file_answer(state: State, request: Request, entry: DriveFile) -> JsonDict:
    return shaped(file_json(state, entry), request, DEFAULT_FILE_FIELDS)


def _parents(state: State, wanted: list[str] | None) -> list[str] | None:
    if not wanted:
        return None
    resolved = []
    for parent in wanted:
        parent = state.root_id if parent == "root" else parent
        if parent != state.root_id:
            folder = find(state, parent)
            if folder.mime_type != FOLDER:
                raise legacy(400, "invalid", "The specified parent is not a folder.", location="parents")
        resolved.append(parent)
    return resolved


def _apply_metadata(state: State, entry: DriveFile, body: JsonDict) -> None:
    for key in ("name", "description", "starred", "trashed"):
        if key in body and body[key] is not None:
            setattr(entry, key, body[key])
    if entry.id in state.spreadsheets:
        state.spreadsheets[entry.id].title = entry.name
    if entry.id in state.documents:
        state.documents[entry.id].title = entry.name
    for key, bag in (("properties", entry.properties), ("appProperties", entry.app_properties)):
        for name, value in (body.get(key) or {}).items():
            if value is None:
                bag.pop(name, None)
            else:
                bag[name] = str(value)


def _csv_sheet(state: State, title: str, data: bytes, sheet_id: int = 0) -> Sheet:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig", "replace"))))
    width = max((len(r) for r in rows), default=0)
    sheet = Sheet.blank(sheet_id, title, max(1000, len(rows)), max(26, width))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            value, formula, number_format, error = from_input(text, True)
            if value is not None or formula:
                fmt = {"numberFormat": number_format} if number_format else None
                sheet.put(r, c, Cell(value, formula, fmt, error=error))
    return sheet


def new_file(state: State, body: JsonDict, media: bytes | None = None, media_type: str | None = None) -> DriveFile:
    """Create a file from File metadata (and media, converting when asked)."""
    name = body.get("name") or "Untitled"
    mime = body.get("mimeType") or media_type or "application/octet-stream"
    parents = _parents(state, body.get("parents"))
    if body.get("id") and body["id"] in state.files:
        raise legacy(409, "duplicate", "A file already exists with the provided ID.", location="id")
    if mime == SPREADSHEET:
        sheets = [_csv_sheet(state, "Sheet1", media)] if media else None
        entry = state.files[state.create_spreadsheet(name, sheets, parents, file_id=body.get("id")).id]
    elif mime == DOCUMENT:
        lines = media.decode("utf-8-sig", "replace").splitlines() if media else [""]
        entry = state.files[state.create_document(name, [Paragraph.of(line) for line in lines] or None, parents).id]
    else:
        content = media if media is not None else (None if mime == FOLDER else b"")
        entry = state.add_file(name, mime, parents, content, file_id=body.get("id"))
        entry.original_filename = body.get("originalFilename") or (name if mime != FOLDER else None)
        entry.revisions[-1].size = None if content is None else len(content)
        entry.revisions[-1].md5 = None if content is None else hashlib.md5(content).hexdigest()
    _apply_metadata(state, entry, {k: v for k, v in body.items() if k != "name"})
    return entry


@router.add("POST", FILES, "files.create", writes=True)
def create(state: State, request: Request) -> JsonDict:
    entry = new_file(state, request.json() or {})
    return _file_answer(state, request, entry)


@router.add("POST", UPLOAD, "files.create", writes=True)
def create_upload(state: State, request: Request) -> Response | JsonDict:
    def finish(state: State, request: Request, upload: Upload) -> JsonDict:
        entry = new_file(state, upload.metadata, upload.media if upload.media is not None else b"", upload.media_type)
        return _file_answer(state, request, entry)

    return receive(state, request, finish)


def _sort_key(order_by: str) -> Any:
    """The sort key for one ``orderBy`` term (folders first for ``folder``)."""
    if order_by == "folder":
        return lambda f: f.mime_type != FOLDER
    attribute = {"name": "name", "name_natural": "name", "createdTime": "created"}.get(order_by, "modified")
    return lambda f: getattr(f, attribute)


@router.add("GET", FILES, "files.list")
def list_files(state: State, request: Request) -> JsonDict:
    predicate = compile_query(request.arg("q"))
    visible = [f for f in state.files.values() if not f.private and predicate(f)]
    order = (request.arg("orderBy") or "modifiedTime desc").split(",")
    for key in reversed([o.strip() for o in order if o.strip()]):
        name, _, direction = key.partition(" ")
        visible.sort(key=_sort_key(name), reverse=direction.lower() == "desc")
    size = min(int(request.arg("pageSize") or 100), 1000)
    start = int(request.arg("pageToken") or 0)
    page = visible[start : start + size]
    out: JsonDict = {"kind": "drive#fileList"}
    if start + size < len(visible):
        out["nextPageToken"] = str(start + size)
    out["incompleteSearch"] = False
    out["files"] = [file_json(state, f) for f in page]
    mask_text = request.arg("fields") or "kind,nextPageToken,incompleteSearch,files(kind,mimeType,id,name)"
    return fields.select(out, fields.parse(mask_text))


@router.add("GET", FILES + "/{fileId}", "files.get")
def get(state: State, request: Request) -> Response | JsonDict:
    entry = find(state, request.params["fileId"])
    if request.arg("alt") == "media":
        if entry.mime_type in GOOGLE_TYPES:
            message = "Only files with binary content can be downloaded. Use Export with Docs Editors files."
            raise legacy(403, "fileNotDownloadable", message, location="alt")
        return Response.raw(entry.content or b"", entry.mime_type)
    return _file_answer(state, request, entry)


def _update(state: State, request: Request, body: JsonDict, media: bytes | None) -> JsonDict:
    entry = find(state, request.params["fileId"])
    if "parents" in body and body["parents"] is not None:
        raise legacy(403, "fieldNotWritable", "The resource body includes fields which are not directly writable.")
    _apply_metadata(state, entry, body)
    for parent in filter(None, (request.arg("removeParents") or "").split(",")):
        if parent in entry.parents:
            entry.parents.remove(parent)
    for parent in _parents(state, [p for p in (request.arg("addParents") or "").split(",") if p]) or []:
        if parent not in entry.parents:
            entry.parents.append(parent)
    if media is not None:
        if entry.mime_type in GOOGLE_TYPES:
            raise legacy(400, "badRequest", "Media uploads to Docs Editors files are not supported by the local fake.")
        entry.content = media
        if body.get("mimeType"):
            entry.mime_type = body["mimeType"]
        state.touch(entry.id, new_content=True)
        entry.revisions[-1].size, entry.revisions[-1].md5 = len(media), entry.md5
    else:
        state.touch(entry.id)
    return _file_answer(state, request, entry)


@router.add("PATCH", FILES + "/{fileId}", "files.update", writes=True)
def update(state: State, request: Request) -> JsonDict:
    return _update(state, request, request.json() or {}, None)


@router.add("PATCH", UPLOAD + "/{fileId}", "files.update", writes=True)
def update_upload(state: State, request: Request) -> Response | JsonDict:
    def finish(state: State, request: Request, upload: Upload) -> JsonDict:
        return _update(state, request, upload.metadata, upload.media if upload.media is not None else b"")

    return receive(state, request, finish)


@router.add("DELETE", FILES + "/{fileId}", "files.delete", writes=True)
def delete(state: State, request: Request) -> Response:
    find(state, request.params["fileId"])
    state.remove_file(request.params["fileId"])
    return Response.empty()


@router.add("POST", FILES + "/{fileId}/copy", "files.copy", writes=True)
def copy_file(state: State, request: Request) -> JsonDict:
    source = find(state, request.params["fileId"])
    body = request.json() or {}
    if source.mime_type == FOLDER:
        raise legacy(403, "cannotCopyFile", "This file cannot be copied by the user.", location="fileId")
    name = body.get("name") or f"Copy of {source.name}"
    parents = _parents(state, body.get("parents")) or list(source.parents)
    if source.mime_type == SPREADSHEET:
        entry = state.add_file(name, SPREADSHEET, parents)
        twin = state.spreadsheets[source.id].clone()
        twin.id, twin.title = entry.id, name
        state.spreadsheets[entry.id] = twin
    elif source.mime_type == DOCUMENT:
        entry = state.add_file(name, DOCUMENT, parents)
        state.documents[entry.id] = state.documents[source.id].clone(entry.id, name)
    else:
        entry = state.add_file(name, body.get("mimeType") or source.mime_type, parents, source.content)
        entry.original_filename = name
    _apply_metadata(state, entry, {k: v for k, v in body.items() if k not in ("name", "parents")})
    return _file_answer(state, request, entry)


@router.add("GET", FILES + "/{fileId}/export", "files.export")
def export_file(state: State, request: Request) -> Response:
    entry = find(state, request.params["fileId"])
    wanted = request.arg("mimeType")
    if not wanted:
        raise legacy(400, "required", "Required parameter: mimeType", location="mimeType")
    data, content_type = export(state, entry, wanted)
    return Response.raw(data, content_type)


# ------------------------------------------------------------------ permissions

@router.add("GET", FILES + "/{fileId}/permissions", "permissions.list")
def permissions_list(state: State, request: Request) -> JsonDict:
    entry = find(state, request.params["fileId"])
    out = {"kind": "drive#permissionList", "permissions": [dict(p) for p in entry.permissions]}
    return shaped(out, request, "kind,nextPageToken,permissions(kind,id,type,role)")


@router.add("POST", FILES + "/{fileId}/permissions", "permissions.create", writes=True)
def permissions_create(state: State, request: Request) -> JsonDict:
    entry = find(state, request.params["fileId"])
    body = request.json() or {}
    role, kind = body.get("role"), body.get("type")
    if role not in ROLES:
        raise legacy(400, "invalid", f"Invalid value for role: {role}", location="permission.role")
    if kind not in TYPES:
        raise legacy(400, "invalid", f"Invalid value for type: {kind}", location="permission.type")
    if role == "owner" and not request.flag("transferOwnership"):
        message = "Consent is required to transfer ownership of a file to another user."
        raise legacy(403, "consentRequiredForOwnershipTransfer", message, location="transferOwnership")
    permission: JsonDict = {"kind": "drive#permission", "type": kind, "role": role}
    if kind in ("user", "group"):
        email = body.get("emailAddress")
        if not email:
            message = 'Bad Request. User message: "An email address is required."'
            raise legacy(400, "invalidSharingRequest", message, location="permission.emailAddress")
        permission["id"] = str(int(hashlib.sha1(email.lower().encode()).hexdigest()[:15], 16))
        permission["emailAddress"] = email
        permission["displayName"] = email.split("@")[0]
    elif kind == "domain":
        permission["id"] = str(state.new_int_id())
        permission["domain"] = body.get("domain") or ""
    else:
        permission["id"] = "anyoneWithLink"
        permission["allowFileDiscovery"] = bool(body.get("allowFileDiscovery"))
    entry.permissions = [p for p in entry.permissions if p["id"] != permission["id"]] + [permission]
    return shaped(permission, request, "kind,id,type,role")


@router.add("GET", FILES + "/{fileId}/permissions/{permissionId}", "permissions.get")
def permissions_get(state: State, request: Request) -> JsonDict:
    entry = find(state, request.params["fileId"])
    for permission in entry.permissions:
        if permission["id"] == request.params["permissionId"]:
            return shaped(dict(permission), request, "kind,id,type,role")
    raise legacy(404, "notFound", f"Permission not found: {request.params['permissionId']}.", location="permissionId")


@router.add("DELETE", FILES + "/{fileId}/permissions/{permissionId}", "permissions.delete", writes=True)
def permissions_delete(state: State, request: Request) -> Response:
    entry = find(state, request.params["fileId"])
    wanted = request.params["permissionId"]
    if not any(p["id"] == wanted for p in entry.permissions):
        raise legacy(404, "notFound", f"Permission not found: {wanted}.", location="permissionId")
    if any(p["id"] == wanted and p["role"] == "owner" for p in entry.permissions):
        raise legacy(403, "cannotRemoveOwner", "The owner of a file cannot be removed.")
    entry.permissions = [p for p in entry.permissions if p["id"] != wanted]
    return Response.empty()


# ------------------------------------------------------------------ revisions, about

@router.add("GET", FILES + "/{fileId}/revisions", "revisions.list")
def revisions_list(state: State, request: Request) -> JsonDict:
    entry = find(state, request.params["fileId"])
    out = {"kind": "drive#revisionList", "revisions": [revision_json(state, entry, r) for r in entry.revisions]}
    return shaped(out, request, "kind,nextPageToken,revisions(kind,id,mimeType,modifiedTime)")


@router.add("GET", FILES + "/{fileId}/revisions/{revisionId}", "revisions.get")
def revisions_get(state: State, request: Request) -> JsonDict:
    entry = find(state, request.params["fileId"])
    for revision in entry.revisions:
        if revision.id == request.params["revisionId"]:
            return shaped(revision_json(state, entry, revision), request, "kind,id,mimeType,modifiedTime")
    raise legacy(404, "notFound", f"Revision not found: {request.params['revisionId']}.", location="revisionId")


@router.add("GET", "/drive/v3/about", "about.get")
def about(state: State, request: Request) -> JsonDict:
    if not request.arg("fields"):
        raise legacy(400, "required", "The 'fields' parameter is required for this method.", location="fields")
    used = sum(len(f.content or b"") for f in state.files.values())
    out = {
        "kind": "drive#about",
        "user": state.me.drive_json(True),
        "storageQuota": {
            "limit": "16106127360",
            "usage": str(used),
            "usageInDrive": str(used),
            "usageInDriveTrash": "0",
        },
    }
    return shaped(out, request, "kind")


@router.add("PUT", "/upload/drive/v2/files/{fileId}", "v2.files.update", writes=True)
def import_v2(state: State, request: Request) -> JsonDict:
    """Drive v2 media upload with ``convert=true``: replaces a spreadsheet with a CSV."""
    entry = find(state, request.params["fileId"])
    if entry.mime_type == SPREADSHEET and request.flag("convert"):
        book = state.spreadsheets[entry.id]
        book.sheets = [_csv_sheet(state, entry.name, request.body, state.new_int_id())]
        book.metadata.clear()
        book.protected.clear()
        book.named.clear()
        state.touch(entry.id)
    else:
        entry.content = request.body
        state.touch(entry.id, new_content=True)
    return file_v2_json(state, entry)
