"""`tracker distribute` against real SMTP servers on loopback (aiosmtpd), started here.

The editions are rendered once per session (`rendered`) and copied into each test's workspace;
only one test renders on its own (to show a missing edition is rendered first).
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.distribute_support import (
    AIR,
    AS_OF,
    WATER,
    Authenticator,
    Mailbox,
    Server,
    copy_editions,
    free_port,
    make_certs,
    parse,
    rendered_editions,
    write_settings,
    write_workspace,
)
from tracker.cli import cli
from tracker.distribute import send as send_module
from tracker.distribute import smtp as smtp_module

READERS = [
    {"name": "Ada Reader", "address": "ada@example.org"},
    {"name": "Bo, the Analyst", "address": "bo@example.net"},
    {"address": "cy@example.com"},
]
ADDRESSES = [r["address"] for r in READERS]
PASSWORD = "s3cret-Pa55word-xyzzy"


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered_editions(tmp_path_factory)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return make_certs(tmp_path_factory.mktemp("certs"))


@pytest.fixture
def ws(tmp_path: Path, rendered: Path) -> Path:
    root = write_workspace(tmp_path / "ws", {"water-plan": WATER, "air-plan": AIR})
    copy_editions(rendered, root)
    return root


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries wait for real only in production: here each wait is recorded, not slept (only the
    back-off's: rendering waits for git's processes with time.sleep too)."""
    waits: list[float] = []
    monkeypatch.setattr(send_module, "time", types.SimpleNamespace(sleep=waits.append))
    monkeypatch.delenv("TRACKER_SMTP_PASSWORD", raising=False)
    return waits


def run(root: Path, *args: str, password: str | None = None) -> Any:
    env = {"TRACKER_SMTP_PASSWORD": password} if password else {}
    return CliRunner().invoke(cli, ["--root", str(root), "distribute", *args], env=env, catch_exceptions=False)


def plain(port: int, **more: Any) -> dict[str, Any]:
    return {"host": "127.0.0.1", "port": port, "security": "none", **more}


def log_lines(root: Path, programme: str = "water-plan") -> list[dict[str, Any]]:
    path = root / "reports" / programme / "deliveries.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def pdf_of(root: Path, programme: str = "water-plan", as_of: dt.date = AS_OF) -> bytes:
    return (root / "reports" / programme / f"{programme}-{as_of.isoformat()}.pdf").read_bytes()


