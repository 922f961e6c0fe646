"""Drive v3 on the fake through real googleapiclient (uploads included)."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import gspread
import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload, MediaIoBaseDownload, MediaIoBaseUpload

from tests.fakegoogle import FakeGoogle, extract_text, humans, seed

pytest_plugins = ["tests.conftest_google"]

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40
FOLDER = "application/vnd.google-apps.folder"


def _folder(drive: Any, name: str = "Invoices") -> str:
    return drive.files().create(body={"name": name, "mimeType": FOLDER}, fields="id").execute()["id"]


def test_metadata_only_create_answers_default_fields(fake_drive: Any) -> None:
    created = fake_drive.files().create(body={"name": "Invoices", "mimeType": FOLDER}).execute()
    assert set(created) == {"kind", "id", "name", "mimeType"}
    assert created["mimeType"] == FOLDER


def test_multipart_upload_and_download(fake_drive: Any) -> None:
    folder = _folder(fake_drive)
    media = MediaIoBaseUpload(io.BytesIO(PDF), mimetype="application/pdf")
    created = fake_drive.files().create(
        body={"name": "INV-0001.pdf", "parents": [folder], "appProperties": {"invoice": "INV-0001"}},
        media_body=media,
        fields="id,name,mimeType,size,parents,appProperties,md5Checksum",
    ).execute()
    assert created["size"] == str(len(PDF)) and created["parents"] == [folder]
    assert fake_drive.files().get_media(fileId=created["id"]).execute() == PDF
    assert fake_drive.files().get(fileId=created["id"], fields="name").execute() == {"name": "INV-0001.pdf"}


def test_resumable_upload_in_chunks(fake_drive: Any, fake_google: FakeGoogle) -> None:
    data = PDF * 30
    media = MediaIoBaseUpload(io.BytesIO(data), mimetype="application/pdf", chunksize=256 * 1024, resumable=True)
    request = fake_drive.files().create(body={"name": "big.pdf"}, media_body=media, fields="id,size")
    progress, answer = [], None
    while answer is None:
        status, answer = request.next_chunk()
        if status:
            progress.append(status.resumable_progress)
    assert progress == [256 * 1024]
    assert answer["size"] == str(len(data))
    buffer = io.BytesIO()
    download = MediaIoBaseDownload(buffer, fake_drive.files().get_media(fileId=answer["id"]), chunksize=100_000)
    done = False
    while not done:
        _, done = download.next_chunk()
    assert buffer.getvalue() == data
    assert fake_google.count(method="drive.files.create") == 3


def test_list_with_q(fake_drive: Any) -> None:
    folder = _folder(fake_drive)
    for name, parents in (("INV-0001.pdf", [folder]), ("INV-0002.pdf", [folder]), ("notes.txt", None)):
        body: dict[str, Any] = {"name": name}
        if parents:
            body["parents"] = parents
        fake_drive.files().create(body=body, media_body=MediaIoBaseUpload(io.BytesIO(b"x"), mimetype="application/pdf")).execute()

    def names(q: str) -> list[str]:
        return sorted(f["name"] for f in fake_drive.files().list(q=q, fields="files(name)").execute()["files"])

    assert names(f"'{folder}' in parents and trashed = false") == ["INV-0001.pdf", "INV-0002.pdf"]
    assert names("name = 'INV-0002.pdf'") == ["INV-0002.pdf"]
    assert names(f"mimeType = '{FOLDER}'") == ["Invoices"]
    assert names(f"name contains 'inv' and mimeType != '{FOLDER}'") == ["INV-0001.pdf", "INV-0002.pdf"]
    assert names("name contains '0002' or (name contains 'notes' and not trashed = true)") == ["notes.txt"]
    page = fake_drive.files().list(pageSize=2).execute()
    assert len(page["files"]) == 2 and "nextPageToken" in page
    with pytest.raises(HttpError) as caught:
        fake_drive.files().list(q="name ~ 'x'").execute()
    assert caught.value.resp.status == 400


def test_update_copy_trash_and_delete(fake_drive: Any) -> None:
    folder, other = _folder(fake_drive), _folder(fake_drive, "Archive")
    file_id = fake_drive.files().create(body={"name": "a.pdf", "parents": [folder]}, media_body=MediaIoBaseUpload(io.BytesIO(b"one"), mimetype="application/pdf")).execute()["id"]
    renamed = fake_drive.files().update(fileId=file_id, body={"name": "b.pdf"}, addParents=other, removeParents=folder, fields="name,parents").execute()
    assert renamed == {"name": "b.pdf", "parents": [other]}
    fake_drive.files().update(fileId=file_id, media_body=MediaIoBaseUpload(io.BytesIO(b"two"), mimetype="application/pdf")).execute()
    assert fake_drive.files().get_media(fileId=file_id).execute() == b"two"
    copied = fake_drive.files().copy(fileId=file_id, body={"name": "c.pdf"}, fields="id,name,parents").execute()
    assert copied["name"] == "c.pdf" and copied["parents"] == [other]
    fake_drive.files().update(fileId=copied["id"], body={"trashed": True}).execute()
    assert [f["name"] for f in fake_drive.files().list(q="trashed = false and mimeType = 'application/pdf'").execute()["files"]] == ["b.pdf"]
    fake_drive.files().delete(fileId=copied["id"]).execute()
    with pytest.raises(HttpError) as caught:
        fake_drive.files().get(fileId=copied["id"]).execute()
    assert caught.value.resp.status == 404
    assert caught.value.error_details[0]["reason"] == "notFound"


def test_export_document_to_pdf_holds_its_text(fake_drive: Any, fake_google: FakeGoogle) -> None:
    document = seed.document(fake_google.state, "INV-0007", ["Invoice INV-0007", [["Therapy", "80,00 €"]], "Thank you (really)"])
    data = fake_drive.files().export(fileId=document.id, mimeType="application/pdf").execute()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    text = extract_text(data)
    assert "Invoice INV-0007" in text and "Therapy | 80,00 €" in text and "Thank you (really)" in text
    with pytest.raises(HttpError) as caught:
        fake_drive.files().export(fileId=document.id, mimeType="image/png").execute()
    assert caught.value.resp.status == 400


def test_export_spreadsheet_to_csv(fake_drive: Any, fake_google: FakeGoogle) -> None:
    book = seed.spreadsheet(fake_google.state, "Books", {"Sheet1": [["a", "b"], ["1", "x,y"]]})
    assert fake_drive.files().export(fileId=book.id, mimeType="text/csv").execute() == b'a,b\r\n1,"x,y"'


def test_permissions(fake_drive: Any) -> None:
    file_id = _folder(fake_drive)
    created = fake_drive.permissions().create(fileId=file_id, body={"type": "user", "role": "writer", "emailAddress": "admin@example.com"}, sendNotificationEmail=False).execute()
    assert set(created) == {"kind", "id", "type", "role"}
    listed = fake_drive.permissions().list(fileId=file_id, fields="permissions(id,role,emailAddress)").execute()["permissions"]
    assert [p["role"] for p in listed] == ["owner", "writer"]
    with pytest.raises(HttpError):
        fake_drive.permissions().create(fileId=file_id, body={"type": "user", "role": "king", "emailAddress": "x@example.com"}).execute()


def test_revisions_name_who_changed_the_file(fake_drive: Any, fake_gspread: Any, fake_google: FakeGoogle) -> None:
    book = fake_gspread.create("Books")
    book.sheet1.update([["worker wrote this"]], "A1")
    humans.type_values(fake_google.state, book.id, "Sheet1", 1, 0, [["a person wrote this"]])
    book.sheet1.update([["worker again"]], "A3")
    revisions = fake_drive.revisions().list(fileId=book.id, fields="revisions(id,modifiedTime,lastModifyingUser(displayName,emailAddress))").execute()["revisions"]
    assert [r["lastModifyingUser"]["emailAddress"] for r in revisions] == [
        fake_google.state.me.email,
        fake_google.state.human.email,
        fake_google.state.me.email,
    ]
    assert set(revisions[0]["lastModifyingUser"]) == {"displayName", "emailAddress"}
    default = fake_drive.revisions().list(fileId=book.id).execute()
    assert set(default["revisions"][0]) == {"kind", "id", "mimeType", "modifiedTime"}


def test_gspread_deletes_through_drive(fake_gspread: Any, fake_drive: Any) -> None:
    book = fake_gspread.create("Books")
    fake_gspread.del_spreadsheet(book.id)
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        fake_gspread.open_by_key(book.id)


@pytest.mark.parametrize("resumable", [False, True])
def test_media_file_upload_from_disk(fake_drive: Any, tmp_path: Any, resumable: bool) -> None:
    path = tmp_path / "INV-0003.pdf"
    path.write_bytes(PDF)
    media = MediaFileUpload(str(path), mimetype="application/pdf", resumable=resumable)
    created = fake_drive.files().create(body={"name": path.name}, media_body=media, fields="id,md5Checksum").execute()
    assert created["md5Checksum"] == hashlib.md5(PDF).hexdigest()
    assert fake_drive.files().get_media(fileId=created["id"]).execute() == PDF
