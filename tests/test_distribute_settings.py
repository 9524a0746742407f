"""policies/distribution.yaml: every problem found, each with file, line, column and field.

Nothing here renders or sends: a bad settings file stops `tracker distribute` before either.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.distribute_support import AIR, WATER, write_workspace
from tracker.cli import cli
from tracker.errors import InvalidData
from tracker.model import addresses, yamlsafe
from tracker.model import fields as f
from tracker.model.settings import check_document, load, load_workspace
from tracker.model.spec import MapOf, _schema
from tracker.model.workspace import Workspace

GOOD = """\
smtp: {host: mail.example.org, port: 587, security: starttls, username: reports}
sender: "Policy Desk <desk@example.org>"
recipients:
  water-plan:
    - {name: A Reader, address: reader@example.org}
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return write_workspace(tmp_path, {"water-plan": WATER, "air-plan": AIR})


def settings_problems(ws: Path, text: str) -> list[str]:
    (ws / "policies" / "distribution.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidData) as caught:
        load(Workspace.at(ws), ["water-plan", "air-plan"])
    return [str(p) for p in caught.value.problems]


def distribute(ws: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--root", str(ws), "distribute", *args], env=env or {}, catch_exceptions=False)


def test_the_documented_example_loads(ws: Path) -> None:
    (ws / "policies" / "distribution.yaml").write_text(GOOD, encoding="utf-8")
    settings = load(Workspace.at(ws), ["water-plan"])
    assert settings.smtp.host == "mail.example.org" and settings.smtp.effective_port == 587
    assert settings.smtp.security == "starttls" and settings.smtp.username == "reports"
    assert (settings.sender.display_name, settings.sender.addr_spec) == ("Policy Desk", "desk@example.org")
    assert [(r.name, r.address) for r in settings.recipients["water-plan"]] == [("A Reader", "reader@example.org")]
    assert settings.smtp.retries == 3 and settings.smtp.timeout == 30


@pytest.mark.parametrize("security, port", [("starttls", 587), ("tls", 465), ("none", 25)])
def test_port_defaults_follow_security(ws: Path, security: str, port: int) -> None:
    (ws / "policies" / "distribution.yaml").write_text(
        f"smtp: {{host: mail.example.org, security: {security}}}\nsender: desk@example.org\n", encoding="utf-8")
    assert load(Workspace.at(ws), []).smtp.effective_port == port


def test_every_problem_is_reported_with_its_place(ws: Path) -> None:
    problems = settings_problems(ws, """\
smtp:
  host: "mail example.org"
  port: 99999
  security: startls
  retires: 3
sender: "Policy Desk <desk@example.org"
recipients:
  water-plna:
    - {name: A Reader, address: reader@example}
    - {address: b@example.org}
    - {address: B@EXAMPLE.ORG}
    - {address: "Name <c@example.org>"}
    - {address: ok@example.org, nmae: Typo}
  Bad_Key: []
  air-plan: {address: a@example.org}
""")
    assert problems == [
        "policies/distribution.yaml:2:9: smtp.host: expected a host name such as mail.example.org or an IP address but got 'mail example.org'",
        "policies/distribution.yaml:3:9: smtp.port: expected a whole number from 1 to 65535 but got 99999",
        "policies/distribution.yaml:4:13: smtp.security: expected one of starttls, tls, none but got 'startls'; did you mean 'starttls'?",
        "policies/distribution.yaml:5:3: smtp.retires: unknown field 'retires'; did you mean 'retries'?",
        "policies/distribution.yaml:6:9: sender: expected a sender such as \"Policy Desk <desk@example.org>\" but got 'Policy Desk <desk@example.org'",
        "policies/distribution.yaml:8:3: recipients.water-plna: unknown programme 'water-plna'; did you mean 'water-plan'?",
        "policies/distribution.yaml:9:33: recipients.water-plna[0].address: expected an email address such as reader@example.org but got 'reader@example'",
        "policies/distribution.yaml:11:17: recipients.water-plna[2].address: duplicate address 'B@example.org' (first listed on line 10)",
        "policies/distribution.yaml:12:17: recipients.water-plna[3].address: expected a bare email address such as reader@example.org (a name goes in `name`) but got 'Name <c@example.org>'",
        "policies/distribution.yaml:13:33: recipients.water-plna[4].nmae: unknown field 'nmae'; did you mean 'name'?",
        "policies/distribution.yaml:14:3: recipients.Bad_Key: invalid key: expected an id of lowercase letters, digits and single hyphens (at most 64 characters) but got 'Bad_Key'",
        "policies/distribution.yaml:15:13: recipients.air-plan: expected a list but got a mapping",
    ]


def test_a_password_in_the_file_is_refused_without_repeating_it(ws: Path) -> None:
    text = GOOD.replace("username: reports}", "username: reports, password: hunter2-not-here}")
    text += "password: also-not-here\n"
    problems = settings_problems(ws, text)
    assert problems == [
        "policies/distribution.yaml:1:82: smtp.password: a password may not be kept in a file; set the TRACKER_SMTP_PASSWORD environment variable instead",
        "policies/distribution.yaml:6:1: password: a password may not be kept in a file; set the TRACKER_SMTP_PASSWORD environment variable instead",
    ]
    result = distribute(ws, "--dry-run")
    assert result.exit_code == 1
    assert "not-here" not in result.output
    assert not (ws / "reports" / "outbox").exists()


@pytest.mark.parametrize("line, message", [
    ('  water-plan:\n    - {address: "a@example.org\\r\\nBcc: evil@example.org"}',
     "5:17: recipients.water-plan[0].address: an email address may not contain line breaks or control characters"),
    ('  water-plan:\n    - {name: "Ada\\nBcc: evil@example.org", address: a@example.org}',
     "5:14: recipients.water-plan[0].name: a name may not contain line breaks or control characters"),
    ('  water-plan:\n    - {name: "Ada \\u202egro.elpmaxe", address: a@example.org}',
     "5:14: recipients.water-plan[0].name: a name may not contain line breaks or control characters"),
    ("  water-plan:\n    - {address: a@example.org, cc: b@example.org}",
     "5:32: recipients.water-plan[0].cc: unknown field 'cc'"),
    ("  water-plan:\n    - {name: A Reader}",
     "5:7: recipients.water-plan[0].address: missing required field 'address' of the recipient"),
    ("  water-plan: reader@example.org",
     "4:15: recipients.water-plan: expected a list but got 'reader@example.org'"),
])
def test_header_injection_and_malformed_recipients_are_validation_errors(ws: Path, line: str, message: str) -> None:
    text = GOOD.split("recipients:")[0] + "recipients:\n" + line + "\n"
    assert settings_problems(ws, text) == [f"policies/distribution.yaml:{message}"]


def test_sender_cannot_inject_headers(ws: Path) -> None:
    text = GOOD.replace('"Policy Desk <desk@example.org>"', '"Desk <desk@example.org>\\r\\nBcc: evil@example.org"')
    assert settings_problems(ws, text) == [
        "policies/distribution.yaml:2:9: sender: a sender may not contain line breaks or control characters"]


def test_credentials_are_not_sent_in_clear_over_the_network(ws: Path) -> None:
    text = GOOD.replace("security: starttls", "security: none")
    assert settings_problems(ws, text) == [
        "policies/distribution.yaml:1:53: smtp.security: security: none would send the password unencrypted over "
        "the network; use starttls or tls (none is allowed with a user name only for a server on this machine)"]
    (ws / "policies" / "distribution.yaml").write_text(text.replace("mail.example.org", "127.0.0.1"), encoding="utf-8")
    assert load(Workspace.at(ws), ["water-plan"]).smtp.loopback


def test_cafile_must_exist_and_is_resolved_in_the_workspace(ws: Path) -> None:
    text = GOOD.replace("username: reports}", "username: reports, cafile: certs/ca.pem}")
    assert settings_problems(ws, text) == [
        "policies/distribution.yaml:1:90: smtp.cafile: no such file: certs/ca.pem"]
    (ws / "certs").mkdir()
    (ws / "certs" / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    assert load(Workspace.at(ws), ["water-plan"]).smtp.cafile_path == ws / "certs" / "ca.pem"


@pytest.mark.parametrize("text, message", [
    ("", "1:1: (file): file is empty"),
    ("- a\n- b\n", "1:1: (file): expected a mapping of distribution settings but got a list"),
    ("smtp: {host: a.org\n", "2:1: (file): YAML syntax error: expected ',' or '}', but got '<stream end>'"),
    ("sender: desk@example.org\n", "1:1: smtp: missing required field 'smtp' of the distribution settings"),
    ("smtp: {host: a.org}\nsender: a@a.org\nsender: b@b.org\n", "3:1: sender: duplicate key 'sender'"),
])
def test_broken_files(ws: Path, text: str, message: str) -> None:
    assert settings_problems(ws, text) == [f"policies/distribution.yaml:{message}"]


@pytest.mark.parametrize("good", [
    "reader@example.org", "first.last+tag@mail.example.co.uk", "o'brien@example.ie", "x_y-z@sub-domain.example.org",
])
def test_addresses_accepted(good: str) -> None:
    assert addresses.check_address(good) == good


def test_address_domain_is_lower_cased() -> None:
    assert addresses.check_address("Ada@Example.ORG") == "Ada@example.org"


@pytest.mark.parametrize("bad", [
    "", "reader", "reader@", "@example.org", "reader@example", "a b@example.org", "a@@example.org",
    "a@exa mple.org", "a..b@example.org", ".a@example.org", "a@-example.org", "a@example.org.",
    "a@example.org\n", "a@example.org\r\nBcc: x@y.org", "a@example.org,b@example.org", "a@example.org;b@c.org",
    "\"a b\"@example.org", "a@[127.0.0.1]", "a@127.0.0.1", "ädä@example.org", "a(comment)@example.org",
    "x" * 65 + "@example.org", "a@" + "b" * 250 + ".org", None, 42, ["a@example.org"],
])
def test_addresses_refused(bad: object) -> None:
    with pytest.raises(f.Bad):
        addresses.check_address(bad)


@pytest.mark.parametrize("text, name, address", [
    ("Policy Desk <desk@example.org>", "Policy Desk", "desk@example.org"),
    ('"Desk, Policy" <desk@example.org>', "Desk, Policy", "desk@example.org"),
    ("desk@example.org", "", "desk@example.org"),
    ("<desk@example.org>", "", "desk@example.org"),
])
def test_sender_forms(text: str, name: str, address: str) -> None:
    parsed = addresses.check_mailbox(text)
    assert (parsed.display_name, parsed.addr_spec) == (name, address)


@pytest.mark.parametrize("bad", ["Desk <a@example.org> <b@example.org>", "Desk <a@example.org>, b@example.org",
                                 'Desk "x" <a@example.org>', "Desk <>", "Desk", "<a@example.org"])
def test_sender_refused(bad: str) -> None:
    with pytest.raises(f.Bad):
        addresses.check_mailbox(bad)


def test_a_quoted_display_name_cannot_add_a_recipient() -> None:
    header = str(addresses.mailbox('Mallory" <m@evil.example>, "x', "a@example.org"))
    from email.headerregistry import HeaderRegistry

    parsed = HeaderRegistry()("To", header)
    assert [a.addr_spec for a in parsed.addresses] == ["a@example.org"]


def test_map_of_in_the_spec_walks_keys_and_values_and_has_a_schema() -> None:
    node = MapOf(f.Slug(), f.Integer(0, 10))
    assert _schema(node) == {"type": "object", "propertyNames": f.Slug().schema(),
                             "additionalProperties": f.Integer(0, 10).schema(), "maxProperties": 10_000}
    doc = yamlsafe.parse("smtp: {host: a.org}\nsender: a@a.org\nrecipients: {water-plan: [{address: a@a.org}]}\n", "d.yaml")
    settings, problems = check_document(doc, Path("."), ["water-plan"])
    assert problems == [] and settings is not None
    assert list(settings.recipients) == ["water-plan"]


def test_missing_settings_file(ws: Path) -> None:
    result = distribute(ws, "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == ("error: policies/distribution.yaml: no distribution settings; write smtp, sender and "
                             "recipients there (see `tracker distribute --help`)\n")


def test_unknown_programme_argument_with_a_hint(ws: Path) -> None:
    (ws / "policies" / "distribution.yaml").write_text(GOOD, encoding="utf-8")
    result = distribute(ws, "water-plam", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == "error: unknown programme 'water-plam'; did you mean 'water-plan'?\n"


def test_programme_without_recipients(ws: Path) -> None:
    (ws / "policies" / "distribution.yaml").write_text(GOOD, encoding="utf-8")
    result = distribute(ws, "air-plan", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == "error: policies/distribution.yaml: recipients: no recipients listed for 'air-plan'\n"
    (ws / "policies" / "distribution.yaml").write_text(GOOD.split("recipients:")[0], encoding="utf-8")
    result = distribute(ws, "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == "error: policies/distribution.yaml: recipients: no recipients listed for any programme\n"


@pytest.mark.parametrize("args, message", [
    (["--as-of", "2024-02-30"], "Invalid value for '--as-of'"),
    (["--to"], "Option '--to' requires an argument"),
    (["--frobnicate"], "No such option '--frobnicate'"),
])
def test_usage_errors_exit_2(ws: Path, args: list[str], message: str) -> None:
    (ws / "policies" / "distribution.yaml").write_text(GOOD, encoding="utf-8")
    result = distribute(ws, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_problems_in_programmes_and_settings_are_reported_together(ws: Path) -> None:
    (ws / "policies" / "distribution.yaml").write_text(GOOD.replace("reader@example.org", "reader@"), encoding="utf-8")
    (ws / "policies" / "water-plan.yaml").write_text(WATER.replace("status: at_risk", "status: at_rsik"), encoding="utf-8")
    result = distribute(ws, "--dry-run")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("policies/distribution.yaml:5:33: recipients.water-plan[0].address: expected an email")
    assert lines[1].startswith("policies/water-plan.yaml:9:36: priorities[0].history[1].status: expected one of")
    assert lines[1].endswith("did you mean 'at_risk'?")
    assert not (ws / "reports" / "outbox").exists()


def test_settings_and_programmes_checked_together(ws: Path) -> None:
    wsp = Workspace.at(ws)
    programmes, settings = load_workspace(wsp)
    assert [p.id for p in programmes] == ["air-plan", "water-plan"] and settings is None
    (ws / "policies" / "distribution.yaml").write_text(GOOD, encoding="utf-8")
    assert load_workspace(wsp)[1] is not None
    (ws / "policies" / "distribution.yaml").write_text(
        GOOD.replace("water-plan:", "water-plna:") + "  air-plan: []\n", encoding="utf-8")
    (ws / "policies" / "air-plan.yaml").write_text(AIR.replace("status: in_progress", "status: in_progres"),
                                                    encoding="utf-8")
    with pytest.raises(InvalidData) as caught:
        load_workspace(wsp)
    assert [str(p) for p in caught.value.problems] == [
        "policies/air-plan.yaml:8:36: priorities[0].history[0].status: expected one of not_started, in_progress, "
        "at_risk, stalled, unverifiable, achieved, partly_achieved, abandoned but got 'in_progres'; did you mean 'in_progress'?",
        "policies/distribution.yaml:4:3: recipients.water-plna: unknown programme 'water-plna'; did you mean 'water-plan'?",
    ]
    (ws / "policies" / "air-plan.yaml").write_text("id: air-plan\ntitle: [\n", encoding="utf-8")
    with pytest.raises(InvalidData) as caught:
        load_workspace(wsp)
    assert [p.path for p in caught.value.problems] == ["policies/air-plan.yaml", "policies/distribution.yaml"]
    assert "air-plan" not in str(caught.value.problems[1])  # a broken file's id is still known