def test_plain_server_gets_one_message_per_recipient_with_the_pdf_and_a_summary(ws: Path) -> None:
    with Server(Mailbox()) as server:
        write_settings(ws, plain(server.port), {"water-plan": READERS})
        result = run(ws, "water-plan", "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    received = server.mailbox.received
    assert sorted(r.rcpt_tos[0] for r in received) == sorted(ADDRESSES)
    assert all(len(r.rcpt_tos) == 1 and r.mail_from == "desk@example.org" for r in received)
    pdf = pdf_of(ws)
    lines = log_lines(ws)
    for r in received:
        msg = r.message
        assert msg["From"] == "Policy Desk <desk@example.org>"
        assert msg["Subject"] == "Clean Water Plan: progress up to 2024-06-30"
        assert len(msg["To"].addresses) == 1 and msg["To"].addresses[0].addr_spec == r.rcpt_tos[0]
        attachments = list(msg.iter_attachments())
        assert [(a.get_content_type(), a.get_filename()) for a in attachments] == [
            ("application/pdf", "water-plan-2024-06-30.pdf")]
        assert attachments[0].get_content() == pdf
        text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
        html = msg.get_body(("html",)).get_content()
        for body in (text, html):
            assert "At risk" in body and "Not yet started" in body and "No entry yet" in body
            assert "2024-03-31" in body  # the previous edition it is compared with
            assert "Replace lead pipes" in body
            assert "In progress → At risk (worsened)" in body
            assert "milestone done: Survey of old pipes (2024-04-20)" in body
            assert "Treatment capacity: 12.5 megalitres a day (2024-06-01)" in body
            assert "Install water meters" not in body.split("previous edition")[1]  # nothing changed there
        assert "  At risk: 1\n" in text and "  Not yet started: 1\n" in text and "  No entry yet: 1\n" in text
        assert '<th scope="row">At risk</th><td>1</td>' in html
        delivered = [line for line in lines if line["recipient"] == r.rcpt_tos[0]]
        assert len(delivered) == 1
        assert delivered[0]["message_id"] == msg["Message-ID"]
    assert parse(received[1].data)["To"].addresses[0].display_name == "Bo, the Analyst"
    assert [(line["edition"], line["programme"], line["result"], line["test"]) for line in lines] == [
        ("2024-06-30", "water-plan", "delivered", False)] * 3
    assert all(dt.datetime.fromisoformat(line["time"].replace("Z", "+00:00")).tzinfo for line in lines)
    assert {line["detail"] for line in lines} == {"250 2.0.0 accepted"}  # the server's own reply
    table = result.stdout.splitlines()
    assert table[0].split() == ["PROGRAMME", "EDITION", "RECIPIENT", "RESULT"]
    assert [row.split()[2:] for row in table[1:]] == [[a, "delivered"] for a in ADDRESSES]


def test_rerun_sends_nothing_twice(ws: Path) -> None:
    with Server(Mailbox()) as server:
        write_settings(ws, plain(server.port), {"water-plan": READERS})
        assert run(ws, "--as-of", "2024-06-30").exit_code == 0
        again = run(ws, "--as-of", "2024-06-30")
    assert again.exit_code == 0, again.output
    assert len(server.mailbox.received) == 3
    assert [row.split()[3:5] for row in again.stdout.splitlines()[1:]] == [["already", "delivered:"]] * 3
    assert len(log_lines(ws)) == 3


def test_message_ids_are_deterministic_and_distinct_per_recipient(ws: Path, tmp_path: Path, rendered: Path) -> None:
    other = write_workspace(tmp_path / "other", {"water-plan": WATER, "air-plan": AIR})
    copy_editions(rendered, other)
    with Server(Mailbox()) as server:
        for root in (ws, other):
            write_settings(root, plain(server.port), {"water-plan": READERS})
            assert run(root, "--as-of", "2024-06-30").exit_code == 0
    first, second = server.mailbox.received[:3], server.mailbox.received[3:]
    assert [r.message["Message-ID"] for r in first] == [r.message["Message-ID"] for r in second]
    assert len({r.message["Message-ID"] for r in first}) == 3
    # Everything but the Date header is the same bytes.
    strip = lambda data: b"\r\n".join(l for l in data.split(b"\r\n") if not l.startswith(b"Date:"))  # noqa: E731
    assert [strip(r.data) for r in first] == [strip(r.data) for r in second]


def test_dry_run_writes_the_exact_messages_and_sends_and_records_nothing(ws: Path) -> None:
    with Server(Mailbox()) as server:
        write_settings(ws, plain(server.port), {"water-plan": READERS})
        dry = run(ws, "--as-of", "2024-06-30", "--dry-run")
        assert dry.exit_code == 0, dry.output
        assert server.mailbox.received == []
        assert not (ws / "reports" / "water-plan" / "deliveries.jsonl").exists()
        outbox = sorted((ws / "reports" / "outbox").glob("*.eml"))
        assert [p.name for p in outbox] == sorted(f"water-plan-2024-06-30-{a}.eml" for a in ADDRESSES)
        assert run(ws, "--as-of", "2024-06-30").exit_code == 0
    sent = {r.rcpt_tos[0]: r.data for r in server.mailbox.received}
    undated = lambda data: [l for l in data.split(b"\r\n") if not l.startswith(b"Date:")]  # noqa: E731
    for path in outbox:
        address = path.name.removeprefix("water-plan-2024-06-30-").removesuffix(".eml")
        assert undated(path.read_bytes()) == undated(sent[address])
        assert [a.get_content() for a in parse(path.read_bytes()).iter_attachments()] == [pdf_of(ws)]


def test_to_sends_a_test_copy_to_an_address_outside_the_list_without_serving_the_list(ws: Path) -> None:
    with Server(Mailbox()) as server:
        write_settings(ws, plain(server.port), {"water-plan": READERS})
        test = run(ws, "water-plan", "--as-of", "2024-06-30", "--to", "editor@example.org")
        assert test.exit_code == 0, test.output
        assert [r.rcpt_tos for r in server.mailbox.received] == [["editor@example.org"]]
        assert log_lines(ws)[0]["test"] is True and log_lines(ws)[0]["result"] == "delivered"
        also_listed = run(ws, "water-plan", "--as-of", "2024-06-30", "--to", "ada@example.org")
        assert also_listed.exit_code == 0
        listed = run(ws, "water-plan", "--as-of", "2024-06-30")
    assert listed.exit_code == 0
    assert sorted(r.rcpt_tos[0] for r in server.mailbox.received[2:]) == sorted(ADDRESSES)
    test_id = server.mailbox.received[1].message["Message-ID"]
    list_id = next(r for r in server.mailbox.received[2:] if r.rcpt_tos == ["ada@example.org"]).message["Message-ID"]
    assert test_id != list_id and ".test." in test_id


def test_to_rejects_a_bad_address_as_a_usage_error(ws: Path) -> None:
    write_settings(ws, plain(free_port()), {"water-plan": READERS})
    for bad in ("not-an-address", "a@b.org\r\nBcc: x@evil.example", "Ada <ada@example.org>", "ada@example.org,b@c.org"):
        result = run(ws, "--to", bad, "--dry-run", "--as-of", "2024-06-30")
        assert result.exit_code == 2, (bad, result.output)
        assert "Invalid value for '--to'" in result.stderr
    assert not (ws / "reports" / "outbox").exists()


def test_server_refusing_one_recipient_is_reported_recorded_and_exits_1(ws: Path, fast_retries: list[float]) -> None:
    with Server(Mailbox(refuse={"bo@example.net"})) as server:
        write_settings(ws, plain(server.port), {"water-plan": READERS})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert sorted(r.rcpt_tos[0] for r in server.mailbox.received) == ["ada@example.org", "cy@example.com"]
    assert fast_retries == []  # a permanent refusal is not retried
    rows = {row.split()[2]: row for row in result.stdout.splitlines()[1:]}
    assert "refused: 550 5.1.1 <bo@example.net>: no such mailbox" in rows["bo@example.net"]
    assert rows["ada@example.org"].endswith("delivered")
    assert result.stderr.strip().endswith("error: 1 of 3 recipient(s) not reached; run the same command again to retry them")
    by_address = {line["recipient"]: line for line in log_lines(ws)}
    assert by_address["bo@example.net"]["result"] == "refused"
    assert by_address["bo@example.net"]["detail"].startswith("550 5.1.1")


def test_transient_4xx_is_retried_with_growing_back_off(ws: Path, fast_retries: list[float]) -> None:
    with Server(Mailbox(busy={"ada@example.org": 2})) as server:
        write_settings(ws, plain(server.port), {"water-plan": READERS})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    assert fast_retries == [2.0, 4.0]
    assert len(server.mailbox.to("ada@example.org")) == 1


def test_retries_are_bounded(ws: Path, fast_retries: list[float]) -> None:
    with Server(Mailbox(busy={"ada@example.org": 99})) as server:
        write_settings(ws, plain(server.port, retries=2), {"water-plan": READERS})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert fast_retries == [2.0, 4.0]
    row = next(r for r in result.stdout.splitlines() if "ada@example.org" in r)
    assert "failed: 451 4.3.0 mailbox busy, try again later (gave up after 3 attempts)" in row
    assert sorted(r.rcpt_tos[0] for r in server.mailbox.received) == ["bo@example.net", "cy@example.com"]
    assert [line["result"] for line in log_lines(ws)] == ["failed", "delivered", "delivered"]


def test_connection_dropped_after_each_message_is_reopened(ws: Path, fast_retries: list[float]) -> None:
    with Server(Mailbox(drop_after=1)) as server:
        write_settings(ws, plain(server.port), {"water-plan": READERS})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    assert server.mailbox.dropped == 2
    assert sorted(r.rcpt_tos[0] for r in server.mailbox.received) == sorted(ADDRESSES)
    assert fast_retries == [2.0, 2.0]


def test_server_dying_after_the_first_message_then_rerun_completes_without_duplicates(ws: Path) -> None:
    mailbox = Mailbox(dead_after=1)
    with Server(mailbox) as server:
        write_settings(ws, plain(server.port, retries=1), {"water-plan": READERS})
        first = run(ws, "--as-of", "2024-06-30")
        assert first.exit_code == 1
        assert [r.rcpt_tos for r in mailbox.received] == [["ada@example.org"]]
        assert [(l["recipient"], l["result"]) for l in log_lines(ws)] == [
            ("ada@example.org", "delivered"), ("bo@example.net", "failed"), ("cy@example.com", "failed")]
        mailbox.dead_after = None  # the server is fixed
        second = run(ws, "--as-of", "2024-06-30")
    assert second.exit_code == 0, second.output
    assert sorted(r.rcpt_tos[0] for r in mailbox.received) == sorted(ADDRESSES)  # each exactly once
    assert "ada@example.org  already delivered" in second.stdout


def test_unreachable_server_stops_early_and_a_rerun_later_delivers(ws: Path, fast_retries: list[float]) -> None:
    port = free_port()
    write_settings(ws, plain(port), {"water-plan": READERS})
    result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert fast_retries == [2.0, 4.0, 8.0]  # only the first recipient waits: then the run stops
    assert f"cannot connect to 127.0.0.1:{port}" in result.stderr
    assert [row.split()[3:5] for row in result.stdout.splitlines()[2:]] == [["not", "sent:"]] * 2
    assert [l["result"] for l in log_lines(ws)] == ["failed"]


def test_starttls_with_a_self_signed_certificate_trusted_through_cafile(ws: Path, certs: Any) -> None:
    with Server(Mailbox(), certs=certs, starttls=True) as server:
        write_settings(ws, {"host": "127.0.0.1", "port": server.port, "security": "starttls",
                            "cafile": str(certs.ca)}, {"water-plan": READERS[:1]})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    [received] = server.mailbox.received
    assert [a.get_content() for a in received.message.iter_attachments()] == [pdf_of(ws)]


def test_starttls_refuses_a_certificate_it_was_not_told_to_trust(ws: Path, certs: Any) -> None:
    with Server(Mailbox(), certs=certs, starttls=True) as server:
        write_settings(ws, {"host": "127.0.0.1", "port": server.port, "security": "starttls"},
                       {"water-plan": READERS})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert server.mailbox.received == []
    assert f"error: TLS certificate of 127.0.0.1:{server.port} not trusted" in result.stderr
    assert "set smtp.cafile" in result.stderr
    assert "delivered" not in {l["result"] for l in log_lines(ws)}


def test_implicit_tls(ws: Path, certs: Any) -> None:
    with Server(Mailbox(), certs=certs, implicit_tls=True) as server:
        write_settings(ws, {"host": "127.0.0.1", "port": server.port, "security": "tls",
                            "cafile": str(certs.ca)}, {"water-plan": READERS[:2]})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    assert len(server.mailbox.received) == 2


def _secret_forms() -> list[bytes]:
    return [PASSWORD.encode(), base64.b64encode(PASSWORD.encode()),
            base64.b64encode(f"\0reports\0{PASSWORD}".encode())]


def _everything_written(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_authentication_with_the_password_from_the_environment(ws: Path, certs: Any) -> None:
    auth = Authenticator("reports", PASSWORD)
    with Server(Mailbox(), certs=certs, starttls=True, auth=auth) as server:
        write_settings(ws, {"host": "127.0.0.1", "port": server.port, "security": "starttls",
                            "username": "reports", "cafile": str(certs.ca)}, {"water-plan": READERS})
        result = run(ws, "--as-of", "2024-06-30", password=PASSWORD)
        dry = run(ws, "--as-of", "2024-06-30", "--dry-run", "--to", "editor@example.org", password=PASSWORD)
    assert result.exit_code == 0, result.output
    assert dry.exit_code == 0, dry.output
    assert auth.logins == ["reports"]
    assert len(server.mailbox.received) == 3
    for leak in _secret_forms():
        assert leak.decode() not in result.output + dry.output
        assert leak not in _everything_written(ws / "reports")
        assert all(leak not in r.data for r in server.mailbox.received)


def test_wrong_password_stops_the_run_and_is_never_shown(ws: Path, certs: Any) -> None:
    auth = Authenticator("reports", "the-right-one")
    with Server(Mailbox(), certs=certs, starttls=True, auth=auth) as server:
        write_settings(ws, {"host": "127.0.0.1", "port": server.port, "security": "starttls",
                            "username": "reports", "cafile": str(certs.ca)}, {"water-plan": READERS})
        result = run(ws, "--as-of", "2024-06-30", password=PASSWORD)
    assert result.exit_code == 1
    assert server.mailbox.received == []
    # One login (smtplib tries each offered mechanism, PLAIN then LOGIN), not one per recipient.
    assert auth.logins == ["reports", "reports"]
    assert (f"error: login as 'reports' refused by 127.0.0.1:{server.port}: "
            "535 5.7.8 credentials invalid for reports with [password]") in result.stderr
    for leak in _secret_forms():
        assert leak.decode() not in result.output
        assert leak not in _everything_written(ws / "reports")


def test_username_without_password_in_the_environment_fails_before_anything(ws: Path) -> None:
    with Server(Mailbox()) as server:
        write_settings(ws, plain(server.port, username="reports"), {"water-plan": READERS})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert result.stderr == ("error: smtp.username is set but TRACKER_SMTP_PASSWORD is not: "
                             "set the password in the environment\n")
    assert server.mailbox.received == [] and log_lines(ws) == []


def test_missing_edition_is_rendered_first(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, {"water-plan": WATER})
    with Server(Mailbox()) as server:
        write_settings(root, plain(server.port), {"water-plan": READERS[:1]})
        result = run(root, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    assert "rendered reports/water-plan/water-plan-2024-06-30.pdf" in result.stderr
    [received] = server.mailbox.received
    assert [a.get_content() for a in received.message.iter_attachments()] == [pdf_of(root)]
    text = received.message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "This is the first edition." in text
    assert "- Replace lead pipes: At risk (assessed 2024-05-02)" in text


def test_several_programmes_each_get_their_own_edition_and_log(ws: Path) -> None:
    with Server(Mailbox()) as server:
        write_settings(ws, plain(server.port), {"water-plan": READERS[:1], "air-plan": READERS[1:2]})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    subjects = {r.rcpt_tos[0]: r.message["Subject"] for r in server.mailbox.received}
    assert subjects == {"ada@example.org": "Clean Water Plan: progress up to 2024-06-30",
                        "bo@example.net": "Clean Air Plan: progress up to 2024-06-30"}
    assert [l["recipient"] for l in log_lines(ws, "air-plan")] == ["bo@example.net"]
    html = next(r for r in server.mailbox.received if r.rcpt_tos == ["bo@example.net"]).message.get_body(("html",))
    assert '<html lang="en">' in html.get_content()  # the message's own words are English
    assert '<h1><span lang="fr">Clean Air Plan</span>: progress up to' in html.get_content()


def test_half_written_last_log_line_is_reported_and_does_not_break_the_rerun(ws: Path) -> None:
    with Server(Mailbox(dead_after=1)) as server:
        write_settings(ws, plain(server.port, retries=0), {"water-plan": READERS})
        assert run(ws, "--as-of", "2024-06-30").exit_code == 1
        log = ws / "reports" / "water-plan" / "deliveries.jsonl"
        lines = log.read_bytes().splitlines(keepends=True)
        log.write_bytes(b"".join(lines[:1]) + b'{"edition": "2024-06-30", "recip')  # a crash mid-line
        server.mailbox.dead_after = None
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    assert ("warning: reports/water-plan/deliveries.jsonl:2: ignored a line that is cut short, "
            "probably by an interrupted run") in result.stderr
    assert sorted(r.rcpt_tos[0] for r in server.mailbox.received) == sorted(ADDRESSES)
    text = log.read_text(encoding="utf-8").splitlines()
    assert text[1] == '{"edition": "2024-06-30", "recip'  # left as it was, and ended
    assert [json.loads(t)["recipient"] for t in text[2:]] == ["bo@example.net", "cy@example.com"]


def test_header_injection_through_the_programme_title_is_impossible(tmp_path: Path, rendered: Path) -> None:
    evil = WATER.replace("title: Clean Water Plan",
                         'title: "Clean Water Plan\\r\\nBcc: victim@example.org\\nX-Injected: yes"')
    root = write_workspace(tmp_path, {"water-plan": evil})
    copy_editions(rendered, root)
    with Server(Mailbox()) as server:
        write_settings(root, plain(server.port), {"water-plan": READERS[:1]})
        result = run(root, "water-plan", "--as-of", "2024-06-30")
    # A title is one line of text: the file is refused before anything is rendered or sent.
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("policies/water-plan.yaml:2:8: title: a control character (U+000D")
    assert server.mailbox.received == []
    # And whatever title a programme holds, the header stays one line without control characters.
    from tracker.distribute import message
    from tracker.model.workspace import Workspace

    ok = write_workspace(tmp_path / "ok", {"water-plan": WATER})
    programme = dataclasses.replace(Workspace.at(ok).load_all()[0],
                                    title="Clean Water Plan\r\nBcc: victim@example.org\x0c\nX-Injected: yes")
    edition = message.Edition(programme, dt.date(2024, 6, 30), ok / "x.pdf", None)
    assert message.subject(edition) == "Clean Water Plan Bcc: victim@example.org X-Injected: yes: progress up to 2024-06-30"


def test_dry_run_needs_no_password_and_no_server(ws: Path) -> None:
    write_settings(ws, {"host": "mail.example.org", "security": "starttls", "username": "reports"},
                   {"water-plan": READERS[:1]})
    result = run(ws, "--as-of", "2024-06-30", "--dry-run", "--to", "editor@example.org")
    assert result.exit_code == 0, result.output
    [eml] = (ws / "reports" / "outbox").glob("*.eml")
    assert eml.name == "water-plan-2024-06-30-test-editor@example.org.eml"
    msg = parse(eml.read_bytes())
    assert msg["To"] == "editor@example.org" and ".test." in msg["Message-ID"]
    assert not (ws / "reports" / "water-plan" / "deliveries.jsonl").exists()


def test_ssl_cert_file_in_the_environment_is_trusted_too(ws: Path, certs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca))
    with Server(Mailbox(), certs=certs, starttls=True) as server:
        write_settings(ws, {"host": "localhost", "port": server.port, "security": "starttls"},
                       {"water-plan": READERS[:1]})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    assert len(server.mailbox.received) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_authentication_without_tls_is_allowed_on_this_machine(ws: Path) -> None:
    auth = Authenticator("reports", PASSWORD)
    with Server(Mailbox(), auth=auth) as server:
        write_settings(ws, plain(server.port, username="reports"), {"water-plan": READERS[:1]})
        refused = run(ws, "--as-of", "2024-06-30")  # no password in the environment
        assert refused.exit_code == 1 and server.mailbox.received == []
        result = run(ws, "--as-of", "2024-06-30", password=PASSWORD)
    assert result.exit_code == 0, result.output
    assert auth.logins == ["reports"] and len(server.mailbox.received) == 1
    assert PASSWORD not in result.output


def test_starttls_asked_of_a_server_without_it_stops_the_run(ws: Path) -> None:
    with Server(Mailbox()) as server:
        write_settings(ws, {"host": "127.0.0.1", "port": server.port, "security": "starttls"}, {"water-plan": READERS})
        result = run(ws, "--as-of", "2024-06-30")
    assert result.exit_code == 1 and server.mailbox.received == []
    assert f"error: 127.0.0.1:{server.port} does not offer STARTTLS; check smtp.security and smtp.port" in result.stderr
    assert [row.split()[3:5] for row in result.stdout.splitlines()[1:]] == [["failed:", "127.0.0.1:" + str(server.port)],
                                                                           ["not", "sent:"], ["not", "sent:"]]


@pytest.mark.parametrize("greeting, message, waits", [
    (b"554 5.3.2 no service here\r\n", "refused the connection: 554 5.3.2 no service here", []),
    (b"421 4.3.2 too busy\r\n", "is busy: 421 4.3.2 too busy", [2.0, 4.0, 8.0]),
])
def test_a_server_that_will_not_talk(ws: Path, fast_retries: list[float], greeting: bytes, message: str,
                                     waits: list[float]) -> None:
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:  # time-out: look at `stop` again
                continue
            with conn:
                conn.sendall(greeting)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        write_settings(ws, plain(port), {"water-plan": READERS})
        result = run(ws, "--as-of", "2024-06-30")
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
    assert result.exit_code == 1
    assert f"error: 127.0.0.1:{port} {message}" in result.stderr
    assert fast_retries == waits
