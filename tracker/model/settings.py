"""Distribution settings: `policies/distribution.yaml`, validated like a programme file.

```yaml
smtp: {host: mail.example.org, port: 587, security: starttls, username: reports}
sender: "Policy Desk <desk@example.org>"
recipients:
  digital-silk-road:
    - {name: A Reader, address: reader@example.org}
```

The SMTP password is never read from a file: it comes from the environment variable
`TRACKER_SMTP_PASSWORD`, and a `password` key anywhere in the file is refused.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field, replace
from email.headerregistry import Address
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from tracker.errors import InvalidData, NotFound, Problem
from tracker.model import fields as f
from tracker.model import yamlsafe
from tracker.model.addresses import AddressType, MailboxType, NameType, check_address
from tracker.model.records import Programme, Where
from tracker.model.spec import Field, ListOf, MapOf, Record
from tracker.model.validate import FAILED, walk
from tracker.model.workspace import Workspace

SETTINGS_FILE = "distribution.yaml"
PASSWORD_ENV = "TRACKER_SMTP_PASSWORD"
SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
LOOPBACK_NAMES = ("localhost", "localhost.localdomain")
_HOST_RE = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")


@dataclass(frozen=True)
class Smtp:
    host: str
    security: str = "starttls"
    port: Optional[int] = None
    username: Optional[str] = None
    cafile: Optional[str] = None
    timeout: int = 30
    retries: int = 3
    at: Where = field(default=(), compare=False, repr=False)
    cafile_path: Optional[Path] = None  # `cafile` resolved against the workspace

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else DEFAULT_PORTS[self.security]

    @property
    def loopback(self) -> bool:
        host = self.host.rstrip(".").lower()
        if host in LOOPBACK_NAMES:
            return True
        try:
            return ipaddress.ip_address(host.strip("[]")).is_loopback
        except ValueError:
            return False


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str = ""
    language: str = ""  # the edition and message language; "" for the programme's primary
    at: Where = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Settings:
    smtp: Smtp
    sender: Address
    recipients: Mapping[str, tuple[Recipient, ...]] = field(default_factory=dict)
    reply_to: Optional[Address] = None
    archive_url: Optional[str] = None
    at: Where = field(default=(), compare=False, repr=False)
    display: str = ""  # the file as users name it, for messages


class Hostname(f.Type):
    """A DNS name or an IP address."""

    def check(self, value: Any) -> str:
        if isinstance(value, str):
            try:
                return str(ipaddress.ip_address(value.strip("[]")))
            except ValueError:
                if _HOST_RE.match(value):
                    return value
        raise f.Bad(f"expected a host name such as mail.example.org or an IP address but got {f.describe(value)}")

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "hostname"}


class OneLine(f.Type):
    """A line of text (a user name, a file path): no line breaks or control characters."""

    def __init__(self, what: str, max_length: int = 1000) -> None:
        self.what = what
        self.max_length = max_length

    def check(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise f.Bad(f"expected {self.what} but got {f.describe(value)}")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise f.Bad(f"{self.what} may not contain line breaks or control characters")
        if len(value) > self.max_length:
            raise f.Bad(f"{self.what} is longer than {self.max_length} characters")
        return value.strip()

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": self.max_length, "pattern": "^[^\\x00-\\x1f\\x7f]+$"}


RECIPIENT = Record("recipient", Recipient, (
    Field("address", AddressType(), True, "Email address, e.g. reader@example.org."),
    Field("name", NameType(), False, "Name shown in the To: header and the greeting."),
    Field("language", f.LanguageTag(), False,
          "BCP 47 tag of the edition (and message) this reader gets, one of the programme's languages "
          "(default: its primary language)."),
), "One reader of a programme's editions.")

SMTP = Record("smtp server", Smtp, (
    Field("host", Hostname(), True, "SMTP server host name or IP address."),
    Field("security", f.Choice(SECURITY), False,
          "starttls (default; port 587), tls (implicit TLS; port 465) or none (port 25; "
          "loopback only when authenticating)."),
    Field("port", f.Integer(1, 65535), False, "Port (default from security: 587, 465 or 25)."),
    Field("username", OneLine("a user name", 320), False,
          f"User name to log in with; the password comes from the {PASSWORD_ENV} environment variable."),
    Field("cafile", OneLine("a file path"), False,
          "PEM file of certificate authorities to trust instead of the system's (e.g. a private CA); "
          "relative to the workspace."),
    Field("timeout", f.Integer(1, 600), False, "Seconds to wait for the server (default 30)."),
    Field("retries", f.Integer(0, 10), False,
          "How many times a transient failure (dropped connection, 4xx reply) is retried, with back-off (default 3)."),
), "How to reach the SMTP server.")

SETTINGS = Record("distribution settings", Settings, (
    Field("smtp", SMTP, True),
    Field("sender", MailboxType(), True, 'From: header, e.g. "Policy Desk <desk@example.org>".'),
    Field("reply_to", MailboxType(), False, "Reply-To: header, when replies should go elsewhere."),
    Field("archive_url", f.Url(), False,
          "Web address of the published archive (`tracker publish`), linked from each message."),
    Field("recipients", MapOf(f.Slug(), ListOf(RECIPIENT, 10_000), 1000), False,
          "Readers of each programme, keyed by programme id."),
), "Where and how editions are emailed.")


def load(ws: Workspace, programme_ids: Optional[Iterable[str]]) -> Settings:
    """Load and check `policies/distribution.yaml`; raise `InvalidData` with every problem.

    `programme_ids` are the ids a recipients key may name (None: not checked, for when the
    programmes themselves could not be loaded).
    """
    path = ws.policies / SETTINGS_FILE
    shown = ws.display(path)
    if not path.exists() and not path.is_symlink():
        raise _missing(shown)
    if not ws.inside(path):
        raise InvalidData([Problem(shown, 1, 1, "(file)", "symbolic link points outside the workspace; refused")])
    if not path.resolve().is_file():
        raise InvalidData([Problem(shown, 1, 1, "(file)", "not a regular file")])
    doc = yamlsafe.load(path, shown)
    settings, problems = check_document(doc, ws.root, None if programme_ids is None else list(programme_ids))
    if problems:
        raise InvalidData(problems)
    assert settings is not None
    return replace(settings, display=shown)


def check_document(doc: yamlsafe.Document, root: Path,
                   programme_ids: Optional[list[str]]) -> tuple[Optional[Settings], list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), f"expected a mapping of distribution settings but got {f.describe(doc.data)}"))
        return None, problems
    data = _without_passwords(doc.data, (), doc, problems)
    built = walk(SETTINGS, data, (), doc, problems)
    problems.extend(_recipient_rules(data.get("recipients"), doc, programme_ids))
    if built is FAILED:
        return None, problems
    settings: Settings = built
    problems.extend(_smtp_rules(settings.smtp, doc, root))
    if problems:
        return None, problems
    if settings.smtp.cafile:
        settings = replace(settings, smtp=replace(settings.smtp, cafile_path=_resolve(root, settings.smtp.cafile)))
    return settings, []


def _without_passwords(value: Any, path: tuple, doc: yamlsafe.Document, problems: list[Problem]) -> Any:
    """The data with every `password` key taken out, each one reported (never its value)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key.lower() in ("password", "passwd", "pass", "secret"):
                problems.append(doc.problem(path + (key,),
                                            f"a password may not be kept in a file; set the {PASSWORD_ENV} "
                                            "environment variable instead", key=True))
                continue
            out[key] = _without_passwords(item, path + (key,), doc, problems)
        return out
    if isinstance(value, list):
        return [_without_passwords(item, path + (i,), doc, problems) for i, item in enumerate(value)]
    return value


