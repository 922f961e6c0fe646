"""Drive resources as JSON: files (v3, and the v2 shape gspread's CSV import
gets), permissions and revisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .state import DOCUMENT, FOLDER, GOOGLE_TYPES, SPREADSHEET, DriveFile, Revision, State

JsonDict = dict[str, Any]
DEFAULT_FILE_FIELDS = "kind,id,name,mimeType"
LINK_FORMATS = {
    DOCUMENT: {
        "application/rtf": "rtf",
        "application/vnd.oasis.opendocument.text": "odt",
        "text/html": "html",
        "application/pdf": "pdf",
        "application/epub+zip": "epub",
        "application/zip": "zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "text/plain": "txt",
        "text/markdown": "md",
    },
    SPREADSHEET: {
        "application/x-vnd.oasis.opendocument.spreadsheet": "ods",
        "text/tab-separated-values": "tsv",
        "application/pdf": "pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
        "text/csv": "csv",
        "application/zip": "zip",
        "application/vnd.oasis.opendocument.spreadsheet": "ods",
    },
}
"""Every format Google lists in ``exportLinks`` (``exports.export`` produces a few of them)."""


def stamp(moment: datetime) -> str:
    """RFC 3339 with milliseconds and Z, as Drive prints times."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _links(entry: DriveFile) -> JsonDict:
    if entry.mime_type == SPREADSHEET:
        return {"webViewLink": f"https://docs.google.com/spreadsheets/d/{entry.id}/edit?usp=drivesdk"}
    if entry.mime_type == DOCUMENT:
        return {"webViewLink": f"https://docs.google.com/document/d/{entry.id}/edit?usp=drivesdk"}
    if entry.mime_type == FOLDER:
        return {"webViewLink": f"https://drive.google.com/drive/folders/{entry.id}"}
    return {
        "webViewLink": f"https://drive.google.com/file/d/{entry.id}/view?usp=drivesdk",
        "webContentLink": f"https://drive.google.com/uc?id={entry.id}&export=download",
    }


def file_json(state: State, entry: DriveFile) -> JsonDict:
    """The full v3 File resource."""
    out: JsonDict = {
        "kind": "drive#file",
        "id": entry.id,
        "name": entry.name,
        "mimeType": entry.mime_type,
        "starred": entry.starred,
        "trashed": entry.trashed,
        "explicitlyTrashed": entry.trashed,
        "parents": list(entry.parents),
        "spaces": ["drive"],
        "version": str(entry.version),
        **_links(entry),
        "iconLink": f"https://drive-thirdparty.googleusercontent.com/16/type/{entry.mime_type}",
        "hasThumbnail": False,
        "viewedByMe": True,
        "createdTime": stamp(entry.created),
        "modifiedTime": stamp(entry.modified),
        "modifiedByMe": True,
        "owners": [entry.owner.drive_json(entry.owner == state.me)],
        "lastModifyingUser": entry.last_user.drive_json(entry.last_user == state.me),
        "shared": len(entry.permissions) > 1,
        "ownedByMe": entry.owner == state.me,
        "capabilities": {
            "canEdit": True,
            "canCopy": entry.mime_type != FOLDER,
            "canDelete": True,
            "canDownload": True,
            "canShare": True,
        },
        "viewersCanCopyContent": True,
        "copyRequiresWriterPermission": False,
        "writersCanShare": True,
        "permissions": [dict(p) for p in entry.permissions],
        "permissionIds": [p["id"] for p in entry.permissions],
    }
    if entry.description is not None:
        out["description"] = entry.description
    if entry.properties:
        out["properties"] = dict(entry.properties)
    if entry.app_properties:
        out["appProperties"] = dict(entry.app_properties)
    if entry.mime_type in LINK_FORMATS:
        out["exportLinks"] = {
            mime: f"https://docs.google.com/feeds/download/export?id={entry.id}&exportFormat={ext}"
            for mime, ext in LINK_FORMATS[entry.mime_type].items()
        }
    if entry.mime_type in GOOGLE_TYPES:
        out["quotaBytesUsed"] = "0"
    else:
        content = entry.content or b""
        name = entry.original_filename or entry.name
        extension = name.rpartition(".")[2] if "." in name else ""
        out.update(
            originalFilename=name,
            fullFileExtension=extension,
            fileExtension=extension,
            md5Checksum=entry.md5 or "",
            size=str(len(content)),
            quotaBytesUsed=str(len(content)),
            headRevisionId=entry.revisions[-1].id if entry.revisions else "1",
        )
    return out


