"""`make run` for a newcomer: a banner that lists every demo account, and no library chatter."""

import io
import logging
import socket

from portal.demo import DEMO_ACCOUNTS
from portal.management.commands.run_portal import Command


def test_the_banner_lists_every_demo_account_with_what_it_is():
    out = io.StringIO()
    command = Command(stdout=out)

    command._print_banner("127.0.0.1:8000", "demo-Handwerk-2026")

    banner = out.getvalue()
    assert "http://127.0.0.1:8000/" in banner
    assert "demo-Handwerk-2026" in banner
    for account in DEMO_ACCOUNTS:
        [line] = [line for line in banner.splitlines() if line.strip().startswith(account.email)]
        assert len(line.split(account.email, 1)[1].strip()) > 10, line


def test_the_banner_waits_for_a_server_that_answers():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]

    assert Command()._answers(f"127.0.0.1:{free}") is False


def test_weasyprint_says_only_what_needs_attention():
    assert logging.getLogger("weasyprint").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("weasyprint.progress").getEffectiveLevel() == logging.WARNING
