"""Sending messages over SMTP, one transaction per recipient, with bounded retries.

Failures fall in four kinds:
- transient (the connection dropped or could not be made, a 4xx reply): retried after a
  back-off that doubles each time, at most `smtp.retries` times;
- permanent for one recipient (a 5xx reply to RCPT, DATA or MAIL): reported, not retried;
- unknown: the whole message was sent and no reply to it came (within `smtp.data_timeout`, or
  the connection was lost first). The server may have accepted it (RFC 5321 gives it 10
  minutes to say so): it is reported and recorded as `unknown`, never sent again blindly;
- fatal for the whole run (TLS certificate not trusted, STARTTLS missing, login refused):
  nothing more is attempted.

`smtp.timeout` bounds each exchange as a whole, not each read: opening a session (connection,
greeting, EHLO, STARTTLS, login) and each message's commands and content must be done within
it, so a server that answers one byte at a time cannot hold a run longer than that.
The password is only handed to `smtplib.SMTP.login`; every text that leaves this module is
passed through `redact` first.
"""
from __future__ import annotations

import base64
import logging
import math
import re
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from tracker.errors import SmtpFatal, SmtpNoConnection, SmtpPermanent, SmtpTransient, SmtpUnknown, Unreachable
from tracker.model.settings import PASSWORD_ENV, Smtp

log = logging.getLogger(__name__)

BASE_DELAY = 2.0  # seconds before the first retry; doubled for each next one
MAX_DELAY = 60.0


@dataclass(frozen=True)
class Result:
    delivered: bool
    detail: str  # the server's final reply, or what went wrong
    permanent: bool = False  # refused by the server (5xx), as opposed to failed
    unknown: bool = False  # sent, but no reply came: it may have been delivered


class _Reader:
    """What smtplib reads replies through (`SMTP.file`), reading the socket against the session's
    deadline: a reply must be complete by then, however the server dribbles it out."""

    def __init__(self, session: "_Deadline") -> None:
        self.session = session
        self.buffer = b""

    def readline(self, limit: int = -1) -> bytes:
        while b"\n" not in self.buffer and (limit < 0 or len(self.buffer) < limit):
            sock = self.session.sock
            if sock is None:
                break
            sock.settimeout(self.session.time_left())
            chunk = sock.recv(4096)
            if not chunk:
                break
            self.buffer += chunk
        end = self.buffer.find(b"\n") + 1 or len(self.buffer)
        if limit >= 0:
            end = min(end, limit)
        line, self.buffer = self.buffer[:end], self.buffer[end:]
        return line

    def close(self) -> None:
        self.buffer = b""