def file_v2_json(state: State, entry: DriveFile) -> JsonDict:
    """A Drive v2 File resource (what the v2 upload endpoint answers)."""
    owner = {**entry.owner.drive_json(True), "isAuthenticatedUser": True, "picture": {"url": ""}}
    owner.pop("me", None)
    parents = [
        {"selfLink": "", "id": p, "isRoot": p == state.root_id, "kind": "drive#parentReference", "parentLink": ""}
        for p in entry.parents
    ]
    return {
        "kind": "drive#file",
        "userPermission": {
            "id": "me",
            "type": "user",
            "role": "owner",
            "kind": "drive#permission",
            "selfLink": "",
            "etag": '"1"',
            "pendingOwner": False,
        },
        "selfLink": f"https://www.googleapis.com/drive/v2/files/{entry.id}",
        "ownerNames": [entry.owner.email],
        "lastModifyingUserName": entry.last_user.email,
        "editable": True,
        "writersCanShare": True,
        "mimeType": entry.mime_type,
        "exportLinks": {
            mime: f"https://docs.google.com/export?id={entry.id}&format={ext}"
            for mime, ext in LINK_FORMATS.get(entry.mime_type, {}).items()
        },
        "parents": parents,
        "thumbnailLink": "",
        "appDataContents": False,
        "iconLink": "",
        "shared": len(entry.permissions) > 1,
        "lastModifyingUser": {**owner, "displayName": entry.last_user.name, "emailAddress": entry.last_user.email},
        "owners": [owner],
        "copyable": True,
        "etag": f'"{entry.version}"',
        "alternateLink": _links(entry)["webViewLink"],
        "embedLink": _links(entry)["webViewLink"],
        "fileSize": "1024",
        "copyRequiresWriterPermission": False,
        "spaces": ["drive"],
        "id": entry.id,
        "title": entry.name,
        "labels": {
            "viewed": True,
            "restricted": False,
            "starred": entry.starred,
            "hidden": False,
            "trashed": entry.trashed,
        },
        "explicitlyTrashed": entry.trashed,
        "createdDate": stamp(entry.created),
        "modifiedDate": stamp(entry.modified),
        "modifiedByMeDate": stamp(entry.modified),
        "lastViewedByMeDate": stamp(entry.modified),
        "markedViewedByMeDate": "1970-01-01T00:00:00.000Z",
        "quotaBytesUsed": "1024",
        "version": str(entry.version),
        "capabilities": {"canEdit": True, "canCopy": True},
    }


def revision_json(state: State, entry: DriveFile, revision: Revision) -> JsonDict:
    out: JsonDict = {
        "kind": "drive#revision",
        "id": revision.id,
        "mimeType": entry.mime_type,
        "modifiedTime": stamp(revision.modified),
        "keepForever": False,
        "published": False,
        "lastModifyingUser": revision.user.drive_json(revision.user == state.me),
    }
    if revision.size is not None:
        out["size"] = str(revision.size)
        out["md5Checksum"] = revision.md5 or ""
        out["originalFilename"] = entry.original_filename or entry.name
    if entry.mime_type in LINK_FORMATS:
        out["exportLinks"] = {
            mime: f"https://docs.google.com/feeds/download/export?id={entry.id}&revision={revision.id}"
            f"&exportFormat={ext}"
            for mime, ext in LINK_FORMATS[entry.mime_type].items()
        }
    return out
