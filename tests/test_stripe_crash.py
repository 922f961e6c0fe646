"""A worker killed (a real process, os._exit) at each step of pay links, event
import and AutoPay: no second link, no second charge, no payment row twice."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from .conftest import FixedClock, session
from .crashrun import KILLED
from .stripe_practice import with_stripe

pytest_plugins = ["tests.conftest_stripe"]

ROOT = Path(__file__).resolve().parent.parent


def kill_run(practice, point: str, k: int = 1) -> None:
    done = subprocess.run([sys.executable, "-m", "tests.stripe_crashrun", str(practice.config_path), point, str(k)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == KILLED, done.stderr


def two_invoices(practice) -> None:
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)),
                    session("S-00002", date(2026, 11, 3), client="C-002"))


@pytest.mark.parametrize("point, k", [("link", 1), ("link", 2), ("replace", 2)])
def test_killed_while_making_pay_links_no_invoice_gets_two(practice, fake_stripe, point, k):
    with_stripe(practice)
    two_invoices(practice)
    kill_run(practice, point, k)
    assert not practice.run().errors
    links = fake_stripe.of_kind("payment_link")
    assert sorted(link["metadata"]["invoice_no"] for link in links) == ["INV-2026-0001", "INV-2026-0002"]
    assert [r["Pay Link"] for r in practice.rows("Invoices")] == [
        next(link["url"] for link in links if link["metadata"]["invoice_no"] == no)
        for no in ("INV-2026-0001", "INV-2026-0002")]


@pytest.mark.parametrize("point, k", [("events", 1), ("replace", 1)])
def test_killed_while_importing_a_card_payment_it_comes_in_once(practice, fake_stripe, point, k):
    with_stripe(practice)
    two_invoices(practice)
    practice.run()
    link = next(link for link in fake_stripe.of_kind("payment_link") if link["metadata"]["invoice_no"] == "INV-2026-0001")
    pi = fake_stripe.pay(link["id"], datetime(2026, 11, 21, 8, tzinfo=UTC))
    kill_run(practice, point, k)
    practice.run()
    practice.run()
    assert [(p["Invoice No"], p["Reference"]) for p in practice.rows("Payments")] == [("INV-2026-0001", pi["id"])]


@pytest.mark.parametrize("point, k", [("charge", 1), ("replace", 1)])
def test_killed_around_an_autopay_charge_the_client_is_charged_once(practice, fake_stripe, point, k):
    with_stripe(practice, autopay={"C-001": "cus_anna"})
    fake_stripe.add_customer("cus_anna")
    two_invoices(practice)
    practice.run(FixedClock(datetime(2026, 11, 21, 1, 30, tzinfo=UTC)))  # before AutoPay's hour
    assert fake_stripe.of_kind("payment_intent") == []
    kill_run(practice, point, k)  # at 10:30 in Berlin: AutoPay is due
    practice.run()
    practice.run()
    intents = fake_stripe.of_kind("payment_intent")
    assert [(i["amount"], i["customer"]) for i in intents] == [(6500, "cus_anna")]
    assert [(p["Client"], p["Reference"]) for p in practice.rows("Payments")] == [("C-001", intents[0]["id"])]


@pytest.mark.parametrize("point, k", [("setup", 1), ("replace", 2), ("replace", 3), ("sent", 1)])
def test_killed_around_an_autopay_card_set_up_the_client_gets_one_link_in_one_email(practice, fake_stripe, point, k):
    with_stripe(practice, autopay={"C-001": ""})  # no session today: commits are the pay links', then the email's
    kill_run(practice, point, k)
    practice.run()
    practice.run()
    sessions = fake_stripe.of_kind("checkout.session")
    mails = [m for m in practice.emails() if "save a card" in str(m["Subject"])]
    assert len(sessions) == 1 and len(mails) == 1
    assert sessions[0]["url"] in mails[0].get_body(("plain",)).get_content()


@pytest.mark.parametrize("point, k", [("events", 1), ("replace", 1), ("charge", 1)])
def test_killed_while_taking_in_a_saved_card_the_customer_is_written_and_charged_once(practice, fake_stripe, point, k):
    with_stripe(practice, autopay={"C-001": ""})
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    (page,) = fake_stripe.of_kind("checkout.session")
    fake_stripe.complete_setup(page["id"])
    kill_run(practice, point, k)  # the run that reads "card saved" and then charges
    practice.run()
    practice.run()
    assert practice.rows("Clients")[0]["Stripe Customer"] == page["customer"]
    assert [(i["amount"], i["customer"]) for i in fake_stripe.of_kind("payment_intent")] == [(6500, page["customer"])]
    assert len(practice.rows("Payments")) == 1
