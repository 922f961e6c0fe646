"""What one cycle (or one command) did, for the log line, the CLI and the health log."""

from __future__ import annotations

from dataclasses import dataclass, field

from .core.actions import NOTE, REDRAFTED, RESTORED, Action, undid_an_edit
from .core.lifecycle import is_draft_key
from .core.plan import RowProblem


@dataclass
class CycleReport:
    created: list[str] = field(default_factory=list)
    pdfs: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    recorded: list[str] = field(default_factory=list)  # of `sent`, those a stopped run had sent: recorded now
    problems: list[RowProblem] = field(default_factory=list)
    waiting: int = 0
    errors: list[str] = field(default_factory=list)
    unsent: list[str] = field(default_factory=list)  # why the transport did not send an email (one per email)
    flags: list[str] = field(default_factory=list)  # what could not be undone, for a person
    warnings: list[str] = field(default_factory=list)  # for a person: the Changelog's chain is broken
    seconds: float = 0.0
    actions: list[Action] = field(default_factory=list)  # what was done, item by item

    def line(self) -> str:
        drafts = sum(1 for number in self.created if is_draft_key(number))
        parts = [f"{len(self.created) - drafts} invoice(s) created"] + \
            ([f"{drafts} draft(s) for review"] if drafts else []) + \
            [f"{len(self.pdfs)} PDF(s)", f"{len(self.sent)} email(s) sent" + self._recorded(),
             f"{len(self.problems)} problem(s)"]
        if self.waiting:
            parts.append(f"{self.waiting} session(s) waiting for their day to end")
        if self.errors:
            parts.append(f"{len(self.errors)} error(s)")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s)")
        return ", ".join(parts) + f" in {self.seconds:.1f}s"

    def emails_failed(self) -> bool:
        """Emails were due and none went: the mail server (or its settings) failed them all."""
        return bool(self.unsent) and len(self.sent) == len(self.recorded)

    def _recorded(self) -> str:
        return f" ({len(self.recorded)} of them by the run that stopped, recorded now)" if self.recorded else ""

    def for_a_person(self) -> list[str]:
        """What the admin should know beyond the counts: the edits to finalized invoices that
        were undone (or they would wonder where their change went), the drafts made again, the
        cash drawer's notes, and what could not be undone."""
        out = [f"restored {a.reference} {a.detail}" for a in self.actions if a.kind == RESTORED]
        if any(undid_an_edit(a) for a in self.actions):
            out.append("note: a finalized invoice stays as it was sent; to correct one, set its Status "
                       "to Void: a credit note is issued and its sessions are billed again")
        out += [f"draft {a.reference} {a.detail}" for a in self.actions if a.kind == REDRAFTED]
        out += [f"note: {a.detail}" for a in self.actions if a.kind == NOTE]  # the cash drawer's, which has no Problem column
        return out + [f"attention: {flag}" for flag in self.flags]