class _Deadline(smtplib.SMTP):
    """smtplib's client with one deadline per exchange instead of a timeout per read (`arm` sets
    it); `timed_out` says whether the last failure was the deadline passing."""

    deadline = math.inf
    timed_out = False

    def arm(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.timed_out = False

    def time_left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.timed_out = True
            raise socket.timeout("timed out")
        return left

    def connect(self, host: str = "localhost", port: int = 0, source_address: Any = None) -> tuple[int, bytes]:
        self._host = host  # as SMTP(host) sets it: STARTTLS and implicit TLS check the certificate against it
        return super().connect(host, port, source_address)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return super()._get_socket(host, port, min(timeout, self.time_left()))  # type: ignore[misc]

    def getreply(self) -> tuple[int, bytes]:
        if self.file is None:
            self.file = _Reader(self)
        try:
            return super().getreply()
        except smtplib.SMTPServerDisconnected:
            if not self.timed_out and time.monotonic() >= self.deadline:
                self.timed_out = True
            raise

    def send(self, s: Any) -> None:
        if self.sock is not None:
            self.sock.settimeout(self.time_left())  # sendall: the whole of it within the time left
        super().send(s)

    def data_then_wait(self, msg: bytes, wait: float) -> tuple[int, bytes]:
        """DATA, the message (dot-stuffed, ended by CRLF.CRLF) within the deadline, then up to `wait`
        seconds for the reply. Raise `SmtpUnknown` if none comes: the message may have arrived."""
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        body = re.sub(rb"(?m)^\.", b"..", msg)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        self.send(body + b".\r\n")
        self.arm(wait)
        try:
            return self.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            why = f"no reply within {wait:g} s" if self.timed_out else f"connection lost ({error})"
            raise SmtpUnknown(f"the message was sent but {why}; it may have been delivered") from None


class _Session(_Deadline):
    pass


class _TlsSession(_Deadline, smtplib.SMTP_SSL):
    pass


class Redactor:
    """Removes the password (and its base64 forms, as sent by AUTH) from any text."""

    def __init__(self, secret: Optional[str], username: Optional[str] = None) -> None:
        forms: set[str] = set()
        if secret:
            forms.add(secret)
            forms.add(base64.b64encode(secret.encode()).decode())
            if username:
                forms.add(base64.b64encode(f"\0{username}\0{secret}".encode()).decode())
        self.forms = sorted(forms, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self.forms:
            text = text.replace(form, "[password]")
        return text


def backoff(attempt: int, base: float = BASE_DELAY) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, ...)."""
    return min(base * 2 ** (attempt - 1), MAX_DELAY)


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}".strip()


class Sender:
    """One SMTP session, opened on first use and reopened after a dropped connection."""

    def __init__(self, smtp: Smtp, password: Optional[str], *, sleep: Callable[[float], None] = time.sleep,
                 base_delay: float = BASE_DELAY, local_hostname: Optional[str] = None) -> None:
        if smtp.username and not password:
            raise SmtpFatal(f"smtp.username is set but {PASSWORD_ENV} is not: set the password in the environment")
        self.smtp = smtp
        self._password = password
        self.redact = Redactor(password, smtp.username)
        self.sleep = sleep
        self.base_delay = base_delay
        self.local_hostname = local_hostname
        self._client: Optional[_Deadline] = None

    # -- session -------------------------------------------------------------------------
    def _tls(self) -> ssl.SSLContext:
        cafile = str(self.smtp.cafile_path) if self.smtp.cafile_path else None
        try:
            return ssl.create_default_context(cafile=cafile)
        except (ssl.SSLError, OSError) as exc:
            raise SmtpFatal(f"smtp.cafile: cannot read certificates from {self.smtp.cafile}: {exc}") from None

    def _where(self) -> str:
        return f"{self.smtp.host}:{self.smtp.effective_port}"

    def _open(self) -> _Deadline:
        if self._client is not None:
            return self._client
        smtp = self.smtp
        try:
            if smtp.security == "tls":
                client: _Deadline = _TlsSession(timeout=smtp.timeout, context=self._tls(),
                                                local_hostname=self.local_hostname)
            else:
                client = _Session(timeout=smtp.timeout, local_hostname=self.local_hostname)
            client.arm(smtp.timeout)  # connection, greeting, EHLO, STARTTLS and login, all within it
            try:
                code, greeting = client.connect(smtp.host, smtp.effective_port)
                if code != 220:  # what SMTP(host) checks after connecting
                    _close(client)
                    raise smtplib.SMTPConnectError(code, greeting)
            except ssl.SSLError:
                _close(client)
                raise
            except smtplib.SMTPConnectError as exc:  # the greeting was not 220
                if exc.smtp_code >= 500:
                    raise SmtpFatal(f"{self._where()} refused the connection: "
                                    f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
                raise SmtpNoConnection(f"{self._where()} is busy: {_reply(exc.smtp_code, exc.smtp_error)}") from None
            except OSError as exc:  # smtplib's exceptions are OSErrors too
                _close(client)
                if client.timed_out:
                    raise SmtpNoConnection(f"{self._where()} did not answer within {smtp.timeout} s") from None
                raise SmtpNoConnection(f"cannot connect to {self._where()}: {_os_error(exc)}") from None
            try:
                client.ehlo()
                if smtp.security == "starttls":
                    if not client.has_extn("starttls"):
                        raise SmtpFatal(f"{self._where()} does not offer STARTTLS; check smtp.security and smtp.port")
                    client.starttls(context=self._tls())
                    client.ehlo()
                if smtp.username:
                    client.login(smtp.username, self._password or "")
            except BaseException:
                _close(client)
                raise
        except ssl.SSLCertVerificationError as exc:
            raise SmtpFatal(f"TLS certificate of {self._where()} not trusted ({exc.verify_message}); "
                            "if the server uses a private certificate authority, set smtp.cafile") from None
        except ssl.SSLError as exc:
            raise SmtpFatal(f"TLS with {self._where()} failed: {exc.reason or exc}; "
                            "check smtp.security and smtp.port") from None
        except smtplib.SMTPAuthenticationError as exc:
            if 400 <= exc.smtp_code < 500:
                raise SmtpTransient(f"login failed for now: {_reply(exc.smtp_code, exc.smtp_error)}") from None
            raise SmtpFatal(f"login as {smtp.username!r} refused by {self._where()}: "
                            f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError:
            raise SmtpFatal(f"{self._where()} does not offer login (AUTH); remove smtp.username "
                            "or check smtp.security") from None
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500:
                raise SmtpFatal(f"{self._where()} refused the session: "
                                f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
            raise SmtpTransient(_reply(exc.smtp_code, exc.smtp_error)) from None
        except smtplib.SMTPServerDisconnected as exc:
            raise SmtpTransient(self._lost(client, exc)) from None
        except smtplib.SMTPException as exc:  # e.g. no authentication method in common
            raise SmtpFatal(f"{self._where()}: {exc}") from None
        except OSError as exc:
            raise SmtpTransient(self._lost(client, exc)) from None
        self._client = client
        return client

    def _lost(self, client: _Deadline, exc: BaseException) -> str:
        if client.timed_out:
            return f"{self._where()} did not answer within {self.smtp.timeout} s"
        return f"connection to {self._where()} lost: {_os_error(exc)}"

    def _drop(self) -> None:
        if self._client is not None:
            _close(self._client)
            self._client = None

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.arm(self.smtp.timeout)
                self._client.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._drop()

    # -- messages ------------------------------------------------------------------------
    def _transaction(self, sender: str, address: str, data: bytes) -> str:
        """MAIL, RCPT, DATA for one recipient; the server's final reply (e.g. its queue id)."""
        client = self._open()
        client.arm(self.smtp.timeout)  # MAIL, RCPT, DATA and the message's bytes, all within it
        try:
            code, reply = client.mail(sender)
            if code != 250:
                _reset(client, code)
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            code, reply = client.rcpt(address)
            if code not in (250, 251):
                _reset(client, code)
                raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
            code, reply = client.data_then_wait(data, self.smtp.data_timeout)
            if code != 250:
                _reset(client, code)
                raise smtplib.SMTPDataError(code, reply)
        except smtplib.SMTPRecipientsRefused as exc:
            code, message = exc.recipients[address]
            raise (SmtpPermanent if code >= 500 else SmtpTransient)(_reply(code, message)) from None
        except SmtpUnknown:
            self._drop()
            raise
        except smtplib.SMTPServerDisconnected as exc:
            self._drop()
            if client.timed_out:
                raise SmtpTransient(f"{self._where()} did not answer within {self.smtp.timeout} s") from None
            raise SmtpTransient(f"connection lost: {exc or 'server closed the connection'}") from None
        except smtplib.SMTPResponseException as exc:  # MAIL (sender) or DATA refused
            if exc.smtp_code == 421:
                self._drop()
            raise (SmtpPermanent if exc.smtp_code >= 500 else SmtpTransient)(_reply(exc.smtp_code, exc.smtp_error)) from None
        except OSError as exc:
            self._drop()
            if client.timed_out:
                raise SmtpTransient(f"{self._where()} did not answer within {self.smtp.timeout} s") from None
            raise SmtpTransient(f"connection lost: {_os_error(exc)}") from None
        return _reply(code, reply)

    def send(self, sender: str, address: str, data: bytes) -> Result:
        """Deliver one message to one address, retrying transient failures; raise `SmtpFatal`."""
        attempt = 0
        while True:
            try:
                return Result(True, self._transaction(sender, address, data))
            except SmtpFatal as exc:
                raise SmtpFatal(self.redact(str(exc))) from None
            except SmtpPermanent as exc:
                return Result(False, self.redact(str(exc)), permanent=True)
            except SmtpUnknown as exc:  # never retried: the message may have been accepted
                return Result(False, self.redact(str(exc)), unknown=True)
            except SmtpTransient as exc:
                self._drop()
                detail = self.redact(str(exc))
                if attempt >= self.smtp.retries:
                    if isinstance(exc, SmtpNoConnection):
                        raise Unreachable(detail) from None
                    return Result(False, f"{detail} (gave up after {attempt + 1} attempts)")
                attempt += 1
                delay = backoff(attempt, self.base_delay)
                log.info("%s: %s; retry %d of %d in %.0f s", address, detail, attempt, self.smtp.retries, delay)
                self.sleep(delay)


def _reset(client: _Deadline, code: int) -> None:
    """After a refusal: the server is closing (421), or the transaction is abandoned (RSET)."""
    if code == 421:
        _close(client)
        return
    try:
        client.rset()
    except (smtplib.SMTPException, OSError):
        _close(client)


def _close(client: _Deadline) -> None:
    try:
        client.close()
    except OSError:
        pass


def _os_error(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
