"""Sending messages over SMTP, one transaction per recipient, with bounded retries.

Failures fall in three kinds:
- transient (the connection dropped or could not be made, a 4xx reply): retried after a
  back-off that doubles each time, at most `smtp.retries` times;
- permanent for one recipient (a 5xx reply to RCPT, DATA or MAIL): reported, not retried;
- fatal for the whole run (TLS certificate not trusted, STARTTLS missing, login refused):
  nothing more is attempted.
The password is only handed to `smtplib.SMTP.login`; every text that leaves this module is
passed through `redact` first.
"""
from __future__ import annotations

import base64
import logging
import smtplib
import ssl
import time
from dataclasses import dataclass
from typing import Callable, Optional

from tracker.errors import SmtpFatal, SmtpNoConnection, SmtpPermanent, SmtpTransient, Unreachable
from tracker.model.settings import PASSWORD_ENV, Smtp

log = logging.getLogger(__name__)

BASE_DELAY = 2.0  # seconds before the first retry; doubled for each next one
MAX_DELAY = 60.0


@dataclass(frozen=True)
class Result:
    delivered: bool
    detail: str  # the server's final reply, or what went wrong
    permanent: bool = False  # refused by the server (5xx), as opposed to failed


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
        self._client: Optional[smtplib.SMTP] = None

    # -- session -------------------------------------------------------------------------
    def _tls(self) -> ssl.SSLContext:
        cafile = str(self.smtp.cafile_path) if self.smtp.cafile_path else None
        try:
            return ssl.create_default_context(cafile=cafile)
        except (ssl.SSLError, OSError) as exc:
            raise SmtpFatal(f"smtp.cafile: cannot read certificates from {self.smtp.cafile}: {exc}") from None

    def _where(self) -> str:
        return f"{self.smtp.host}:{self.smtp.effective_port}"

    def _open(self) -> smtplib.SMTP:
        if self._client is not None:
            return self._client
        smtp = self.smtp
        try:
            try:
                if smtp.security == "tls":
                    client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.effective_port, timeout=smtp.timeout,
                                                            context=self._tls(), local_hostname=self.local_hostname)
                else:
                    client = smtplib.SMTP(smtp.host, smtp.effective_port, timeout=smtp.timeout,
                                          local_hostname=self.local_hostname)
            except ssl.SSLError:
                raise
            except smtplib.SMTPConnectError as exc:  # the greeting was not 220
                if exc.smtp_code >= 500:
                    raise SmtpFatal(f"{self._where()} refused the connection: "
                                    f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
                raise SmtpNoConnection(f"{self._where()} is busy: {_reply(exc.smtp_code, exc.smtp_error)}") from None
            except OSError as exc:  # smtplib's exceptions are OSErrors too
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
            raise SmtpTransient(f"connection to {self._where()} lost: {_os_error(exc)}") from None
        except smtplib.SMTPException as exc:  # e.g. no authentication method in common
            raise SmtpFatal(f"{self._where()}: {exc}") from None
        except OSError as exc:
            raise SmtpTransient(f"connection to {self._where()} lost: {_os_error(exc)}") from None
        self._client = client
        return client

    def _drop(self) -> None:
        if self._client is not None:
            _close(self._client)
            self._client = None

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._drop()

    # -- messages ------------------------------------------------------------------------
    def _transaction(self, sender: str, address: str, data: bytes) -> str:
        """MAIL, RCPT, DATA for one recipient; the server's final reply (e.g. its queue id)."""
        client = self._open()
        try:
            code, reply = client.mail(sender)
            if code != 250:
                _reset(client, code)
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            code, reply = client.rcpt(address)
            if code not in (250, 251):
                _reset(client, code)
                raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
            code, reply = client.data(data)
            if code != 250:
                _reset(client, code)
                raise smtplib.SMTPDataError(code, reply)
        except smtplib.SMTPRecipientsRefused as exc:
            code, message = exc.recipients[address]
            raise (SmtpPermanent if code >= 500 else SmtpTransient)(_reply(code, message)) from None
        except smtplib.SMTPServerDisconnected as exc:
            self._drop()
            raise SmtpTransient(f"connection lost: {exc or 'server closed the connection'}") from None
        except smtplib.SMTPResponseException as exc:  # MAIL (sender) or DATA refused
            if exc.smtp_code == 421:
                self._drop()
            raise (SmtpPermanent if exc.smtp_code >= 500 else SmtpTransient)(_reply(exc.smtp_code, exc.smtp_error)) from None
        except OSError as exc:
            self._drop()
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


def _reset(client: smtplib.SMTP, code: int) -> None:
    """After a refusal: the server is closing (421), or the transaction is abandoned (RSET)."""
    if code == 421:
        _close(client)
        return
    try:
        client.rset()
    except (smtplib.SMTPException, OSError):
        _close(client)


def _close(client: smtplib.SMTP) -> None:
    try:
        client.close()
    except OSError:
        pass


def _os_error(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
