"""`sheetbill superbill CLIENT --from --to [--email]`: prints, calls the worker."""

from __future__ import annotations

from .. import app, commands
from .. import config as config_mod
from ..command_report import print_document
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
        stored, report = commands.superbill(worker, args.client, args.date_from, args.date_to, args.email,
                                            args.cms1500)
    except ClientProblem as exc:
        raise SheetbillError(str(exc)) from None
    return print_document("Superbill", stored, report, args.email,
                          "the client has no Email, or this period's superbill was emailed before",
                          also=(("CMS-1500", report.pdfs),))
