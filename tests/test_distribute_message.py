"""The message itself: deterministic but for the Date header, 7-bit clean, nothing injectable."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.distribute_support import AS_OF, PREVIOUS, WATER, parse, write_workspace
from tracker.distribute import message
from tracker.model.addresses import check_mailbox
from tracker.model.workspace import Workspace

PDF = bytes(range(256)) * 40  # every byte value: the attachment must survive byte for byte
NOW = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.timezone.utc)
SENDER = check_mailbox("Policy Desk <desk@example.org>")


@pytest.fixture
def edition(tmp_path: Path) -> message.Edition:
    root = write_workspace(tmp_path, {"water-plan": WATER})
    programme = Workspace.at(root).programme("water-plan")
    return message.Edition(programme, AS_OF, root / "reports" / "water-plan" / "water-plan-2024-06-30.pdf", PREVIOUS)


def build(edition: message.Edition, name: str = "Zoë Müller-Łukasz", address: str = "zoe@example.org",
          now: dt.datetime = NOW, **kw: object) -> message.Outgoing:
    return message.build(edition, PDF, SENDER, address, name, now, **kw)  # type: ignore[arg-type]


def test_same_input_same_bytes_and_only_the_date_varies(edition: message.Edition) -> None:
    first, again = build(edition), build(edition)
    assert first.data == again.data
    later = build(edition, now=NOW + dt.timedelta(days=3, hours=2))
    diff = [(a, b) for a, b in zip(first.data.split(b"\r\n"), later.data.split(b"\r\n")) if a != b]
    assert diff == [(b"Date: Mon, 01 Jul 2024 09:00:00 +0000", b"Date: Thu, 04 Jul 2024 11:00:00 +0000")]


def test_message_id_depends_on_edition_recipient_and_kind(edition: message.Edition) -> None:
    mid = build(edition).message_id
    assert mid.startswith("<water-plan.2024-06-30.list.") and mid.endswith("@example.org>")
    assert build(edition, address="ZOE@example.org").message_id == mid  # the same person
    assert build(edition, address="other@example.org").message_id != mid
    assert build(edition, test=True).message_id != mid and ".test." in build(edition, test=True).message_id
    earlier = message.Edition(edition.programme, PREVIOUS, edition.pdf, None)
    assert build(earlier).message_id != mid


def test_wire_format_is_7bit_with_crlf_and_short_lines(edition: message.Edition) -> None:
    data = build(edition).data
    assert data.isascii()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


def test_non_ascii_names_and_the_attachment_round_trip(edition: message.Edition) -> None:
    msg = parse(build(edition, reply_to=check_mailbox("Desk <replies@example.org>"),
                      archive_url="https://example.org/reports/").data)
    assert msg["To"].addresses[0].display_name == "Zoë Müller-Łukasz"
    assert msg["Reply-To"] == "Desk <replies@example.org>"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg.get_content_type() == "multipart/mixed"
    assert [p.get_content_type() for p in msg.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
    [pdf] = msg.iter_attachments()
    assert pdf.get_content() == PDF
    text = msg.get_body(("plain",)).get_content()
    assert text.startswith("Hello Zoë Müller-Łukasz,")
    assert "All editions: https://example.org/reports/" in text
    assert '<a href="https://example.org/reports/">All editions</a>' in msg.get_body(("html",)).get_content()


def test_names_are_escaped_in_the_html_body(edition: message.Edition) -> None:
    msg = parse(build(edition, name="<b>Bold</b> & Co").data)
    html = msg.get_body(("html",)).get_content()
    assert "<b>Bold</b>" not in html and "Hello &lt;b&gt;Bold&lt;/b&gt; &amp; Co," in html
    assert msg["To"].addresses[0].display_name == "<b>Bold</b> & Co"


def test_no_name_no_greeting_name(edition: message.Edition) -> None:
    msg = parse(build(edition, name="").data)
    assert str(msg["To"]) == "zoe@example.org"
    assert msg.get_body(("plain",)).get_content().startswith("Hello,")


def test_nothing_changed_since_the_previous_edition(edition: message.Edition) -> None:
    same_day = message.Edition(edition.programme, dt.date(2024, 7, 15), edition.pdf, AS_OF)
    text = parse(build(same_day).data).get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "What changed since the previous edition (2024-06-30):\n  Nothing changed.\n" in text
