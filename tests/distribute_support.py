"""Shared by the distribution and publishing tests: small workspaces, certificates, SMTP servers.

`rendered_editions` renders the PDFs once for the whole session. The SMTP servers are real
(aiosmtpd) and listen on 127.0.0.1 at a port the system picks.
"""
from __future__ import annotations

import datetime as dt
import shutil
import ssl
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

WATER = """\
id: water-plan
title: Clean Water Plan
owner: Water Desk
priorities:
  - id: pipes
    title: Replace lead pipes
    history:
      - {date: 2024-01-10, status: in_progress, note: Work started}
      - {date: 2024-05-02, status: at_risk, note: Budget cut by half}
    milestones:
      - {id: survey, title: Survey of old pipes, due: 2024-04-30, done: 2024-04-20}
  - id: meters
    title: Install water meters
    history:
      - {date: 2024-02-01, status: not_started}
  - id: treatment
    title: Build a treatment plant
    indicators:
      - id: capacity
        title: Treatment capacity
        unit: megalitres a day
        baseline: {date: 2024-01-01, value: 10}
        observations:
          - {date: 2024-06-01, value: 12.5}
"""

AIR = """\
id: air-plan
title: Clean Air Plan
language: fr
priorities:
  - id: buses
    title: Electric buses
    history:
      - {date: 2024-02-01, status: in_progress}
"""

PREVIOUS = dt.date(2024, 3, 31)
AS_OF = dt.date(2024, 6, 30)
SENDER = "Policy Desk <desk@example.org>"


_RENDERED: dict[str, Path] = {}


def rendered_editions(factory: pytest.TempPathFactory) -> Path:
    """Rendered once per test session, whichever module asks first: both programmes' editions of
    PREVIOUS (HTML only) and AS_OF (HTML and PDF). Tests copy them with `copy_editions`."""
    if "root" not in _RENDERED:
        from tracker.model.workspace import Workspace
        from tracker.report import build

        root = write_workspace(factory.mktemp("rendered"), {"water-plan": WATER, "air-plan": AIR})
        ws = Workspace.at(root)
        programmes = ws.load_all()
        build(ws, PREVIOUS, ("html",), ws.reports, programmes=programmes)
        build(ws, AS_OF, ("html", "pdf"), ws.reports, programmes=programmes)
        _RENDERED["root"] = root
    return _RENDERED["root"]


def write_workspace(root: Path, programmes: dict[str, str] | None = None) -> Path:
    (root / "policies").mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    for name, text in (programmes or {"water-plan": WATER}).items():
        (root / "policies" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


def write_settings(root: Path, smtp: dict[str, Any], recipients: dict[str, list[dict[str, str]]] | None = None,
                   **extra: Any) -> Path:
    data: dict[str, Any] = {"smtp": smtp, "sender": SENDER, **extra}
    if recipients is not None:
        data["recipients"] = recipients
    path = root / "policies" / "distribution.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def copy_editions(source: Path, root: Path) -> None:
    """Copy rendered editions (reports/<id>/*.html, *.pdf, and the manifests that say what they were
    rendered from) into another workspace."""
    for path in sorted((source / "reports").glob("*/*")):
        if path.suffix in (".html", ".pdf") or path.name.endswith(".inputs.json"):
            target = root / "reports" / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def parse(data: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(data)  # type: ignore[return-value]


# -- certificates -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Certs:
    ca: Path  # the CA certificate a client must be told to trust
    cert: Path  # the server's certificate, for 127.0.0.1 and localhost, signed by the CA
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certs(folder: Path) -> Certs:
    """A throwaway certificate authority and a server certificate it signed."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tracker test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "server.pem").write_bytes(cert.public_bytes(pem))
    (folder / "server.key").write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    return Certs(folder / "ca.pem", folder / "server.pem", folder / "server.key")


# -- SMTP servers -----------------------------------------------------------------------------

@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return parse(self.data)


@dataclass
class Mailbox:
    """An aiosmtpd handler that keeps what it receives, and misbehaves on request.

    refuse: addresses answered 550 at RCPT.
    busy: address -> how many times to answer 451 (try later) at RCPT before accepting.
    drop_after: close the connection at the next MAIL once a session has taken this many messages.
    dead_after: after this many messages in all, close every connection at MAIL (until revived).
    """

    refuse: set[str] = field(default_factory=set)
    busy: dict[str, int] = field(default_factory=dict)
    drop_after: Optional[int] = None
    dead_after: Optional[int] = None
    received: list[Received] = field(default_factory=list)
    dropped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        taken = getattr(session, "taken", 0)
        dead = self.dead_after is not None and len(self.received) >= self.dead_after
        if dead or (self.drop_after is not None and taken >= self.drop_after):
            self.dropped += 1
            server.transport.close()
            return "421 4.3.2 closing connection"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: no such mailbox"
        if self.busy.get(address, 0) > 0:
            self.busy[address] -= 1
            return "451 4.3.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        session.taken = getattr(session, "taken", 0) + 1
        return "250 2.0.0 accepted"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


class Authenticator:
    """Accepts one user name and password; echoes the attempt in its refusal (to test redaction)."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password
        self.logins: list[str] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode()
        password = auth_data.password.decode()
        self.logins.append(login)
        if login == self.username and password == self.password:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False,
                          message=f"535 5.7.8 credentials invalid for {login} with {password}")


class _EphemeralController(Controller):
    """aiosmtpd's Controller on port 0: the port the system picked is read back after binding."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class Server:
    """A real SMTP server on 127.0.0.1: `with Server(Mailbox()) as server: server.port`."""

    def __init__(self, mailbox: Mailbox, *, certs: Optional[Certs] = None, starttls: bool = False,
                 implicit_tls: bool = False, auth: Optional[Authenticator] = None) -> None:
        kwargs: dict[str, Any] = {}
        if starttls:
            assert certs is not None
            kwargs.update(tls_context=certs.server_context(), require_starttls=True)
        if implicit_tls:
            assert certs is not None
            kwargs.update(ssl_context=certs.server_context())
        if auth is not None:
            kwargs.update(authenticator=auth, auth_required=True, auth_require_tls=starttls or implicit_tls)
        self.mailbox = mailbox
        self.controller = _EphemeralController(mailbox, hostname="127.0.0.1", port=0, **kwargs)

    @property
    def port(self) -> int:
        return self.controller.port

    def __enter__(self) -> "Server":
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def free_port() -> int:
    """A port nothing listens on (for a server that cannot be reached)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
