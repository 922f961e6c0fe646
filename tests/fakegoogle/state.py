"""Everything the fake remembers: Drive files, spreadsheets, documents, mail.

One :class:`State` per server, guarded by ``lock``.  Ids come from a seeded
random generator so runs are reproducible; ``reset()`` starts over.
"""

from __future__ import annotations

import hashlib
import random
import string
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from .docmodel import Block, Document
from .spreadsheet import Sheet, Spreadsheet

FOLDER = "application/vnd.google-apps.folder"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"
DOCUMENT = "application/vnd.google-apps.document"
GOOGLE_TYPES = (FOLDER, SPREADSHEET, DOCUMENT)
ID_CHARS = string.ascii_letters + string.digits + "-_"


@dataclass(frozen=True)
class User:
    """A Google account as Drive and the Sheets UI show it."""

    email: str
    name: str
    permission_id: str

    def drive_json(self, me: bool) -> dict[str, Any]:
        return {
            "kind": "drive#user",
            "displayName": self.name,
            "me": me,
            "permissionId": self.permission_id,
            "emailAddress": self.email,
        }


@dataclass
class Revision:
    """One Drive revision of a file."""

    id: str
    modified: datetime
    user: User
    size: int | None = None
    md5: str | None = None


@dataclass
class DriveFile:
    """A Drive file; Google types keep their content in the Sheets/Docs state."""

    id: str
    name: str
    mime_type: str
    parents: list[str]
    created: datetime
    modified: datetime
    owner: User
    last_user: User
    content: bytes | None = None
    trashed: bool = False
    starred: bool = False
    description: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    app_properties: dict[str, str] = field(default_factory=dict)
    permissions: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    version: int = 1
    original_filename: str | None = None
    private: bool = False

    @property
    def md5(self) -> str | None:
        return None if self.content is None else hashlib.md5(self.content).hexdigest()


@dataclass
class MailMessage:
    """A message in the fake Gmail mailbox."""

    id: str
    thread_id: str
    raw: bytes
    label_ids: list[str]
    internal_date: int
    history_id: int


class State:
    """The fake's whole memory."""

    def __init__(self, seed: int = 0) -> None:
        self.lock = threading.RLock()
        self.seed = seed
        self.me = User("sheetbill@sheetbill-tests.iam.gserviceaccount.com", "sheetbill worker", "04181212101848193321")
        self.human = User("admin@example.com", "Practice Admin", "12082934761829374651")
        self.reset()

    def reset(self) -> None:
        """Forget everything (ids restart from the seed)."""
        with self.lock:
            self.rng = random.Random(self.seed)
            self._clock = datetime(2024, 1, 15, 9, 0, 0, tzinfo=timezone.utc)
            self.files: dict[str, DriveFile] = {}
            self.spreadsheets: dict[str, Spreadsheet] = {}
            self.documents: dict[str, Document] = {}
            self.messages: list[MailMessage] = []
            self.uploads: dict[str, Any] = {}
            self.history_id = 1000
            self.root_id = "0A" + self._chars(17)

    # ------------------------------------------------------------ ids, time

    def _chars(self, n: int, alphabet: str = ID_CHARS) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def new_file_id(self, google: bool = True) -> str:
        """A Drive id: 44 characters for Docs/Sheets files, 33 for others."""
        while True:
            candidate = "1" + self._chars(43 if google else 32)
            if candidate not in self.files:
                return candidate

    def new_int_id(self, taken: set[int] | None = None) -> int:
        """A positive 31-bit id (sheet ids, protected range ids, ...)."""
        while True:
            candidate = self.rng.randint(1, 2**31 - 1)
            if not taken or candidate not in taken:
                return candidate

    def new_hex_id(self) -> str:
        return "%016x" % self.rng.getrandbits(60)

    def now(self) -> datetime:
        """A clock that moves forward a little at every call, never backwards."""
        real = datetime.now(timezone.utc)
        self._clock = max(self._clock + timedelta(milliseconds=1), real)
        return self._clock

    # ------------------------------------------------------------ files

    def add_file(
        self,
        name: str,
        mime_type: str,
        parents: list[str] | None = None,
        content: bytes | None = None,
        user: User | None = None,
        file_id: str | None = None,
    ) -> DriveFile:
        """Create a Drive file entry owned by the worker account."""
        user = user or self.me
        now = self.now()
        file_id = file_id or self.new_file_id(google=mime_type in GOOGLE_TYPES)
        entry = DriveFile(
            id=file_id,
            name=name,
            mime_type=mime_type,
            parents=list(parents) if parents else [self.root_id],
            created=now,
            modified=now,
            owner=self.me,
            last_user=user,
            content=content,
        )
        entry.permissions.append(
            {
                "kind": "drive#permission",
                "id": self.me.permission_id,
                "type": "user",
                "emailAddress": self.me.email,
                "role": "owner",
                "displayName": self.me.name,
            }
        )
        entry.revisions.append(self._revision(entry, user, now))
        self.files[file_id] = entry
        return entry

    def _revision(self, entry: DriveFile, user: User, when: datetime) -> Revision:
        size = None if entry.content is None else len(entry.content)
        return Revision(str(len(entry.revisions) + 1), when, user, size, entry.md5)

    def touch(self, file_id: str, user: User | None = None, new_content: bool = False) -> None:
        """Record a change to a file: modified time, version and revisions.

        Successive edits by the same user fold into one revision, as Google
        does for Docs and Sheets; new binary content always makes a revision.
        """
        entry = self.files.get(file_id)
        if entry is None:
            return
        user = user or self.me
        now = self.now()
        entry.modified = now
        entry.last_user = user
        entry.version += 1
        last = entry.revisions[-1] if entry.revisions else None
        if last is not None and last.user == user and not new_content:
            last.modified = now
        else:
            entry.revisions.append(self._revision(entry, user, now))

    def remove_file(self, file_id: str) -> None:
        self.files.pop(file_id, None)
        self.spreadsheets.pop(file_id, None)
        self.documents.pop(file_id, None)
        for child in [f.id for f in self.files.values() if file_id in f.parents]:
            self.remove_file(child)

    # ------------------------------------------------------------ creators

    def create_spreadsheet(
        self,
        title: str,
        sheets: list[Sheet] | None = None,
        parents: list[str] | None = None,
        file_id: str | None = None,
    ) -> Spreadsheet:
        """A new spreadsheet (with its Drive file); one blank Sheet1 by default."""
        entry = self.add_file(title, SPREADSHEET, parents, file_id=file_id)
        book = Spreadsheet(entry.id, title, sheets or [Sheet.blank(0, "Sheet1")], owner=self.me.email)
        self.spreadsheets[entry.id] = book
        return book

    def create_document(
        self,
        title: str,
        body: list[Block] | None = None,
        parents: list[str] | None = None,
    ) -> Document:
        """A new Google Docs document (with its Drive file)."""
        entry = self.add_file(title, DOCUMENT, parents)
        document = Document(entry.id, title)
        if body:
            document.body = body
        self.documents[entry.id] = document
        return document
