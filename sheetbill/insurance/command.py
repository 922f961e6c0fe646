"""`sheetbill superbill CLIENT --from --to [--email]`: prints, calls the worker."""

from __future__ import annotations

import sys

from .. import app
from .. import config as config_mod
from ..errors import SheetbillError


def superbill(args) -> int:
    from ..core.clients import ClientProblem

    if args.date_to < args.date_from:
        raise SheetbillError(f"--to {args.date_to} is before --from {args.date_from}")
    config = config_mod.load(args.config)
    if config.insurance is None:
        raise SheetbillError(f"{config.path.name}: insurance: set `enabled: true` (and the practice's NPI) "
                             "to make superbills")
    worker = app.worker_for(config)
    try:
        path, report = worker.superbill(args.client, args.date_from, args.date_to, args.email, args.cms1500)
    except ClientProblem as exc:
        raise SheetbillError(str(exc)) from None
    if path is not None:
        print(f"Superbill: {path}")
    for claim in report.pdfs:
        print(f"CMS-1500: {claim}")
    for label in report.sent:
        print(f"Emailed: {label}")
    if args.email and not report.sent and not report.errors:
        print("Not emailed: the client has no Email, or this period's superbill was emailed before")
    for error in report.errors:
        print(f"  error: {error}", file=sys.stderr)
    return 2 if report.errors else 0