def _resolve(root: Path, name: str) -> Path:
    path = Path(name).expanduser()
    return path if path.is_absolute() else root / path


def _smtp_rules(smtp: Smtp, doc: yamlsafe.Document, root: Path) -> list[Problem]:
    out: list[Problem] = []
    if smtp.username and smtp.security == "none" and not smtp.loopback:
        out.append(doc.problem(smtp.at + ("security",),
                               "security: none would send the password unencrypted over the network; "
                               "use starttls or tls (none is allowed with a user name only for a server on this "
                               "machine)"))
    if smtp.cafile and not _resolve(root, smtp.cafile).is_file():
        out.append(doc.problem(smtp.at + ("cafile",), f"no such file: {smtp.cafile}"))
    return out


def _recipient_rules(recipients: Any, doc: yamlsafe.Document, programme_ids: Optional[list[str]]) -> list[Problem]:
    """Keys that are not programme ids, and addresses listed twice (checked on the raw data, so
    they are reported along with every other problem)."""
    out: list[Problem] = []
    if not isinstance(recipients, dict):
        return out
    for programme_id, items in recipients.items():
        if programme_ids is not None and f.SLUG_RE.match(programme_id) and programme_id not in programme_ids:
            out.append(doc.problem(("recipients", programme_id),
                                   f"unknown programme {programme_id!r}{f.did_you_mean(programme_id, programme_ids)}",
                                   key=True))
        first: dict[str, int] = {}
        for i, item in enumerate(items if isinstance(items, list) else []):
            try:
                address = check_address(item.get("address") if isinstance(item, dict) else None)
            except f.Bad:
                continue  # reported by the walk
            where = ("recipients", programme_id, i, "address")
            if address.lower() in first:
                line, _ = doc.where(("recipients", programme_id, first[address.lower()], "address"))
                out.append(doc.problem(where, f"duplicate address {address!r} (first listed on line {line})"))
            else:
                first[address.lower()] = i
    return out


def _missing(shown: str) -> NotFound:
    return NotFound(f"{shown}: no distribution settings; write smtp, sender and recipients there "
                    "(see `tracker distribute --help`)")


def load_workspace(ws: Workspace, *, required: bool = False) -> tuple[list[Programme], Optional[Settings]]:
    """Every programme and, if `policies/distribution.yaml` exists, the distribution settings,
    with the problems of all files reported together; `required`: a missing file is an error."""
    problems: list[Problem] = []
    programmes: Optional[list[Programme]] = None
    try:
        programmes = ws.load_all()
    except InvalidData as bad:
        problems.extend(bad.problems)
    settings = None
    path = ws.policies / SETTINGS_FILE
    if path.exists() or path.is_symlink():
        try:
            settings = load(ws, [p.id for p in programmes] if programmes is not None else _declared_ids(ws))
        except InvalidData as bad:
            problems.extend(bad.problems)
    if problems:
        raise InvalidData(problems)
    if required and settings is None:
        raise _missing(ws.display(path))
    assert programmes is not None
    return programmes, settings


def _declared_ids(ws: Workspace) -> list[str]:
    """Programme ids as declared, for when some programme files are broken: the plain `id:` line
    of each file, else the file's name (so a broken file does not make its id unknown)."""
    from tracker.model.workspace import declared_id

    return [declared_id(path) or path.stem for path in ws.programme_files()]


def password(environ: Mapping[str, str]) -> Optional[str]:
    """The SMTP password from the environment, if set and not empty."""
    return environ.get(PASSWORD_ENV) or None
